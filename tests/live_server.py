"""A real Emolytics server for the suites that talk to one over HTTP (browser, black-box).

`emolytics run` (gunicorn) on a free local port with its own SQLite instance folder, stopped
when the `with` block ends.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

EMOLYTICS = Path(sys.executable).with_name("emolytics")
START_TIMEOUT = 30.0
# Settings the outer environment might carry that would point the server elsewhere.
FOREIGN_SETTINGS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "EMOLYTICS_REGISTRATION",
    "EMOLYTICS_HTTPS",
    "EMOLYTICS_PROXY_COUNT",
    "EMOLYTICS_MAX_UPLOAD_MB",
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def serve(instance: Path, config: str = "") -> Iterator[str]:
    """Run the app with `config` as its instance/config.py; yields `http://127.0.0.1:PORT`."""
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "config.py").write_text(config)
    log = instance / "server.log"
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN_SETTINGS}
    env["EMOLYTICS_INSTANCE_PATH"] = str(instance)
    env["PYTHONUNBUFFERED"] = "1"
    # The port is free when probed; another process could take it before gunicorn binds, in
    # which case the server exits and the poll below reports it with the log.
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(EMOLYTICS), "run", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=instance,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(f"{url}/login"):
            if process.poll() is not None:
                pytest.fail(
                    f"emolytics run exited with {process.returncode}:\n{log.read_text()}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"emolytics run did not answer within {START_TIMEOUT:.0f} s:\n"
                    f"{log.read_text()}",
                    pytrace=False,
                )
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
