"""Correcting a text's label: on the text's page and from the texts table (one small form per
row, or one label for the texts ticked, coming back to the same filtered page); removing a
correction asks first."""

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from emolytics import confirm, current_team
from emolytics.pipeline import correction_errors, corrections, datasets
from emolytics.security import safe_next
from emolytics.tables import Role
from emolytics.web.datasets import bp
from emolytics.web.datasets.forms import CorrectionForm, TickedCorrectionForm
from emolytics.wording import plural

NOT_CORRECTED = "This text has no correction."


@bp.post("/<int:dataset_id>/texts/<int:text_id>/label")
@login_required
@current_team.requires(Role.ANALYST)
def correct(dataset_id: int, text_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    form = CorrectionForm()
    if not form.validate_on_submit():
        abort(400, "The label could not be read: choose one and save again.")
    try:
        made = corrections.correct(dataset, text_id, form.label.data, current_user.id)
    except correction_errors.LabelNotInSet as error:
        abort(400, str(error))
    except correction_errors.NotAnalysed:
        abort(409, "This text is not analysed yet: correct it once the analysis has finished.")
    said = f" (the model said {made.model_label})" if made.model_label else ""
    flash(f"Label set to {made.label}{said}.", "success")
    text_page = url_for("datasets.text", dataset_id=dataset.id, text_id=text_id)
    return redirect(safe_next(form.next.data) or text_page)


@bp.post("/<int:dataset_id>/texts/labels")
@login_required
@current_team.requires(Role.ANALYST)
def correct_ticked(dataset_id: int) -> ResponseReturnValue:
    """One label for every text ticked in the texts table: all of them, or none."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    form = TickedCorrectionForm()
    if problem := form.problem():
        abort(400, problem)
    text_ids = list(dict.fromkeys(form.text_id.data))
    if len(text_ids) > corrections.MAX_AT_ONCE:
        abort(400, f"Correct at most {corrections.MAX_AT_ONCE} texts at once.")
    try:
        corrections.correct_all(dataset, text_ids, form.label.data, current_user.id)
    except correction_errors.LabelNotInSet as error:
        abort(400, str(error))
    except correction_errors.NotAnalysed:
        abort(409, "A ticked text is not analysed yet: correct it once the analysis has finished.")
    flash(f"Label set to {form.label.data} for {plural(len(text_ids), 'text')}.", "success")
    texts_page = url_for("datasets.texts", dataset_id=dataset.id)
    return redirect(safe_next(form.next.data) or texts_page)


@bp.route("/<int:dataset_id>/texts/<int:text_id>/label/remove", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def remove_correction(dataset_id: int, text_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    text_page = url_for("datasets.text", dataset_id=dataset.id, text_id=text_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        made = corrections.made(dataset.id, text_id)
        if made is None:
            abort(404, NOT_CORRECTED)
        model_said = made.correction.model_label or "no label (not scored)"
        return confirm.ask(
            form,
            question="Remove this correction?",
            consequence=f"The text goes back to the model's label, {model_said}, in every "
            f"count, chart and export; the label {made.correction.label} set by "
            f"{made.username or 'a former member'} is forgotten.",
            button="Remove the correction",
            cancel_url=text_page,
        )
    try:
        corrections.uncorrect(dataset, text_id)
    except correction_errors.NotCorrected:
        abort(404, NOT_CORRECTED)
    flash("Correction removed: the text has the model's label again.", "success")
    return redirect(text_page)
