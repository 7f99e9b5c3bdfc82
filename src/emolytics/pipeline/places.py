"""Places: a text's place named in a column ("Lisbon", "Austin, TX") becomes its latitude and
longitude as it is read (`ingest.placed`, through `engine.places`), so the map shows texts
whose files have no coordinates. The texts whose place names no known place are counted per
dataset as they come in, with their most frequent names, for its page to say why they are not
on the map.
"""

from collections import Counter
from collections.abc import Iterable, Iterator

from emolytics.pipeline.ingest import ParsedText
from emolytics.tables import Dataset

LISTED = 20  # the names kept, the most frequent first
MAX_COUNTED = 10_000  # different names counted in one batch of texts (memory stays bounded)


class Unplaced:
    """The texts of a batch whose place names no known place, and their names."""

    def __init__(self) -> None:
        self.texts = 0
        self.names: Counter[str] = Counter()

    def noted(self, rows: Iterable[ParsedText]) -> Iterator[ParsedText]:
        """`rows`, noting those whose place is unknown on the way."""
        for row in rows:
            if row.unplaced is not None:
                self.note(row.unplaced)
            yield row

    def note(self, name: str) -> None:
        self.texts += 1
        if name in self.names or len(self.names) < MAX_COUNTED:
            self.names[name] += 1

    def add_to(self, dataset: Dataset) -> None:
        """Count them in the dataset's (in the caller's transaction)."""
        if not self.texts:
            return
        before = dataset.unplaced or {"texts": 0, "names": []}
        names = Counter({known["name"]: known["texts"] for known in before["names"]})
        names.update(self.names)
        dataset.unplaced = {
            "texts": before["texts"] + self.texts,
            "names": [{"name": name, "texts": texts} for name, texts in names.most_common(LISTED)],
        }
