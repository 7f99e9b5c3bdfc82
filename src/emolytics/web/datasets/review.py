"""/datasets/<id>/review: one text at a time, the texts the model is least sure about first,
labelled with a button (or a number key) per label; skip and undo. The dashboard's filters in
the query string review the texts of that view only; the forms hand them back to the page.

What a reviewer skipped and the labels they can undo are kept in their session, per dataset
(the last few datasets, a bounded list each: the session is a cookie). Whether a text was drawn
at random is decided when the page is made and comes back signed, never from the form alone.
Viewers see the page without its buttons; labelling, skipping and undoing need an analyst,
whose page holds the text it shows from the dataset's other reviewers (`review_holds`).
"""

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer

from emolytics import current_team
from emolytics.pipeline import dataset_files, datasets, review, review_holds, review_progress
from emolytics.pipeline.analysed_by import analysed_by
from emolytics.pipeline.correction_errors import (
    CorrectedMeanwhile,
    LabelNotInSet,
    NotAnalysed,
    TextNotFound,
)
from emolytics.pipeline.review import Queued
from emolytics.pipeline.text_pages import TextPage
from emolytics.tables import Dataset, Role
from emolytics.web import highlighting
from emolytics.web.datasets import bp, filtering

SESSION_KEY = "review"
DATASETS_KEPT = 3  # datasets whose skips and undos the session keeps
SKIPPED_KEPT = 50
UNDO_KEPT = 20
OUT_OF_DATE = "This review form is out of date: reload the review page."


@bp.get("/<int:dataset_id>/review")
@login_required
@current_team.requires(Role.VIEWER)
def review_page(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    model = analysed_by(dataset)
    filters = filtering.for_page(model)
    state = _state(dataset.id)
    back = Queued(state["back"][0], None, state["back"][1]) if state["back"] else None
    labels = current_team.seat().allows(Role.ANALYST)
    found = review.for_reviewer(
        dataset, current_user.id, 1, state["skipped"], back, filters, hold=labels
    )
    row = found.items[0] if found.items else None
    if row is not None:
        highlighting.highlight_page(dataset, TextPage([row], 1, 1, 1))
    return render_template(
        "datasets/review.html",
        dataset=dataset,
        model=model,
        filters=filters,
        row=row,
        source=row and dataset_files.of_text(dataset.id, row["id"]),
        token=row and _signer().dumps([dataset.id, row["id"], row["sample"]]),
        progress=found.progress,
        other_reviewers=found.other_reviewers,
        hold_minutes=review_holds.HOLD_MINUTES,
        skipped=len(state["skipped"]),
        can_undo=bool(state["undo"]),
        min_sample=review_progress.MIN_SAMPLE,
        sample_every=review.SAMPLE_EVERY,
    )


@bp.post("/<int:dataset_id>/review")
@login_required
@current_team.requires(Role.ANALYST)
def review_label(dataset_id: int) -> ResponseReturnValue:
    """Label the text shown: a REVIEW correction, or a SAMPLE one when it was drawn at random."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    text_id, sample = _signed_text(dataset)
    state = _state(dataset.id)
    try:
        review.label(dataset, text_id, request.form.get("label", ""), current_user.id, sample)
    except (LabelNotInSet, NotAnalysed) as error:
        abort(400, str(error))
    except TextNotFound:
        abort(404, "No such text in this dataset.")
    except CorrectedMeanwhile as error:
        flash(str(error), "success" if error.agrees else "error")
    else:
        state["undo"] = [*state["undo"], [text_id, sample]][-UNDO_KEPT:]
    state["back"] = None
    return _saved(dataset, state)


@bp.post("/<int:dataset_id>/review/skip")
@login_required
@current_team.requires(Role.ANALYST)
def review_skip(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    text_id, _ = _signed_text(dataset)
    state = _state(dataset.id)
    state["skipped"] = [*state["skipped"], text_id][-SKIPPED_KEPT:]
    state["back"] = None
    return _saved(dataset, state)


@bp.post("/<int:dataset_id>/review/undo")
@login_required
@current_team.requires(Role.ANALYST)
def review_undo(dataset_id: int) -> ResponseReturnValue:
    """Remove the last label this session gave in the review, and show its text again."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    state = _state(dataset.id)
    if not state["undo"]:
        flash("Nothing to undo.", "error")
        return redirect(_review_page(dataset))
    text_id, sample = state["undo"].pop()
    if review.undo(dataset, text_id, current_user.id):
        state["back"] = [text_id, sample]
        flash("The last label is undone.", "success")
    else:
        flash("That label was changed since (by you elsewhere, or by someone else): kept.", "error")
    return _saved(dataset, state)


@bp.post("/<int:dataset_id>/review/skipped")
@login_required
@current_team.requires(Role.ANALYST)
def review_unskip(dataset_id: int) -> ResponseReturnValue:
    """Clear the texts skipped: they come back in their places."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    state = _state(dataset.id)
    state["skipped"] = []
    return _saved(dataset, state)


# --- the session's state, and the signed text -------------------------------------------------


def _state(dataset_id: int) -> dict[str, Any]:
    """This session's skipped texts, undo stack ([text id, drawn at random]) and the text it
    went back to, for the dataset."""
    kept = session.get(SESSION_KEY, {}).get(str(dataset_id), {})
    return {
        "skipped": list(kept.get("skipped", [])),
        "undo": list(kept.get("undo", [])),
        "back": kept.get("back"),
    }


def _saved(dataset: Dataset, state: dict[str, Any]) -> ResponseReturnValue:
    """Keep `state` for the dataset (and the latest other datasets'), back to the page."""
    key = str(dataset.id)
    others = [(other, kept) for other, kept in session.get(SESSION_KEY, {}).items() if other != key]
    session[SESSION_KEY] = dict([*others[-(DATASETS_KEPT - 1) :], (key, state)])
    return redirect(_review_page(dataset))


def _review_page(dataset: Dataset) -> str:
    """The review page a form was posted from: with the filters of its view."""
    return url_for("datasets.review_page", dataset_id=dataset.id, **filtering.passed_on())


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="emolytics.review")


def _signed_text(dataset: Dataset) -> tuple[int, bool]:
    """The text the form is about, and whether it was drawn at random, as the page signed them
    (400 for a form the page did not make for this dataset and text)."""
    text_id = request.form.get("text_id", type=int)
    try:
        signed = _signer().loads(request.form.get("token", ""))
    except BadSignature:
        abort(400, OUT_OF_DATE)
    if text_id is None or signed[:2] != [dataset.id, text_id]:
        abort(400, OUT_OF_DATE)
    return text_id, bool(signed[2])
