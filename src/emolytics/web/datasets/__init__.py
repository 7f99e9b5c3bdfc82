"""/datasets: upload, preview, dashboard, texts, exports, keywords, deletion."""

from flask import Blueprint

bp = Blueprint("datasets", __name__)

from emolytics.web.datasets import adapting, deletion, popups, views  # noqa: E402,F401  (routes register on import)
