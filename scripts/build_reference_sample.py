"""Rebuild the default analyzer's reference sample shipped in `src/emolytics/engine/data/`.

    .venv/bin/python scripts/build_reference_sample.py [GOEMOTIONS_DIR]

Reads GoEmotions (../shared/data/goemotions by default; nothing is downloaded) and writes two
`label<TAB>text` files that `engine.reference.default_reference` reads when a model is adapted
from the default analyzer:
- `default-anchors.tsv`: 2,000 single-label rows of the train split (the default's own training
  data), on which the refit keeps agreeing with the default (their labels are not used);
- `default-held-out.tsv`: 2,000 single-label rows of the dev split, never trained on: settings
  that lose macro-F1 on lines 1, 3, 5... (the guard) are refused, and an adapted model's forgetting
  is reported on lines 2, 4, 6... (the validation rows). `bench/adaptation.py` measures forgetting
  on the dev rows that are not guard rows.
Rows are drawn with a fixed seed: rerunning the script on the same data gives the same files.
"""

import argparse
import random
import sys
from pathlib import Path

from emolytics.engine.errors import EngineError
from emolytics.engine.goemotions import read_split, single_label
from emolytics.engine.reference import ANCHORS_FILE, HELD_OUT_FILE

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
DATA = REPO_ROOT / "src" / "emolytics" / "engine" / "data"
SAMPLES = {ANCHORS_FILE: ("train", 2_000), HELD_OUT_FILE: ("dev", 2_000)}
SEED = "emolytics-reference-1"


def sample(directory: Path, split: str, size: int) -> list[tuple[str, str]]:
    texts, labels = single_label(read_split(directory, split))
    rows = [(label, text) for text, label in zip(texts, labels, strict=True)]
    return random.Random(SEED).sample(rows, size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("goemotions", type=Path, nargs="?", default=SHARED_DATA / "goemotions")
    arguments = parser.parse_args()
    try:
        for name, (split, size) in SAMPLES.items():
            rows = sample(arguments.goemotions, split, size)
            content = "".join(f"{label}\t{text}\n" for label, text in rows)
            (DATA / name).write_text(content, encoding="utf-8")
            print(f"{name}: {len(rows)} rows of GoEmotions {split}")
    except EngineError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
