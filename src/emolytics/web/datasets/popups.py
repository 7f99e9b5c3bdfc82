"""A map marker's text, fetched when its popup opens (so the summary carries ids, not texts)."""

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from emolytics import current_team
from emolytics.pipeline import datasets, text_pages
from emolytics.tables import Role
from emolytics.web.datasets import bp


def text_url(dataset_id: int) -> str:
    """The address of a text's JSON, with `{id}` standing for the text's id (for the page)."""
    return url_for("datasets.text_json", dataset_id=dataset_id, text_id=0).replace(
        "/0.json", "/{id}.json"
    )


@bp.get("/<int:dataset_id>/texts/<int:text_id>.json")
@login_required
@current_team.requires(Role.VIEWER)
def text_json(dataset_id: int, text_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    row = text_pages.text(dataset, text_id)
    if row is None:
        return jsonify({"error": "No such text in this dataset."}), 404
    posted_at = row["posted_at"]
    return jsonify(
        {
            "id": row["id"],
            "text": row["text"],
            "label": row["label"],
            "posted_at": posted_at.strftime("%Y-%m-%dT%H:%M:%SZ") if posted_at else None,
            "url": url_for("datasets.text", dataset_id=dataset.id, text_id=row["id"]),
        }
    )
