"""Reading XED English (film subtitle lines, Plutchik labels) and its held-out evaluation split.

`en-annotated.tsv` holds `sentence<TAB>ids` (comma-separated Plutchik ids), `neu_en.txt` holds
`9<TAB>sentence` (lines annotated as neutral). Ids map onto Emolytics' labels as the dataset's
README says; anticipation (2) and trust (8) have no counterpart and are left out. Only the build
script and the benchmark read XED; the data never ships with the package.

`split_rows` sets a fifth of the lines aside, the same ones on every machine: the benchmark
measures on them, and nothing trains or tunes on them.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from emolytics.engine.errors import TrainingDataError

ANNOTATED_FILE = "en-annotated.tsv"
NEUTRAL_FILE = "neu_en.txt"
XED_TO_EMOLYTICS: dict[int, str | None] = {
    1: "anger",
    2: None,  # anticipation
    3: "disgust",
    4: "fear",
    5: "joy",
    6: "sadness",
    7: "surprise",
    8: None,  # trust
    9: "neutral",
}
HELD_OUT_SHARE = 0.2
SPLIT_SEED = "emolytics-xed-held-out-1"


@dataclass(frozen=True, slots=True)
class XedRow:
    text: str
    emotions: frozenset[str]  # Emolytics labels of the line's ids; empty if none has one


def read_xed(directory: Path) -> list[XedRow]:
    """Every line of `en-annotated.tsv`, then every line of `neu_en.txt`, labels mapped.

    Raises `TrainingDataError` for a missing file or a malformed line (with its number).
    """
    rows = [_annotated_row(line) for line in _lines(directory / ANNOTATED_FILE)]
    rows += [_neutral_row(line) for line in _lines(directory / NEUTRAL_FILE)]
    return rows


def split_rows(rows: list[XedRow]) -> tuple[list[XedRow], list[XedRow]]:
    """(training rows, held-out rows): HELD_OUT_SHARE of each label set, chosen by a keyed hash
    of the text so that the split depends neither on file order nor on the machine. A text that
    occurs more than once is on one side only (held out if any copy is)."""
    strata: dict[frozenset[str], list[XedRow]] = {}
    for row in rows:
        strata.setdefault(row.emotions, []).append(row)
    held_out_texts: set[str] = set()
    for stratum in strata.values():
        ranked = sorted(stratum, key=lambda row: (_rank(row.text), row.text))
        held_out_texts.update(row.text for row in ranked[: round(HELD_OUT_SHARE * len(ranked))])
    training = [row for row in rows if row.text not in held_out_texts]
    held_out = [row for row in rows if row.text in held_out_texts]
    return training, held_out


def single_label(rows: list[XedRow]) -> tuple[list[str], list[str]]:
    """Texts and labels of the rows whose ids map to exactly one Emolytics label."""
    kept = [row for row in rows if len(row.emotions) == 1]
    return [row.text for row in kept], [next(iter(row.emotions)) for row in kept]


def _rank(text: str) -> bytes:
    return hashlib.blake2b(f"{SPLIT_SEED}\n{text}".encode(), digest_size=8).digest()


def _lines(path: Path) -> list[tuple[str, int, str]]:
    try:
        with path.open(encoding="utf-8") as stream:
            return [
                (line.rstrip("\n"), number, str(path))
                for number, line in enumerate(stream, start=1)
                if line.strip()
            ]
    except OSError as error:
        raise TrainingDataError(f"cannot read {path}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise TrainingDataError(f"{path}: not UTF-8 ({error.reason})") from error


def _annotated_row(line: tuple[str, int, str]) -> XedRow:
    content, number, path = line
    text, _, ids = content.rpartition("\t")
    text = text.strip()
    return XedRow(text=text, emotions=_emotions(ids.split(","), path, number, bool(text)))


def _neutral_row(line: tuple[str, int, str]) -> XedRow:
    content, number, path = line
    label, _, text = content.partition("\t")
    text = text.strip()  # some lines end in stray tabs
    return XedRow(text=text, emotions=_emotions([label], path, number, bool(text)))


def _emotions(ids: list[str], path: str, number: int, has_text: bool) -> frozenset[str]:
    try:
        labels = [XED_TO_EMOLYTICS[int(label)] for label in ids]
    except (KeyError, ValueError):
        labels, has_text = [], False
    if not has_text:
        raise TrainingDataError(f"{path}:{number}: malformed XED line")
    return frozenset(label for label in labels if label is not None)
