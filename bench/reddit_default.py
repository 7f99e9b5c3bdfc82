"""The default model as shipped before it read more than Reddit, for benchmarks to compare with.

It is read from git history (`git show REFERENCE_COMMIT:MODEL_PATH`), or from a file given on
the command line when the checkout has no history.
"""

import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_COMMIT = "0d9d3f4"  # the default model before it was trained on more than Reddit
MODEL_PATH = "src/emolytics/engine/data/default-model.zip"


def reddit_default(directory: Path, fallback: Path | None) -> tuple[str | None, str]:
    """The Reddit-only default as a file in `directory` (or `fallback`), and where it came
    from; None and why when neither is at hand."""
    show = ["git", "-C", str(REPO_ROOT), "show", f"{REFERENCE_COMMIT}:{MODEL_PATH}"]
    try:
        content = subprocess.run(show, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        if fallback is None:
            return None, "not found (no git history; pass the model file's path)"
        return str(fallback), str(fallback)
    path = directory / "reference-model.zip"
    path.write_bytes(content)
    return str(path), f"git show {REFERENCE_COMMIT}:{MODEL_PATH}"
