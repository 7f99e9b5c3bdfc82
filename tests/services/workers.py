"""`emolytics worker` processes for the tests, on a queue of this run's own."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REDIS_URL, RUN_ID

QUEUE = f"emolytics-test-{RUN_ID}"


def start_worker(tmp_path: Path, postgres_url: str, *args: str) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DATABASE_URL": postgres_url,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "test secret key",
        "EMOLYTICS_RQ_QUEUE": QUEUE,
        "EMOLYTICS_JOB_STALE_SECONDS": "1",
        "EMOLYTICS_INSTANCE_PATH": str(tmp_path),
    }
    command = [sys.executable, "-m", "emolytics", "worker", *args]
    return subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
