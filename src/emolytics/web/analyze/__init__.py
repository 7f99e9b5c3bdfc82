"""/analyze, the quick analysis: one text typed in, its label by the default analyzer or one of
the team's models (`?model=<id>` chooses it), and the words that made it."""

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from emolytics import current_team
from emolytics.pipeline import analysed_by, quick_analysis, terms, training
from emolytics.tables import Role
from emolytics.web import highlighting

bp = Blueprint("analyze", __name__)


class QuickAnalysisForm(FlaskForm):
    text = TextAreaField("Text", validators=[DataRequired(), Length(max=20_000)])
    model = SelectField("Model", choices=[], validators=[Optional()])


@bp.route("", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def quick() -> ResponseReturnValue:
    form = _form()
    by = analysed_by.of_model(None)
    result = highlighted = language = None
    reasons: list[terms.Reason] = []
    if form.validate_on_submit():
        if form.model.data:
            by = analysed_by.of_model(training.owned(current_team.team_id(), int(form.model.data)))
        [[language], [result]] = quick_analysis.analysed(by.model_id, [form.text.data], True)
        if result is not None:
            reasons = terms.reasons(result.contributions)
            highlighted = highlighting.highlight(form.text.data, reasons, result.label)
    status = 400 if form.errors else 200
    return render_template(
        "analyze/index.html",
        form=form,
        by=by,
        result=result,
        language=language,
        reasons=reasons,
        highlighted=highlighted,
    ), status


def _form() -> QuickAnalysisForm:
    """The form, offering the team's models that have finished training; a page opened with
    `?model=<id>` of one of them has it chosen."""
    form = QuickAnalysisForm()
    models = training.trained(current_team.team_id())
    form.model.choices = [("", analysed_by.DEFAULT_NAME)]
    form.model.choices += [(str(model_id), name) for model_id, name in models]
    asked = request.args.get("model", "")
    if request.method == "GET" and asked in {value for value, _ in form.model.choices}:
        form.model.data = asked
    return form
