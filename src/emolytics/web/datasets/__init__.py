"""/datasets: upload, preview, dashboard, texts, exports, keywords, review, deletion."""

from flask import Blueprint

bp = Blueprint("datasets", __name__)

from emolytics.web.datasets import deletion, popups, review, views  # noqa: E402,F401  (routes register on import)
