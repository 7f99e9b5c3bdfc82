"""The product flow's CSV: thousands of varied rider comments, then hand-written rows to find."""

import csv
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Hand-written rows, easy to find again. The formula must come out of the export inert.
FORMULA_TEXT = "=SUM(A1:A9) I hate this"
SEARCH_WORD = "zeppelin"
SEARCH_TEXT = "The zeppelin tour was wonderful, I love it and I am so happy, best day of the year!"
MARKUP_TEXT = "<b>quokka</b> <script>alert(1)</script> awful, disgusting, I am furious"
HANDWRITTEN = [FORMULA_TEXT, SEARCH_TEXT, MARKUP_TEXT]

OPENINGS = ["", "Honestly, ", "Today ", "Again: ", "Well, ", "So ", "Wow, "]
SUBJECTS = [
    "the tram",
    "the new app",
    "the staff",
    "the delays",
    "the tickets",
    "the station",
    "the driver",
    "the timetable",
]
FEELINGS = [
    "is great, I love it",
    "made me so happy",
    "is awful and I am furious",
    "makes me angry every morning",
    "is disgusting, gross",
    "scares me, I am afraid",
    "is terrifying at night",
    "makes me sad, I miss the old one",
    "left me lonely and miserable",
    "surprised me, wow, unexpected",
    "was shocking, I did not expect that",
    "is fine I guess",
    "runs at nine on weekdays",
]
ENDINGS = ["", "!", ".", " :)", " :(", " 😡", " 😍", " #tram", " 😢"]
CITIES = [(52.52, 13.40), (48.14, 11.58), (53.55, 9.99), (50.94, 6.96)]


@dataclass
class Upload:
    path: Path
    rows: int
    geotagged: int

    def line_of(self, text: str) -> int:
        """The file line of a hand-written text (the header is line 1)."""
        return self.rows - len(HANDWRITTEN) + 2 + HANDWRITTEN.index(text)


def write_csv(path: Path, generated: int, seed: int = 11) -> Upload:
    """`generated` varied rows over three weeks, ~30% with coordinates, then the hand-written
    rows; the header names no role but latitude and longitude (the page guesses the text and
    time columns from their values)."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    geotagged = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["remark", "when", "who", "latitude", "longitude"])
        for index in range(generated):
            text = (
                rng.choice(OPENINGS)
                + f"{rng.choice(SUBJECTS)} {rng.choice(FEELINGS)}{rng.choice(ENDINGS)}"
            )
            when = start + timedelta(seconds=rng.randrange(21 * 86400))
            lat = lon = ""
            if rng.random() < 0.3:
                city_lat, city_lon = rng.choice(CITIES)
                lat = f"{city_lat + rng.uniform(-0.2, 0.2):.5f}"
                lon = f"{city_lon + rng.uniform(-0.3, 0.3):.5f}"
                geotagged += 1
            writer.writerow([text, when.isoformat(), f"rider{index % 500}", lat, lon])
        for text in HANDWRITTEN:
            writer.writerow([text, "2026-03-10T12:00:00Z", "handwritten", "", ""])
    return Upload(path, generated + len(HANDWRITTEN), geotagged)
