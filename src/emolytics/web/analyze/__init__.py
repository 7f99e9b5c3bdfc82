"""/analyze, the quick analysis: one text typed in, its label and the words that made it."""

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from emolytics import current_team
from emolytics.pipeline import analyzers, languages, terms
from emolytics.tables import Role
from emolytics.web import highlighting

bp = Blueprint("analyze", __name__)


class QuickAnalysisForm(FlaskForm):
    text = TextAreaField("Text", validators=[DataRequired(), Length(max=20_000)])


@bp.route("", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def quick() -> ResponseReturnValue:
    form = QuickAnalysisForm()
    result = highlighted = language = None
    reasons: list[terms.Reason] = []
    if form.validate_on_submit():
        analyzer = analyzers.analyzer_for(None)
        [language] = languages.detect_for(None, analyzer, [form.text.data])
        [result] = languages.scored(analyzer, [form.text.data], [language], explain=True)
        if result is not None:
            reasons = terms.reasons(result.contributions)
            highlighted = highlighting.highlight(form.text.data, reasons, result.label)
    status = 400 if form.errors else 200
    return render_template(
        "analyze/index.html",
        form=form,
        result=result,
        language=language,
        reasons=reasons,
        highlighted=highlighted,
    ), status
