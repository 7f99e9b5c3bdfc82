"""Datasets: upload, preview, dashboard, texts, exports, keywords, jobs."""

from flask import Blueprint

bp = Blueprint("datasets", __name__)

from emolytics.web.datasets import deletion, job_pages, quick_analysis, views  # noqa: E402,F401  (routes register on import)
