"""What language detection costs next to the default analyzer, and whether its English fast path
is safe.

    .venv/bin/python bench/languages.py [--rows 50000] [--data DIR] [--locales /usr/share/locale]

One run, on one core:
- speed: the bench/pipeline corpus (`--rows` texts, as `bench/pipeline/corpus.py` writes them)
  through the default analyzer and through `engine.languages.detect` (with its English fast
  path, and without it: the detector on every text), in µs per text;
- the fast path against the detector: on the corpus, GoEmotions dev and XED English (`--data`,
  as in /work/shared/data), the share of texts it takes and what the detector itself calls
  those (English, unsure, or another language: the fast path's only real error); on the
  translations of this machine's gettext catalogues (`--locales`:
  real sentences in German, French, Spanish... with their English originals), how many
  non-English texts it would wrongly take for English.
"""

import argparse
import csv
import gettext
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "bench" / "pipeline"))
sys.path.insert(0, str(REPO_ROOT / "src"))

from corpus import write_corpus  # noqa: E402

from emolytics.engine import languages, load_analyzer  # noqa: E402

CHUNK = 2000  # texts per call, as an analysis chunk
LOCALES = ("de", "fr", "es", "it", "pt", "nl", "sv", "da", "pl", "cs", "fi", "tr", "ro", "hu")


def per_text(function: Callable[[Sequence[str]], object], texts: Sequence[str]) -> float:
    """µs per text of `function` over `texts` in chunks (the best of two runs)."""
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        for first in range(0, len(texts), CHUNK):
            function(texts[first : first + CHUNK])
        best = min(best, time.perf_counter() - started)
    return 1e6 * best / len(texts)


def detector_only(texts: Sequence[str]) -> list[str]:
    """The detector on every text (no fast path), as `languages.detect` would ask it."""
    saved = languages.plainly_english
    languages.plainly_english = lambda text: False  # type: ignore[assignment]
    try:
        return languages.detect(texts)
    finally:
        languages.plainly_english = saved  # type: ignore[assignment]


def fast_path_report(name: str, texts: Sequence[str]) -> None:
    """The share of `texts` the fast path takes, and what the detector says of those: English,
    unsure (und, which is scored too) or another language (the fast path's only real error)."""
    taken = [text for text in texts if languages.plainly_english(text)]
    verdicts = Counter(detector_only(taken))
    other = len(taken) - verdicts["en"] - verdicts[languages.UNDETERMINED]
    print(
        f"  {name:<22} {len(texts):>7} texts, fast path takes {len(taken) / len(texts):6.1%}; "
        f"detector: en {verdicts['en']}, und {verdicts[languages.UNDETERMINED]}, another "
        f"{other} ({other / max(1, len(taken)):.2%}) {dict(verdicts.most_common(4))}"
    )


def corpus_texts(rows: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.csv"
        write_corpus(path, rows)
        with path.open(encoding="utf-8", newline="") as source:
            return [row["text"] for row in csv.DictReader(source)]


def shared_texts(data: Path) -> dict[str, list[str]]:
    found = {}
    goemotions = data / "goemotions" / "dev.tsv"
    if goemotions.exists():
        lines = goemotions.read_text(encoding="utf-8").splitlines()
        found["GoEmotions dev"] = [line.split("\t")[0] for line in lines]
    xed = data / "xed" / "en-annotated.tsv"
    if xed.exists():
        lines = xed.read_text(encoding="utf-8").splitlines()
        found["XED English"] = [line.split("\t")[0] for line in lines]
    return found


def catalogue_texts(locales: Path, language: str) -> tuple[list[str], list[str]]:
    """(English originals, translations) of every gettext catalogue of `language`."""
    originals, translations = [], []
    for path in sorted((locales / language / "LC_MESSAGES").glob("*.mo")):
        try:
            with path.open("rb") as binary:
                catalogue = gettext.GNUTranslations(binary)._catalog  # type: ignore[attr-defined]
        except (OSError, UnicodeDecodeError, ValueError):
            continue  # a catalogue in another encoding: skipped
        for original, translated in catalogue.items():
            if isinstance(original, str) and original and translated and original != translated:
                originals.append(" ".join(original.split()))
                translations.append(" ".join(str(translated).split()))
    return originals, translations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    parser.add_argument("--locales", type=Path, default=Path("/usr/share/locale"))
    arguments = parser.parse_args()

    texts = corpus_texts(arguments.rows)
    analyzer = load_analyzer()
    languages.detect(texts[:10])  # load the detector outside the timings
    print(f"speed on the bench/pipeline corpus ({len(texts):,} texts, chunks of {CHUNK}):")
    analysed = per_text(analyzer.analyze, texts)
    detected = per_text(languages.detect, texts)
    every = per_text(detector_only, texts)
    print(f"  default analyzer          {analysed:7.1f} µs/text")
    print(f"  detect (fast path)        {detected:7.1f} µs/text ({detected / analysed:.1%})")
    print(f"  detect (detector on all)  {every:7.1f} µs/text ({every / analysed:.1%})")
    found = Counter(languages.detect(texts))
    print(f"  languages found: {dict(found.most_common(6))}")

    print("fast path on English texts (it must agree with the detector):")
    fast_path_report("bench corpus", texts)
    for name, shared in shared_texts(arguments.data).items():
        fast_path_report(name, shared)

    print("fast path on translations (it must take none of them):")
    all_originals: list[str] = []
    for language in LOCALES:
        originals, translations = catalogue_texts(arguments.locales, language)
        if not translations:
            continue
        all_originals += originals
        fast_path_report(f"gettext {language}", translations)
    if all_originals:
        fast_path_report("gettext originals (en)", sorted(set(all_originals)))


if __name__ == "__main__":
    main()
