"""Reading the GoEmotions TSV files (text, comma-separated label ids, comment id).

Only the build script and the benchmark read GoEmotions; the data never ships with the package.
"""

from dataclasses import dataclass
from pathlib import Path

from emolytics.engine.errors import TrainingDataError
from emolytics.engine.labels import GOEMOTIONS_TO_EKMAN


@dataclass(frozen=True, slots=True)
class GoEmotionsRow:
    text: str
    emotions: frozenset[str]  # Ekman classes (plus neutral) of the row's labels


def read_label_names(directory: Path) -> list[str]:
    """The 28 GoEmotions label names in id order (`emotions.txt`)."""
    path = directory / "emotions.txt"
    try:
        return path.read_text(encoding="utf-8").split()
    except OSError as error:
        raise TrainingDataError(f"cannot read {path}: {error.strerror}") from error


def read_split(directory: Path, split: str) -> list[GoEmotionsRow]:
    """Every row of `<directory>/<split>.tsv`, labels mapped to the Ekman classes."""
    names = read_label_names(directory)
    path = directory / f"{split}.tsv"
    rows: list[GoEmotionsRow] = []
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                rows.append(_parse_line(line, names, path, number))
    except OSError as error:
        raise TrainingDataError(f"cannot read {path}: {error.strerror}") from error
    return rows


def _parse_line(line: str, names: list[str], path: Path, number: int) -> GoEmotionsRow:
    fields = line.rstrip("\n").split("\t")
    try:
        emotions = frozenset(GOEMOTIONS_TO_EKMAN[names[int(i)]] for i in fields[1].split(","))
    except (IndexError, ValueError) as error:
        raise TrainingDataError(f"{path}:{number}: malformed GoEmotions row") from error
    return GoEmotionsRow(text=fields[0], emotions=emotions)


def single_label(rows: list[GoEmotionsRow]) -> tuple[list[str], list[str]]:
    """Texts and labels of the rows whose labels all map to one class (policy `ekman-unique`)."""
    kept = [row for row in rows if len(row.emotions) == 1]
    return [row.text for row in kept], [next(iter(row.emotions)) for row in kept]
