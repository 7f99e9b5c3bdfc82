"""One entry point for every analyzer: `load_analyzer("default")` or a trained model's path."""

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol

from emolytics.engine.artifacts import load_model
from emolytics.engine.model import EmotionResult, LinearModel

DEFAULT = "default"
DEFAULT_MODEL_FILE = "default-model.zip"


class Analyzer(Protocol):
    """Anything that scores texts into emotion results. Implementations are thread-safe."""

    @property
    def labels(self) -> tuple[str, ...]: ...

    def analyze(self, texts: Sequence[str], *, explain: bool = False) -> list[EmotionResult]: ...

    def knows(self, word: str) -> bool: ...


def load_analyzer(model: str | Path = DEFAULT) -> LinearModel:
    """Return the shipped default analyzer, or the trained model stored at `model`.

    Raises `ModelFileError` when the file is missing or invalid. The default analyzer is loaded
    once per process and shared.
    """
    if str(model) == DEFAULT:
        return _default_analyzer()
    analyzer, _ = load_model(Path(model))
    return analyzer


def default_model_path() -> Path:
    """Where the shipped default model lives inside the installed package."""
    return Path(str(resources.files("emolytics.engine").joinpath("data", DEFAULT_MODEL_FILE)))


@lru_cache(maxsize=1)
def _default_analyzer() -> LinearModel:
    analyzer, _ = load_model(default_model_path())
    return analyzer
