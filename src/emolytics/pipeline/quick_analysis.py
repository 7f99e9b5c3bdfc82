"""The quick analysis: texts labelled by the default analyzer or one of the team's models,
nothing stored (the /analyze page and `POST /api/v1/analyze`)."""

from collections.abc import Sequence

from emolytics.engine import EmotionResult
from emolytics.pipeline import analyzers, languages


def analysed(
    model_id: int | None, texts: Sequence[str], explain: bool
) -> tuple[list[languages.Found], list[EmotionResult | None]]:
    """Each text's language and its result by the model (None: the default analyzer); a text
    in a language the model does not read has no result."""
    analyzer = analyzers.analyzer_for(model_id)
    found = languages.detect_for(model_id, analyzer, texts)
    return found, languages.scored(analyzer, texts, found, explain=explain)
