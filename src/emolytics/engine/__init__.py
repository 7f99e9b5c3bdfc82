"""The Emolytics emotion engine: plain Python, no web framework, no downloads at run time.

    from emolytics.engine import load_analyzer
    analyzer = load_analyzer()  # or load_analyzer("path/to/model.zip")
    [result] = analyzer.analyze(["soooo happy today :)"], explain=True)
    result.label, result.scores, result.valence, result.contributions

Training lives in `emolytics.engine.training` (it imports scikit-learn; scoring does not).
"""

from emolytics.engine.analyzer import DEFAULT, Analyzer, load_analyzer
from emolytics.engine.batching import analyze_batches
from emolytics.engine.errors import EngineError, InputFormatError, ModelFileError, TrainingDataError
from emolytics.engine.labels import EMOTIONS
from emolytics.engine.model import EmotionResult

__all__ = [
    "DEFAULT",
    "EMOTIONS",
    "Analyzer",
    "EmotionResult",
    "EngineError",
    "InputFormatError",
    "ModelFileError",
    "TrainingDataError",
    "analyze_batches",
    "load_analyzer",
]
