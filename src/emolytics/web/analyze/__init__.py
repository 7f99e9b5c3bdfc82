"""/analyze, the quick analysis: one text typed in, its label by the default analyzer or one of
the team's models (`?model=<id>` chooses it) and the words that made it; or one text per line,
a table of their labels."""

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from emolytics import current_team
from emolytics.engine import EmotionResult
from emolytics.pipeline import analysed_by, languages, quick_analysis, terms, training
from emolytics.tables import Role
from emolytics.web import highlighting

bp = Blueprint("analyze", __name__)


MAX_LINES = 100  # texts of one quick analysis "one per line"


class QuickAnalysisForm(FlaskForm):
    text = TextAreaField("Text", validators=[DataRequired(), Length(max=20_000)])
    lines = BooleanField(f"One text per line (up to {MAX_LINES}): a table of their labels")
    model = SelectField("Model", choices=[], validators=[Optional()])

    def texts(self) -> list[str]:
        """Each non-blank line, with `lines`; else the text whole."""
        if not self.lines.data:
            return [self.text.data]
        return [line.strip() for line in self.text.data.splitlines() if line.strip()]

    def validate_text(self, field: TextAreaField) -> None:
        if self.lines.data and len(self.texts()) > MAX_LINES:
            raise ValidationError(f"At most {MAX_LINES} lines at once: upload a file for more.")


@bp.route("", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def quick() -> ResponseReturnValue:
    form = _form()
    by = analysed_by.of_model(None)
    result = highlighted = language = None
    reasons: list[terms.Reason] = []
    table: list[tuple[str, languages.Found, EmotionResult | None]] = []
    if form.validate_on_submit():
        if form.model.data:
            by = analysed_by.of_model(training.owned(current_team.team_id(), int(form.model.data)))
        texts = form.texts()
        found, results = quick_analysis.analysed(by.model_id, texts, not form.lines.data)
        if form.lines.data:
            table = list(zip(texts, found, results, strict=True))
        else:
            [language], [result] = found, results
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
        table=table,
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
