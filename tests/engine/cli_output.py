"""What the engine's commands write, read back: a CSV output as rows."""

import csv
import io


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))
