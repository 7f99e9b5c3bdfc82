"""Dataset pages: thin views over `pipeline`."""

from importlib import resources
from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from emolytics import current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.pipeline import (
    adaptation,
    annotations,
    corrections,
    dataset_files,
    datasets,
    intake,
    jobs,
    languages,
    personal_data,
    saved_views,
    segments,
    subscriptions,
    tagging,
    text_pages,
    training,
)
from emolytics.pipeline import preview as upload_preview
from emolytics.pipeline.analysed_by import DEFAULT_NAME, AnalysedBy, analysed_by
from emolytics.pipeline.datasets import Upload
from emolytics.pipeline.ingest import IngestError
from emolytics.pipeline.quotas import QuotaExceeded
from emolytics.schemas.files import chosen_columns
from emolytics.schemas.filters import date_problem
from emolytics.security import content_security_policy
from emolytics.tables import Role
from emolytics.web import highlighting
from emolytics.web.datasets import bp, filtering, popups, terms, uploads
from emolytics.web.datasets.forms import (
    AdaptForm,
    AnnotationForm,
    KeywordsForm,
    RerunForm,
    SaveViewForm,
    UploadForm,
)
from emolytics.web.naming import RenameForm, new_name

SAMPLE_KEYWORDS = ["tram", "app", "tickets", "delays", "staff", "price"]


# --- listing and uploading ---------------------------------------------------------------------


@bp.get("")
@login_required
@current_team.requires(Role.VIEWER)
def index() -> ResponseReturnValue:
    return redirect(url_for("dashboard.home"))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def upload() -> ResponseReturnValue:
    form = UploadForm()
    if form.validate_on_submit():
        uploaded = form.file.data
        try:
            dataset = intake.import_and_analyse(
                current_team.team_id(),
                uploads.upload_request(form),
                uploaded.stream,
                uploaded.filename,
            )
        except QuotaExceeded as error:
            form.file.errors.append(str(error))
            return uploads.form_page(form, status=413)
        except (IngestError, ValueError) as error:
            uploads.show_error(form, error)
        else:
            request_audit.team_event("dataset.uploaded", named("dataset", dataset.id, dataset.name))
            flash(uploads.stored_message(dataset, uploaded.stream), "success")
            return uploads.accepted(url_for("datasets.show", dataset_id=dataset.id))
    return uploads.form_page(form)


@bp.post("/preview")
@login_required
@current_team.requires(Role.ANALYST)
def preview() -> ResponseReturnValue:
    """The first rows of a file, guessed columns and the rows the chosen columns cannot read
    (the page sends the file's first part, a workbook whole, the columns chosen so far and a
    workbook's sheet)."""
    uploaded = request.files.get("file")
    if uploaded is None or not uploaded.filename:
        return jsonify({"error": "Choose a file first."}), 400
    try:
        found = upload_preview.preview(
            uploaded.stream,
            uploaded.filename,
            chosen_columns(request.form),
            request.form.get("sheet") or None,
        )
    except IngestError as error:
        return jsonify({"error": str(error)}), 400
    return jsonify(found.as_dict())


@bp.post("/sample")
@login_required
@current_team.requires(Role.ANALYST)
def load_sample() -> ResponseReturnValue:
    sample = resources.files("emolytics").joinpath("sample/texts.csv")
    with sample.open("rb") as binary:
        try:
            dataset = intake.import_and_analyse(
                current_team.team_id(),
                Upload(
                    name="Sample: the new tram",
                    source="sample",
                    keywords=SAMPLE_KEYWORDS,
                    added_by=current_user.id,
                ),
                binary,
                "texts.csv",
            )
        except QuotaExceeded as error:
            flash(str(error), "error")
            return redirect(url_for("dashboard.home"))
    request_audit.team_event("dataset.uploaded", named("dataset", dataset.id, dataset.name))
    flash("The sample dataset is loaded; its analysis has started.", "success")
    return redirect(url_for("datasets.show", dataset_id=dataset.id))


# --- one dataset -------------------------------------------------------------------------------


