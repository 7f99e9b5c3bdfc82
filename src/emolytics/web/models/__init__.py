"""Trained emotion models: upload labeled data, train as a job, inspect, use, rename, delete."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from emolytics import confirm, current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.confirm import ConfirmNameForm
from emolytics.pipeline import datasets, jobs, training
from emolytics.tables import EmotionModel, Role
from emolytics.web.naming import RenameForm, new_name

bp = Blueprint("models", __name__)


class TrainForm(FlaskForm):
    name = StringField("Model name", validators=[DataRequired(), Length(max=120)])
    file = FileField(
        "Labeled texts (CSV or a spreadsheet, with a header row, or JSON)",
        validators=[
            FileRequired(),
            FileAllowed([suffix[1:] for suffix in training.TRAINING_SUFFIXES], training.USE),
        ],
    )
    text_column = StringField("Text column", default="text", validators=[Length(max=120)])
    label_column = StringField("Label column", default="label", validators=[Length(max=120)])
    sheet = StringField(
        "Sheet (of a workbook; empty: the first with a filled cell)",
        validators=[Length(max=120)],
    )


class AnalyzeForm(FlaskForm):
    dataset = SelectField("Dataset", coerce=int, choices=[])


@bp.get("")
@login_required
@current_team.requires(Role.VIEWER)
def index() -> ResponseReturnValue:
    return render_template("models/index.html", models=training.list_for(current_team.team_id()))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def new() -> ResponseReturnValue:
    form = TrainForm()
    if form.validate_on_submit():
        uploaded = form.file.data
        columns = training.TrainingColumns(
            form.text_column.data.strip() or "text",
            form.label_column.data.strip() or "label",
            (form.sheet.data or "").strip() or None,
        )
        try:
            content = training.read_training_file(uploaded.stream, uploaded.filename, columns)
        except training.TrainingFileRefused as error:
            fields = {"text": form.text_column, "label": form.label_column}
            fields.get(error.column or "", form.file).errors.append(str(error))
        else:
            model = training.create_model(
                current_team.team_id(), form.name.data.strip(), content, columns
            )
            jobs.start_training(model)
            request_audit.team_event("model.training_started", named("model", model.id, model.name))
            flash(
                "Training started: settings chosen by cross-validation, then the final fit.",
                "success",
            )
            return redirect(url_for("models.show", model_id=model.id))
    status = 400 if form.errors else 200
    return render_template("models/new.html", form=form), status


@bp.get("/<int:model_id>")
@login_required
@current_team.requires(Role.VIEWER)
def show(model_id: int) -> ResponseReturnValue:
    model = training.owned(current_team.team_id(), model_id)
    job = training.making_job(model.id)
    form = _analyze_form(model)
    if job is not None and job.dataset_id is not None:  # adapted: its dataset comes first
        form.dataset.data = job.dataset_id
    return render_template(
        "models/show.html",
        model=model,
        job=job,
        analyze_form=form,
        rename_form=RenameForm(name=model.name),
    )


@bp.post("/<int:model_id>/analyze")
@login_required
@current_team.requires(Role.ANALYST)
def analyze(model_id: int) -> ResponseReturnValue:
    """Analyse one of the team's datasets again, with this model."""
    model = training.owned(current_team.team_id(), model_id)
    if not model.labels:
        abort(409, "This model is still training: it can analyse once its job has finished.")
    form = _analyze_form(model)
    if not form.validate_on_submit():
        abort(400, "Choose one of the team's datasets.")
    dataset = datasets.owned(current_team.team_id(), form.dataset.data)
    try:
        jobs.start_analysis(dataset, model.id)
    except jobs.JobError as error:
        flash(str(error), "error")
        return redirect(url_for("models.show", model_id=model.id))
    flash(f"Analysing “{dataset.name}” with the model “{model.name}”.", "success")
    return redirect(url_for("datasets.show", dataset_id=dataset.id))


@bp.post("/<int:model_id>/name")
@login_required
@current_team.requires(Role.ANALYST)
def rename(model_id: int) -> ResponseReturnValue:
    model = training.owned(current_team.team_id(), model_id)
    request_audit.team_event(*training.rename(model, new_name("model")))
    flash(f"Renamed to “{model.name}”.", "success")
    return redirect(url_for("models.show", model_id=model.id))


def _analyze_form(model: EmotionModel) -> AnalyzeForm:
    form = AnalyzeForm()
    overview = datasets.overview(model.team_id)
    form.dataset.choices = [(row.id, row.name) for row in overview]
    return form


@bp.route("/<int:model_id>/delete", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def delete(model_id: int) -> ResponseReturnValue:
    model = training.owned(current_team.team_id(), model_id)
    name = model.name
    form = ConfirmNameForm()
    if not form.confirms(name):
        return confirm.ask(
            form,
            question=f"Delete the model {name!r}?",
            consequence="The analyses made with it are deleted with it; their datasets keep "
            "their texts. This cannot be undone.",
            button="Delete this model",
            cancel_url=url_for("models.show", model_id=model.id),
            name=name,
        )
    jobs.delete_model(model)
    request_audit.team_event("model.deleted", named("model", model_id, name))
    flash(f"Deleted the model {name!r}.", "success")
    return redirect(url_for("models.index"))
