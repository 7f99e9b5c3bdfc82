"""Quick analysis: one text typed in, its label and the words that made it.

It answers at /analyze, inside the datasets blueprint for now (endpoint `datasets.quick`).
"""

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from emolytics.pipeline import analyzers
from emolytics.web.datasets import bp, highlighting
from emolytics.web.datasets.forms import QuickAnalysisForm


@bp.route("/analyze", methods=["GET", "POST"])
@login_required
def quick() -> ResponseReturnValue:
    form = QuickAnalysisForm()
    result = highlighted = None
    reasons: list[tuple[str, float]] = []
    if form.validate_on_submit():
        [result] = analyzers.analyzer_for(None).analyze([form.text.data], explain=True)
        reasons = highlighting.reasons(result.contributions)
        highlighted = highlighting.highlight(
            form.text.data, highlighting.pushing(reasons)[:8], result.label
        )
    status = 400 if form.errors else 200
    return render_template(
        "datasets/quick.html",
        form=form,
        result=result,
        reasons=reasons,
        highlighted=highlighted,
    ), status
