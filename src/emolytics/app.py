"""The application factory."""

import gc
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from flask import Flask, url_for
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from emolytics import (
    api,
    caching,
    config,
    current_team,
    errors,
    jobqueue,
    runner,
    scheduler,
    security,
    wording,
)
from emolytics.accounts import audit as audit_log
from emolytics.extensions import csrf, db, limiter, migrate, tune_sqlite
from emolytics.notifications import deliveries, digests, settings
from emolytics.pipeline import alert_checks, retention, search_syntax, subscriptions
from emolytics.tables import utcnow
from emolytics.web import (
    account,
    alerts,
    analyze,
    audit,
    auth,
    dashboard,
    datasets,
    invitations,
    jobs,
    models,
    teams,
)
from emolytics.web.auth import loaders

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
    tune_sqlite(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    loaders.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    # Every limit sits on a view (sign-in, registration) and its decorator checks it; the
    # limiter's own check before every request would find nothing more to do, at a cost (60 us
    # of a 530 us page). Flask-Limiter 4 has no option to leave it out (`auto_check` went in
    # 4.0, and in 3.x it turned the decorators' checks off too), so the hook is taken out here,
    # where a renamed hook fails at start-up rather than silently. Turned off (RATELIMIT_ENABLED),
    # the limiter adds no hook.
    if limiter.enabled:
        app.before_request_funcs[None].remove(limiter._check_request_limit)
    caching.init_app(app, db.session)
    jobqueue.init_app(app, runner.run_part)
    _periodic_tasks(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(account.bp, url_prefix="/account")
    app.register_blueprint(datasets.bp, url_prefix="/datasets")
    app.register_blueprint(jobs.bp, url_prefix="/jobs")
    app.register_blueprint(analyze.bp, url_prefix="/analyze")
    app.register_blueprint(models.bp, url_prefix="/models")
    app.register_blueprint(teams.bp, url_prefix="/teams")
    app.register_blueprint(invitations.bp, url_prefix="/invitations")
    app.register_blueprint(audit.bp, url_prefix="/audit")
    app.register_blueprint(alerts.bp, url_prefix="/alerts")
    csrf.exempt(api.bp)  # bearer tokens only: no ambient credential reaches the API
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    errors.register(app)
    security.install(app)
    current_team.install(app)
    _template_helpers(app)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    _freeze_startup_objects()
    return app


@cache  # once per process, after its first app
def _freeze_startup_objects() -> None:
    """Move the objects that starting up made (modules, the app, its extensions: about
    240,000) where the garbage collector no longer walks them. Its full collections walked
    them all, and the request that met one took about 100 ms longer (the dashboard's summary
    at a million texts on SQLite: 98 ms, or 200 ms with a full collection)."""
    gc.collect()
    gc.freeze()


def _periodic_tasks(app: Flask) -> None:
    """The work done once per period, whichever process gets to it (see scheduler)."""
    tasks = scheduler.init_app(app)
    retention_days = app.config["AUDIT_RETENTION_DAYS"]
    if retention_days > 0:
        tasks.add("audit.prune", timedelta(days=1), lambda: audit_log.prune_expired(retention_days))
    tasks.add("alerts.check", timedelta(minutes=1), alert_checks.scheduled)
    tasks.add("datasets.retention", timedelta(hours=1), lambda: retention.expire_due(utcnow()))
    tasks.add("alerts.deliver", timedelta(minutes=1), lambda: deliveries.send_due(utcnow()))
    tasks.add("subscriptions.read", timedelta(minutes=1), subscriptions.read_due)
    # a week's digest goes out on the first daily run after it ends (the Monday)
    for kind in settings.PERIODS:
        tasks.add(
            f"digests.{kind}", timedelta(days=1), lambda kind=kind: digests.send_due(kind, utcnow())
        )


def _template_helpers(app: Flask) -> None:
    @app.template_filter("when")
    def when(moment: datetime | None) -> str:
        return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""

    app.add_template_filter(wording.plural, "plural")
    app.add_template_filter(search_syntax.quoted, "searched")

    if app.config["WTF_CSRF_TIME_LIMIT"] is None:  # a global, so imported macros see it too
        app.jinja_env.globals["csrf_token"] = security.signed_once_csrf_token(app)
    app.jinja_env.globals["csrf_field"] = security.csrf_field(app.jinja_env.globals["csrf_token"])

    @app.context_processor
    def clock_and_links() -> dict[str, Any]:
        return {"now": utcnow(), "links": _layout_links(app)}


LAYOUT_LINKS = {
    "index": ("dashboard.index", {}),
    "home": ("dashboard.home", {}),
    "upload": ("datasets.upload", {}),
    "quick": ("analyze.quick", {}),
    "models": ("models.index", {}),
    "alerts": ("alerts.index", {}),
    "tokens": ("account.tokens", {}),
    "teams": ("teams.index", {}),
    "switch_team": ("teams.switch", {}),
    "activity": ("account.activity", {}),
    "account": ("account.password", {}),
    "logout": ("auth.logout", {}),
    "login": ("auth.login", {}),
    "register": ("auth.register", {}),
    "api_reference": ("api.reference", {}),
    "load_sample": ("datasets.load_sample", {}),
    "favicon": ("static", {"filename": "favicon.svg"}),
    "stylesheet": ("static", {"filename": "style.css"}),
    "menus_script": ("static", {"filename": "js/menus.js"}),
    "messages_script": ("static", {"filename": "js/messages.js"}),
}


def _layout_links(app: Flask) -> SimpleNamespace:
    """The URLs every page's layout shows, built once: they never change while the app runs.
    (Attributes, not a dict: `links.home` in a template then needs no failed getattr.)"""
    links = app.extensions.get("emolytics_layout_links")
    if links is None:
        links = SimpleNamespace(
            **{name: url_for(endpoint, **args) for name, (endpoint, args) in LAYOUT_LINKS.items()}
        )
        app.extensions["emolytics_layout_links"] = links
    return links
