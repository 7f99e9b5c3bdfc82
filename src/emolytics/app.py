"""The application factory."""

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from emolytics import (
    account,
    api,
    auth,
    config,
    dashboard,
    datasets,
    emotion_models,
    errors,
    security,
)
from emolytics.extensions import csrf, db, limiter, login_manager, migrate
from emolytics.models import utcnow

MIGRATIONS = str(Path(__file__).with_name("migrations"))


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ids the database can hold, so a huge number is a 404, never an
    overflow in the driver."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build a configured app. Tests pass `overrides`; nothing else should."""
    app = Flask("emolytics", instance_path=config.instance_path(), instance_relative_config=True)
    app.url_map.converters["int"] = IdConverter
    config.load(app, overrides)
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(datasets.bp)
    app.register_blueprint(emotion_models.bp)
    csrf.exempt(api.bp)  # bearer tokens only: no ambient credential reaches the API
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    errors.register(app)
    security.install(app)
    _template_helpers(app)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    return app


def _template_helpers(app: Flask) -> None:
    @app.template_filter("when")
    def when(moment: datetime | None) -> str:
        return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""

    @app.context_processor
    def clock() -> dict[str, datetime]:
        return {"now": utcnow()}
