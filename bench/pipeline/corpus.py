"""A deterministic corpus of realistic social texts, written as CSV.

Columns: text, created_at (ISO 8601, UTC, over ~90 days), author (a skewed handful of heavy
posters and a long tail), lat and lon (about a fifth of rows). Texts mix templates with varied
vocabulary, emoji and hashtags; their lengths follow a skewed distribution between 20 and 280
characters, and the tracked keywords appear in a fraction of them.
"""

import csv
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

KEYWORDS = ("tram", "battery", "delivery", "price", "staff", "app")
FILTER_KEYWORD = "tram"
SEARCH_WORD = "delayed"
RARE_WORD = "zeppelin"  # in no text: a search that finds nothing reads every text to know
FEW_WORD, FEW_EVERY = "refund", 500  # ends every 500th text: a search that finds few (0.2 %)
END = datetime(2025, 9, 30, tzinfo=UTC)
DAYS = 90
GEOTAGGED = 0.2
MIN_CHARS, MAX_CHARS = 20, 280

SUBJECTS = (
    "the new tram",
    "the tram to the airport",
    "my phone battery",
    "the battery of this laptop",
    "the delivery",
    "my parcel delivery",
    "the price of coffee",
    "the ticket price",
    "the staff at the station",
    "the hotel staff",
    "the banking app",
    "this app update",
    "the concert last night",
    "the weather",
    "my landlord",
    "the football match",
    "our new neighbour",
    "the city council",
    "the bus driver",
    "the queue at the bakery",
    "my internet connection",
    "the museum",
    "the restaurant on Main Street",
    "the school run",
    "my train",
)
FEELINGS = {
    "joy": (
        "is absolutely brilliant",
        "made my day",
        "is so much fun",
        "made me smile all morning",
        "is the best thing this week",
        "works perfectly, love it",
        "was delightful",
    ),
    "anger": (
        "is a total disgrace",
        "makes me furious",
        "is unacceptable, again",
        "ruined my evening, so annoyed",
        "is a scam and I hate it",
        "keeps failing and I am livid",
    ),
    "sadness": (
        "makes me sad",
        "broke my heart a little",
        "left me feeling lonely",
        "is gone and I miss it",
        "was so disappointing",
        "made me cry on the way home",
    ),
    "fear": (
        "scares me",
        "makes me nervous",
        "is terrifying at night",
        "has me worried sick",
        "feels unsafe",
        "gives me anxiety",
    ),
    "surprise": (
        "was a total surprise",
        "is unexpectedly good",
        "shocked everyone",
        "appeared out of nowhere",
        "turned out to be amazing, wow",
    ),
    "disgust": (
        "is disgusting",
        "smells awful",
        "is gross, honestly",
        "made me feel sick",
        "is filthy and nobody cares",
    ),
    "neutral": (
        "is on at 9",
        "was mentioned in the news",
        "changes its schedule next week",
        "is being discussed at the meeting",
        "has a new website",
        "opens on Monday",
    ),
}
OPENERS = ("", "", "", "Honestly, ", "Ok so ", "Update: ", "Today ", "Not gonna lie, ", "PSA: ")
FILLERS = (
    "I waited twenty minutes and then it was delayed again",
    "my friends said the same thing",
    "not sure what to think about it",
    "can anyone explain what is going on",
    "the whole street was talking about it",
    "this happens every single week",
    "will try again tomorrow",
    "thanks to everyone who helped",
    "who decided this was a good idea",
    "it's the third time this month",
    "my mum called me about it",
    "cannot believe it",
    "we should all write to them",
    "best decision ever",
    "still thinking about it",
)
EMOJI = ("😀", "😂", "😍", "😡", "😱", "😢", "😮", "🤢", "👍", "❤️", "🔥", "🙄", "🚋", "🔋", "📦")
HASHTAGS = ("#tram", "#monday", "#delivery", "#fail", "#love", "#citylife", "#battery", "#news")
CITIES = (
    (52.52, 13.40),
    (48.86, 2.35),
    (51.51, -0.13),
    (40.71, -74.01),
    (45.76, 4.84),
    (35.68, 139.69),
)


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    rows: int
    size: int


ISO_TIMES = "%Y-%m-%dT%H:%M:%SZ"
NAMED_TIMES = "%b %d, %Y %I:%M %p"  # as some exports write them: Oct 22, 2026 03:50 PM


def write_corpus(path: Path, rows: int, seed: int = 1, time_format: str = ISO_TIMES) -> CorpusFile:
    """Write `rows` texts to `path` as CSV (the same file for the same seed, rows and format
    of the times)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("text", "created_at", "author", "lat", "lon"))
        for number in range(rows):
            text, *rest = _row(rng, time_format)
            if number % FEW_EVERY == FEW_EVERY - 1:  # drawing nothing: the others stay the same
                text = f"{_cut(text, MAX_CHARS - len(FEW_WORD) - 1)} {FEW_WORD}"
            writer.writerow((text, *rest))
    return CorpusFile(path, rows, path.stat().st_size)


def _row(rng: random.Random, time_format: str) -> tuple[str, str, str, str, str]:
    lat, lon = _coordinates(rng)
    return _text(rng), _moment(rng).strftime(time_format), _author(rng), lat, lon


def _text(rng: random.Random) -> str:
    """One text, about as long as a skewed draw asks (most short, a long tail to 280)."""
    target = min(MAX_CHARS, max(MIN_CHARS, int(rng.lognormvariate(math.log(75), 0.6))))
    emotion = rng.choice(tuple(FEELINGS))
    pieces = [rng.choice(OPENERS) + rng.choice(SUBJECTS), rng.choice(FEELINGS[emotion])]
    text = " ".join(pieces)
    while len(text) < target:
        text += rng.choice((". ", ", ", " - ", "! ")) + _extra(rng, emotion)
    text = _cut(text, target)
    if rng.random() < 0.3:
        text = _cut(text, MAX_CHARS - 3) + " " + rng.choice(EMOJI)
    if rng.random() < 0.01:
        text = text.replace(". ", ".\n", 1)  # a few texts span lines (quoted in the CSV)
    return text if len(text) >= MIN_CHARS else text + " " + rng.choice(FILLERS)[:MIN_CHARS]


def _extra(rng: random.Random, emotion: str) -> str:
    draw = rng.random()
    if draw < 0.5:
        return rng.choice(FILLERS)
    if draw < 0.7:
        return rng.choice(FEELINGS[emotion]).capitalize()
    if draw < 0.85:
        return " ".join(rng.choices(HASHTAGS, k=rng.randint(1, 3)))
    return "".join(rng.choices(EMOJI, k=rng.randint(1, 3)))


def _cut(text: str, limit: int) -> str:
    """`text` cut at the last space before `limit` characters (whole words only)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > MIN_CHARS else cut


def _moment(rng: random.Random) -> datetime:
    """Over DAYS days, busier in the day than at night, and busier lately."""
    day = DAYS - int(DAYS * rng.random() ** 0.8)
    hour = min(23, max(0, int(rng.gauss(14, 5))))
    return END - timedelta(days=day) + timedelta(hours=hour, seconds=rng.randrange(3600))


def _author(rng: random.Random) -> str:
    return f"user{int(20 * (rng.paretovariate(1.1) - 1)) % 80_000}"


def _coordinates(rng: random.Random) -> tuple[str, str]:
    if rng.random() >= GEOTAGGED:
        return "", ""
    lat, lon = rng.choice(CITIES)
    return f"{lat + rng.gauss(0, 0.05):.5f}", f"{lon + rng.gauss(0, 0.05):.5f}"
