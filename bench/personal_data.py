"""What masking personal data costs next to the default analyzer, and what it finds.

    .venv/bin/python bench/personal_data.py [--rows 50000] [--data DIR]

One run, on one core: the bench/pipeline corpus (`--rows` texts), GoEmotions dev (`--data`, as
in /work/shared/data) and the same GoEmotions texts each followed by a contact detail, as a
support ticket ends (a phone number in international or national form, an e-mail address, an
order number or a date: the last two must stay), through the default analyzer (the reference)
and through `engine.personal_data.Masker.text`, in µs per text and as a share of the
analyzer's time; and what the masker found in each set, by mask.
"""

import argparse
import os
import re
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "bench"))
sys.path.insert(0, str(REPO_ROOT / "src"))

from languages import corpus_texts, per_text  # noqa: E402  (bench/languages.py's)

from emolytics.engine import load_analyzer  # noqa: E402
from emolytics.engine.personal_data import Masker  # noqa: E402

ENDINGS = (  # what a ticket ends with, in turn
    "Call me on +43 660 1234567.",
    "My number is (415) 867-5309.",
    "Write to ana.lopez@example.org",
    "Order 1234567890 never arrived.",
    "Since 2026-12-03 nothing works.",
)
MASK = re.compile(r"\[(email|phone|card|iban|ip)\]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    arguments = parser.parse_args()

    sets = {"bench corpus": corpus_texts(arguments.rows)}
    goemotions = arguments.data / "goemotions" / "dev.tsv"
    if goemotions.exists():
        lines = goemotions.read_text(encoding="utf-8").splitlines()
        texts = [line.split("\t")[0] for line in lines]
        sets["GoEmotions dev"] = texts
        sets["GoEmotions dev + contact"] = [
            f"{text} {ENDINGS[index % len(ENDINGS)]}" for index, text in enumerate(texts)
        ]
    analyzer = load_analyzer()
    masker = Masker("US", b"bench")
    masker.text("+43 660 1234567")  # the phone metadata loaded outside the timings
    for name, texts in sets.items():
        analysed = per_text(analyzer.analyze, texts)
        masked = per_text(lambda chunk: [masker.text(text) for text in chunk], texts)
        found = Counter(mask for text in texts for mask in MASK.findall(masker.text(text)))
        print(
            f"{name} ({len(texts):,} texts): default analyzer {analysed:6.1f} µs/text, "
            f"masking {masked:6.1f} µs/text ({masked / analysed:.1%} of the analyzer's); "
            f"masked: {dict(found.most_common()) or 'nothing'}"
        )


if __name__ == "__main__":
    main()
