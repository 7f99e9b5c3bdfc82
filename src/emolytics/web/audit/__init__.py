"""/audit: the current team's audit log for its admins, filtered, paginated and exported."""

from flask import Blueprint

bp = Blueprint("audit", __name__)

from emolytics.web.audit import views  # noqa: E402,F401  (routes register on import)
