"""Streaming any iterable of texts through an analyzer in fixed-size batches."""

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from emolytics.engine.analyzer import Analyzer
from emolytics.engine.model import EmotionResult

DEFAULT_BATCH_SIZE = 1024


def analyze_batches(
    texts: Iterable[str],
    analyzer: Analyzer,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    explain: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[EmotionResult]:
    """Yield one result per text, in input order, scoring `batch_size` texts at a time.

    Memory stays bounded by one batch whatever the length of `texts`; `explain` asks for
    per-token contributions; `on_progress` receives the number of texts done after each batch.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    pending = iter(texts)
    done = 0
    while batch := list(islice(pending, batch_size)):
        yield from analyzer.analyze(batch, explain=explain)
        done += len(batch)
        if on_progress is not None:
            on_progress(done)
