"""Dataset pages: thin views over `pipeline`."""

import re
from importlib import resources
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import select

from emolytics.datasets import bp, filtering, popups, uploads
from emolytics.datasets.forms import KeywordsForm, QuickAnalysisForm, RerunForm, UploadForm
from emolytics.engine.decoding import encoding_name
from emolytics.extensions import db
from emolytics.models import Dataset, EmotionModel, Job
from emolytics.pipeline import analysis, datasets, exports, ingest, intake, jobs, reports
from emolytics.pipeline.analysed_by import analysed_by
from emolytics.pipeline.datasets import Upload
from emolytics.pipeline.ingest import IngestError
from emolytics.pipeline.quotas import QuotaExceeded
from emolytics.schemas.answers import job_json
from emolytics.security import content_security_policy
from emolytics.wording import plural

SAMPLE_KEYWORDS = ["tram", "app", "tickets", "delays", "staff", "price"]


# --- listing and uploading ---------------------------------------------------------------------


@bp.get("/datasets")
@login_required
def index() -> ResponseReturnValue:
    return redirect(url_for("dashboard.home"))


@bp.route("/datasets/new", methods=["GET", "POST"])
@login_required
def upload() -> ResponseReturnValue:
    form = UploadForm()
    if form.validate_on_submit():
        uploaded = form.file.data
        try:
            upload_request = Upload(
                name=form.name.data.strip(),
                source="upload",
                columns=uploads.chosen_columns(form.data),
                keywords=datasets.parse_keywords(form.keywords.data),
                skip_bad_rows=form.skip_bad_rows.data,
            )
            dataset = intake.import_and_analyse(
                current_user.id, upload_request, uploaded.stream, uploaded.filename
            )
        except QuotaExceeded as error:
            form.file.errors.append(str(error))
            return uploads.form_page(form, status=413)
        except (IngestError, ValueError) as error:
            uploads.show_error(form, error)
        else:
            skipped = f" {plural(dataset.skipped_count, 'unreadable row')} skipped." * bool(
                dataset.skipped_count
            )
            encoding = encoding_name(ingest.file_encoding(uploaded.stream))
            flash(
                f"{plural(dataset.row_count, 'text')} uploaded (read as {encoding}); "
                f"analysis started.{skipped}",
                "success",
            )
            return uploads.accepted(url_for("datasets.show", dataset_id=dataset.id))
    return uploads.form_page(form)


@bp.post("/datasets/preview")
@login_required
def preview() -> ResponseReturnValue:
    """The first rows of a file, guessed columns and the rows the chosen columns cannot read
    (the page sends the file's first part and the columns chosen so far)."""
    uploaded = request.files.get("file")
    if uploaded is None or not uploaded.filename:
        return jsonify({"error": "Choose a file first."}), 400
    try:
        found = ingest.preview(
            uploaded.stream, uploaded.filename, uploads.chosen_columns(request.form)
        )
    except IngestError as error:
        return jsonify({"error": str(error)}), 400
    return jsonify(
        {
            "format": found.format,
            "encoding": found.encoding,
            "columns": found.columns,
            "rows": found.rows,
            "lines": found.lines,
            "guesses": found.guesses.as_dict(),
            "problems": [{"line": row.line, "reason": row.reason} for row in found.problems],
        }
    )


@bp.post("/datasets/sample")
@login_required
def load_sample() -> ResponseReturnValue:
    sample = resources.files("emolytics").joinpath("sample/texts.csv")
    with sample.open("rb") as binary:
        try:
            dataset = intake.import_and_analyse(
                current_user.id,
                Upload(name="Sample: the new tram", source="sample", keywords=SAMPLE_KEYWORDS),
                binary,
                "texts.csv",
            )
        except QuotaExceeded as error:
            flash(str(error), "error")
            return redirect(url_for("dashboard.home"))
    flash("The sample dataset is loaded; its analysis has started.", "success")
    return redirect(url_for("datasets.show", dataset_id=dataset.id))


# --- one dataset -------------------------------------------------------------------------------


@bp.get("/datasets/<int:dataset_id>")
@login_required
def show(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_user.id, dataset_id)
    model = analysed_by(dataset)
    filters = filtering.for_page(model)
    page = render_template(
        "datasets/show.html",
        dataset=dataset,
        job=jobs.latest(dataset.id),
        model=model,
        filters=filters,
        filter_problem=filtering.problem(filters),
        summary_url=url_for("datasets.summary", dataset_id=dataset.id, **filters.as_args()),
        text_url=popups.text_url(dataset.id),
        tile_url=current_app.config["TILE_URL"],
        tile_attribution=current_app.config["TILE_ATTRIBUTION"],
        keywords_form=KeywordsForm(keywords=", ".join(dataset.keywords)),
        rerun_form=_rerun_form(),
    )
    return page, 200, {"Content-Security-Policy": _policy_with_tiles()}


def _policy_with_tiles() -> str:
    parts = urlsplit(current_app.config["TILE_URL"])
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return content_security_policy(extra_images=origin)


def _rerun_form() -> RerunForm:
    form = RerunForm()
    trained = db.session.execute(
        select(EmotionModel.id, EmotionModel.name).where(
            EmotionModel.owner_id == current_user.id, EmotionModel.artifact.is_not(None)
        )
    ).all()
    form.model.choices = [("", "Default analyzer")] + [(str(id_), name) for id_, name in trained]
    return form


@bp.get("/datasets/<int:dataset_id>/summary.json")
@login_required
def summary(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_user.id, dataset_id)
    response = jsonify(reports.summary(dataset, filtering.read(reports.labels_of(dataset))))
    if request.args.get("download"):
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{_file_stem(dataset.name)}-summary.json"'
        )
    return response