@bp.get("/<int:dataset_id>")
@login_required
@current_team.requires(Role.VIEWER)
def show(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    model = analysed_by(dataset)
    filters = filtering.for_page(model)
    page = render_template(
        "datasets/show.html",
        dataset=dataset,
        job=jobs.latest(dataset.id),
        model=model,
        filters=filters,
        filter_problem=date_problem(filters),
        languages=languages.present(dataset),
        segments=segments.present(dataset),
        summary_url=url_for("datasets.summary", dataset_id=dataset.id, **filters.as_args()),
        terms_url=terms.terms_url(dataset.id, filters),
        text_url=popups.text_url(dataset.id),
        tile_url=current_app.config["TILE_URL"],
        tile_attribution=current_app.config["TILE_ATTRIBUTION"],
        keywords_form=KeywordsForm(keywords=", ".join(dataset.keywords)),
        rename_form=RenameForm(name=dataset.name),
        rerun_form=_rerun_form(model),
        adapt_form=AdaptForm(),
        corrections=adaptation.corrections_count(dataset.id, model.labels),
        min_corrections=adaptation.MIN_CORRECTIONS,
        max_domain_texts=adaptation.MAX_DOMAIN_TEXTS,
        saved_views=saved_views.listed(dataset),
        view_form=SaveViewForm(),
        annotations=annotations.listed(dataset),
        annotation_form=AnnotationForm(),
        compared_days=annotations.COMPARED_DAYS,
        masked_fully=personal_data.masked_fully(dataset),
        subscriptions=subscriptions.listed(dataset),
    )
    return page, 200, {"Content-Security-Policy": _policy_with_tiles()}


def _policy_with_tiles() -> str:
    parts = urlsplit(current_app.config["TILE_URL"])
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return content_security_policy(extra_images=origin)


def _rerun_form(current: AnalysedBy | None = None) -> RerunForm:
    """The models of the team to analyse with; on the page, the current analysis's is chosen
    and marked."""
    models = [(None, DEFAULT_NAME), *training.trained(current_team.team_id())]
    chosen = None if current is None else current.model_id or ""
    form = RerunForm()
    form.model.choices = [
        (str(id_ or ""), f"{name} (current)" if (id_ or "") == chosen else name)
        for id_, name in models
    ]
    if chosen is not None:
        form.model.data = str(chosen)
    return form


@bp.get("/<int:dataset_id>/texts")
@login_required
@current_team.requires(Role.VIEWER)
def texts(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    model = analysed_by(dataset)
    filters, order = filtering.for_page(model), filtering.order()
    page = text_pages.texts(dataset, filters, request.args.get("page", 1, type=int), order=order)
    highlighting.highlight_page(dataset, page, filters.query)
    return render_template(
        "datasets/texts.html",
        dataset=dataset,
        model=model,
        filters=filters,
        order=order,
        page_args=filtering.view_args(filters, order),
        filter_problem=date_problem(filters),
        languages=languages.present(dataset),
        segments=segments.present(dataset),
        page=page,
    )


@bp.get("/<int:dataset_id>/texts/<int:text_id>")
@login_required
@current_team.requires(Role.VIEWER)
def text(dataset_id: int, text_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    row = text_pages.text(dataset, text_id)
    if row is None:
        abort(404, "No such text in this dataset.")
    model = analysed_by(dataset)
    # opened from the texts table: the view it was opened in, for its previous and next
    filters, order = filtering.for_page(model), filtering.order()
    highlighting.highlight_page(dataset, text_pages.TextPage([row], 1, 1, 1), filters.query)
    return render_template(
        "datasets/text.html",
        dataset=dataset,
        row=row,
        searched=filters.query,
        view_args=filtering.view_args(filters, order),
        neighbours=text_pages.neighbours(dataset, filters, row, order),
        model=model,
        made=corrections.made(dataset.id, text_id),
        source=dataset_files.of_text(dataset.id, text_id),
    )


@bp.post("/<int:dataset_id>/name")
@login_required
@current_team.requires(Role.ANALYST)
def rename(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    request_audit.team_event(*datasets.rename(dataset, new_name("dataset")))
    flash(f"Renamed to “{dataset.name}”.", "success")
    return redirect(url_for("datasets.show", dataset_id=dataset.id))


@bp.post("/<int:dataset_id>/keywords")
@login_required
@current_team.requires(Role.ANALYST)
def keywords(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    form = KeywordsForm()
    if not form.validate_on_submit():
        abort(400, "The keywords could not be read.")
    try:
        tagging.change_keywords(dataset, form.keywords.data)
    except ValueError as error:
        abort(400, str(error))
    request_audit.team_event("dataset.keywords_changed", named("dataset", dataset.id, dataset.name))
    flash("Keywords saved; the texts are being tagged again.", "success")
    return redirect(url_for("datasets.show", dataset_id=dataset.id))


@bp.post("/<int:dataset_id>/analyze")
@login_required
@current_team.requires(Role.ANALYST)
def rerun(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    form = _rerun_form()
    if not form.validate_on_submit():
        abort(400, "Choose the default analyzer or one of your trained models.")
    model_id = int(form.model.data) if form.model.data else None
    try:
        jobs.start_analysis(dataset, model_id)
    except jobs.JobError as error:  # a live feed before its first texts
        flash(str(error), "error")
        return redirect(url_for("datasets.show", dataset_id=dataset.id))
    flash("The analysis has started again.", "success")
    return redirect(url_for("datasets.show", dataset_id=dataset.id))
