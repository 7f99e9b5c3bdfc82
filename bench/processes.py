"""Running a benchmark's worker in a process of its own, on one core, for its own peak memory."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

SINGLE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def spawn(script: str, name: str, argument: str, python: Path | None = None) -> dict[str, Any]:
    """Run `script --worker NAME ARGUMENT` single-threaded (with `python`, default this one) and
    return the JSON object it prints last."""
    completed = subprocess.run(
        [str(python or sys.executable), str(Path(script).resolve()), "--worker", name, argument],
        capture_output=True,
        text=True,
        env={**os.environ, **SINGLE_CORE},
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{name} failed: {completed.stderr.strip().splitlines()[-1:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])
