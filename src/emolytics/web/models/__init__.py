"""Trained emotion models: upload labeled data, train as a job, inspect, use, delete."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from emolytics import confirm, current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.confirm import ConfirmNameForm
from emolytics.pipeline import jobs, training
from emolytics.tables import Role

bp = Blueprint("models", __name__)


class TrainForm(FlaskForm):
    name = StringField("Model name", validators=[DataRequired(), Length(max=120)])
    file = FileField(
        "Labeled texts (CSV with a header)",
        validators=[FileRequired(), FileAllowed(["csv"], "Use a CSV file.")],
    )
    text_column = StringField("Text column", default="text", validators=[Length(max=120)])
    label_column = StringField("Label column", default="label", validators=[Length(max=120)])


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
        try:
            content = training.read_training_file(uploaded.stream, uploaded.filename)
        except training.TrainingFileRefused as error:
            form.file.errors.append(str(error))
        else:
            model = training.create_model(
                current_team.team_id(),
                form.name.data.strip(),
                content,
                form.text_column.data.strip() or "text",
                form.label_column.data.strip() or "label",
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
    return render_template("models/show.html", model=model, job=job)


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
