"""/datasets: upload, preview, files added, dashboard, texts, corrections, review, downloads
(summary, report, exports), the view's top terms, saved views, annotations, keywords, personal
data masked, retention, deletion; datasets side by side."""

from flask import Blueprint

bp = Blueprint("datasets", __name__)

from emolytics.web.datasets import (  # noqa: E402,F401  (routes register on import)
    adapting,
    added_files,
    annotations,
    corrections,
    deletion,
    files,
    masking,
    popups,
    retention,
    review,
    saved_views,
    side_by_side,
    subscriptions,
    terms,
    views,
)