@bp.get("/datasets/<int:dataset_id>/texts")
@login_required
def texts(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_user.id, dataset_id)
    model = analysed_by(dataset)
    filters = filtering.for_page(model)
    page = reports.texts(dataset, filters, request.args.get("page", 1, type=int))
    _highlight_page(dataset, page)
    return render_template(
        "datasets/texts.html",
        dataset=dataset,
        model=model,
        filters=filters,
        filter_problem=filtering.problem(filters),
        page=page,
    )


def _highlight_page(dataset: Dataset, page: reports.TextPage) -> None:
    """Mark the words that made each text's label (the page's texts only: explanations are
    computed on demand, so bulk analysis stays fast)."""
    if not page.rows or dataset.current_job_id is None:
        return
    model_id = db.session.scalar(select(Job.model_id).where(Job.id == dataset.current_job_id))
    explained = analysis.analyzer_for(model_id).analyze(
        [row["text"] for row in page.rows], explain=True
    )
    for row, result in zip(page.rows, explained, strict=True):
        reasons = _reasons(result.contributions)
        row["highlighted"] = highlight(row["text"], _pushing(reasons)[:6], row["label"])
        row["terms"] = reasons


def _reasons(contributions: tuple[tuple[str, float], ...]) -> list[tuple[str, float]]:
    """The contributions worth showing a reader (no function words)."""
    return [(term, weight) for term, weight in contributions if analysis.telling(term)]


def _pushing(reasons: list[tuple[str, float]]) -> list[tuple[str, float]]:
    return [(term, weight) for term, weight in reasons if weight > 0]


def highlight(text: str, terms: list[tuple[str, float]], label: str) -> Markup:
    """`text`, escaped, with each contributing term wrapped in <mark>."""
    if not terms:
        return escape(text)
    words = sorted({term for term, _ in terms}, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in words))
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(str(escape(text[position : match.start()])))
        pieces.append(f'<mark class="emo-{escape(label)}">{escape(match.group())}</mark>')
        position = match.end()
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))


@bp.get("/datasets/<int:dataset_id>/texts/<int:text_id>")
@login_required
def text(dataset_id: int, text_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_user.id, dataset_id)
    row = reports.text(dataset, text_id)
    if row is None:
        abort(404, "No such text in this dataset.")
    page = reports.TextPage([row], 1, 1, 1)
    _highlight_page(dataset, page)
    model = analysed_by(dataset)
    return render_template("datasets/text.html", dataset=dataset, row=row, model=model)


@bp.get("/datasets/<int:dataset_id>/export.<any(csv, jsonl):file_format>")
@login_required
def export(dataset_id: int, file_format: str) -> ResponseReturnValue:
    dataset = datasets.owned(current_user.id, dataset_id)
    filters = filtering.for_page(analysed_by(dataset))
    if file_format == "csv":
        for_excel = request.args.get("excel") == "1"
        lines, mimetype = exports.csv_lines(dataset, filters, for_excel=for_excel), "text/csv"
    else:
        lines, mimetype = exports.jsonl_lines(dataset, filters), "application/x-ndjson"
    filename = f"{_file_stem(dataset.name)}-results.{file_format}"
    return Response(
        stream_with_context(lines),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _file_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")[:60] or "dataset"


@bp.post("/datasets/<int:dataset_id>/keywords")
@login_required
def keywords(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_user.id, dataset_id)
    form = KeywordsForm()
    if not form.validate_on_submit():
        abort(400, "The keywords could not be read.")
    try:
        dataset.keywords = datasets.parse_keywords(form.keywords.data)
    except ValueError as error:
        abort(400, str(error))
    db.session.commit()
    jobs.start_tagging(dataset)
    flash("Keywords saved; the texts are being tagged again.", "success")
    return redirect(url_for("datasets.show", dataset_id=dataset.id))


@bp.post("/datasets/<int:dataset_id>/analyze")
@login_required
def rerun(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_user.id, dataset_id)
    form = _rerun_form()
    if not form.validate_on_submit():
        abort(400, "Choose the default analyzer or one of your trained models.")
    model_id = int(form.model.data) if form.model.data else None
    jobs.start_analysis(dataset, model_id)
    flash("The analysis has started again.", "success")
    return redirect(url_for("datasets.show", dataset_id=dataset.id))


# --- jobs ----------------------------------------------------------------------------------------


@bp.get("/jobs/<int:job_id>.json")
@login_required
def job_status(job_id: int) -> ResponseReturnValue:
    return jsonify(job_json(jobs.owned(current_user.id, job_id)))


@bp.post("/jobs/<int:job_id>/cancel")
@login_required
def cancel_job(job_id: int) -> ResponseReturnValue:
    job = jobs.owned(current_user.id, job_id)
    if jobs.cancel(job):
        flash("The job is cancelled.", "success")
    else:
        flash("The job had already finished.", "info")
    if job.dataset_id is not None:
        return redirect(url_for("datasets.show", dataset_id=job.dataset_id))
    return redirect(url_for("models.show", model_id=job.model_id))


# --- quick analysis ------------------------------------------------------------------------------


@bp.route("/analyze", methods=["GET", "POST"])
@login_required
def quick() -> ResponseReturnValue:
    form = QuickAnalysisForm()
    result = highlighted = None
    reasons: list[tuple[str, float]] = []
    if form.validate_on_submit():
        [result] = analysis.analyzer_for(None).analyze([form.text.data], explain=True)
        reasons = _reasons(result.contributions)
        highlighted = highlight(form.text.data, _pushing(reasons)[:8], result.label)
    status = 400 if form.errors else 200
    return render_template(
        "datasets/quick.html",
        form=form,
        result=result,
        reasons=reasons,
        highlighted=highlighted,
    ), status
