"""Gunicorn servers on 127.0.0.1, started for the run and always stopped at its end."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

GUNICORN = Path(sys.executable).with_name("gunicorn")
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class WorkerModel:
    worker_class: str
    workers: int
    threads: int

    def describe(self) -> str:
        return (
            f"--worker-class {self.worker_class} --workers {self.workers} --threads {self.threads}"
        )


@dataclass(frozen=True)
class Server:
    name: str
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def gunicorn_command(app_spec: str, port: int, model: WorkerModel, pythonpath: Path) -> list[str]:
    return [
        str(GUNICORN),
        app_spec,
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        model.worker_class,
        "--workers",
        str(model.workers),
        "--threads",
        str(model.threads),
        "--pythonpath",
        str(pythonpath),
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]


def wait_until_listening(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{server.name}: gunicorn exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((server.host, server.port), 1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{server.name}: gunicorn did not listen within {READY_TIMEOUT_S} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn and its workers (its own process group), forcibly if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def gunicorn(
    name: str, app_spec: str, env: Mapping[str, str], model: WorkerModel, pythonpath: Path
) -> Iterator[Server]:
    """Serve `app_spec` until the block ends; its workers die with it."""
    server = Server(name, "127.0.0.1", free_port())
    process = subprocess.Popen(
        gunicorn_command(app_spec, server.port, model, pythonpath),
        env={**os.environ, **env},
        start_new_session=True,
    )
    try:
        wait_until_listening(server, process)
        yield server
    finally:
        stop(process)
