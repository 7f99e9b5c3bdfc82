"""Serve the app with gunicorn in this process's control (used by `emolytics run`)."""

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def _resume_jobs(worker: Any) -> None:
    """The in-process queue lives in this worker: pick up what the last run left unfinished,
    and run the periodic tasks here (with RQ, `emolytics worker` processes run them)."""
    from emolytics.pipeline import recovery
    from emolytics.scheduler import get_scheduler

    app = worker.app.application
    if app.config["JOB_QUEUE"] == "thread":
        with app.app_context():
            recovery.resume_unfinished()
            get_scheduler().start_thread()


def serve(app: Flask, *, host: str, port: int, threads: int) -> None:
    """One worker process with `threads` threads: the embedded default keeps its in-process
    job worker and in-memory rate limits in a single process."""
    _Server(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": 1,
            "worker_class": "gthread",
            "threads": threads,
            "accesslog": "-",
            "timeout": 120,
            # gunicorn's control socket has one path per user: two servers would share it
            "control_socket_disable": True,
            "post_worker_init": _resume_jobs,
        },
    ).run()
