"""Regenerate the sample dataset `src/emolytics/sample/texts.csv` from `sample_texts.txt`.

    .venv/bin/python scripts/make_sample.py [-o CSV_FILE] [--seed N]

The texts were written for Emolytics: six weeks of posts, reviews, survey answers and support
tickets about the launch of "Line 7", the new tram of the fictional city of Kellburg (and its app).
They are grouped by phase in `sample_texts.txt` (a line `## name: first day to last day` starts a
phase, `# ` starts a comment, every other line is a text), and the share of emotions changes from
phase to phase: anticipation before the launch, joy at the launch, anger and sadness during a
week of breakdowns, recovery, surprise at a free-ride Easter weekend, then everyday life with a
price rise.

This script only adds the details: a timestamp inside the text's phase (more posts in the
mornings and evenings), an invented author handle and, for about 40% of the texts, coordinates
near one of the tram stops (placed around Vienna's centre). Everything comes from one
`random.Random(seed)`, so rerunning it gives a byte-identical file.
"""

import argparse
import csv
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "src" / "emolytics" / "sample" / "texts.csv"
TEXTS_FILE = Path(__file__).resolve().parent / "sample_texts.txt"
DEFAULT_SEED = 2026
GEOTAGGED_SHARE = 0.40
OFFICIAL_ACCOUNT = "KellburgTransit"
COLUMNS = ["text", "created_at", "author", "lat", "lon"]


@dataclass(frozen=True)
class Phase:
    name: str
    first_day: date
    last_day: date
    texts: list[str]


def read_phases(path: Path) -> list[Phase]:
    """The phases of `path` in order, each with its texts (see the module docstring)."""
    phases: list[Phase] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            name, days = line[3:].rsplit(": ", 1)
            first, last = (date.fromisoformat(day) for day in days.split(" to "))
            phases.append(Phase(name, first, last, []))
        elif line.strip() and not line.startswith("# "):
            phases[-1].texts.append(line.strip())
    return phases


# Tram stops (fictional names) placed around Vienna's centre, 48.2082 N 16.3738 E.
STOPS = {
    "Old Town": (48.2085, 16.3731),
    "Central Station": (48.1853, 16.3760),
    "Riverside": (48.2117, 16.3781),
    "Harbour": (48.2186, 16.3923),
    "University": (48.2131, 16.3600),
    "Mill Road": (48.1985, 16.3480),
    "Station Square": (48.2002, 16.3697),
    "Linden Avenue": (48.2230, 16.3590),
}
CENTRE = (48.2082, 16.3738)
MAX_OFFSET = 0.03
SPREAD = 0.0025

# Posts per local hour of the day (weekdays peak at the commutes, weekends later and flatter).
WEEKDAY_HOURS = [0, 0, 0, 0, 0, 1, 3, 9, 10, 6, 3, 3, 4, 3, 3, 3, 5, 8, 9, 7, 5, 4, 2, 1]
WEEKEND_HOURS = [1, 1, 0, 0, 0, 0, 1, 2, 3, 5, 6, 6, 6, 5, 5, 5, 5, 6, 6, 6, 5, 4, 3, 2]
SUMMER_TIME_FROM = date(2026, 3, 29)  # Central European Summer Time (UTC+2) from this day

FIRST_NAMES = """
maria jonas lea felix anna paul sofia lukas emma david nina tobias clara max julia simon
laura elias sarah moritz hannah leon eva jakob mia noah lena ben alina tim marie finn
katrin stefan petra markus ines oliver vera georg rosa karim amir yusuf leila omar chiara
marco giulia pablo lucia ana tomas zofia piotr ivana milan elif deniz
""".split()
HANDLE_STYLES = [
    "{name}_{letter}",
    "{name}{number}",
    "{letter}{name}",
    "{name}.{word}",
    "{word}_{name}",
]
HANDLE_WORDS = [
    "vienna",
    "kb",
    "ontheway",
    "rides",
    "daily",
    "home",
    "late",
    "reads",
    "cycles",
    "cooks",
]
THEMED_HANDLES = """
tramfan88 kellburg_commuter nightshift_nurse grumpy_cyclist coffee_and_rails line7_daily
eastside_mum harbour_walker oldtown_baker student_on_a_budget urban_fox rush_hour_ron
transit_nerd the_late_one greenline_gran stroller_dad bikes_and_trams kellburg_news_fan
""".split()


def make_authors(rng: random.Random, count: int) -> list[str]:
    """`count` distinct invented handles: the themed ones plus first names in a few styles."""
    authors = list(THEMED_HANDLES)
    seen = set(authors)
    while len(authors) < count:
        handle = rng.choice(HANDLE_STYLES).format(
            name=rng.choice(FIRST_NAMES),
            letter=rng.choice("abcdefghijklmnoprstvwz"),
            number=rng.randint(1, 99),
            word=rng.choice(HANDLE_WORDS),
        )
        if handle not in seen:
            seen.add(handle)
            authors.append(handle)
    return authors


def pick_moment(rng: random.Random, phase: Phase) -> datetime:
    """A UTC moment on a day of `phase`, at a local hour drawn from the daily rhythm."""
    days = (phase.last_day - phase.first_day).days + 1
    day = phase.first_day + timedelta(days=rng.randrange(days))
    weights = WEEKEND_HOURS if day.weekday() >= 5 else WEEKDAY_HOURS
    hour = rng.choices(range(24), weights=weights)[0]
    local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
    utc_offset = 2 if day >= SUMMER_TIME_FROM else 1
    return (local - timedelta(hours=utc_offset)).replace(tzinfo=UTC)


def pick_place(rng: random.Random, text: str) -> tuple[float, float]:
    """Near the stop the text names, else near a random stop; never far from the centre."""
    named = [stop for stop in STOPS if stop.lower() in text.lower()]
    lat, lon = STOPS[named[0] if named else rng.choice(sorted(STOPS))]
    lat += rng.gauss(0, SPREAD)
    lon += rng.gauss(0, SPREAD * 1.5)
    lat = min(max(lat, CENTRE[0] - MAX_OFFSET), CENTRE[0] + MAX_OFFSET)
    lon = min(max(lon, CENTRE[1] - MAX_OFFSET), CENTRE[1] + MAX_OFFSET)
    return round(lat, 5), round(lon, 5)


def can_be_geotagged(text: str) -> bool:
    """Survey answers, support tickets and service notices come without a position."""
    return not text.startswith(("Survey answer:", "Support ticket:", "Service notice:"))


def build_rows(seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    texts = [(phase, text) for phase in read_phases(TEXTS_FILE) for text in phase.texts]
    moments = [pick_moment(rng, phase) for phase, _ in texts]

    # Every handle posts at least once; a few regulars post much more often than the rest.
    authors = make_authors(rng, 120)
    personal = [i for i, (_, text) in enumerate(texts) if not text.startswith("Service notice:")]
    order = rng.sample(personal, len(personal))
    activity = [1 / (rank + 1) ** 0.6 for rank in range(len(authors))]
    author_of = dict.fromkeys(set(range(len(texts))) - set(personal), OFFICIAL_ACCOUNT)
    for position, i in enumerate(order):
        if position < len(authors):
            author_of[i] = authors[position]
        else:
            author_of[i] = rng.choices(authors, weights=activity)[0]

    candidates = [i for i, (_, text) in enumerate(texts) if can_be_geotagged(text)]
    geotagged = set(rng.sample(candidates, round(GEOTAGGED_SHARE * len(texts))))

    rows = []
    for i, (_, text) in enumerate(texts):
        lat, lon = pick_place(rng, text) if i in geotagged else ("", "")
        rows.append(
            {
                "text": text,
                "created_at": moments[i].strftime("%Y-%m-%dT%H:%M:%SZ"),
                "author": author_of[i],
                "lat": str(lat),
                "lon": str(lon),
            }
        )
    rows.sort(key=lambda row: row["created_at"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    options = parser.parse_args()

    rows = build_rows(options.seed)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    with options.output.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    geotagged = sum(1 for row in rows if row["lat"])
    print(
        f"{options.output}: {len(rows)} texts, {len({row['author'] for row in rows})} authors, "
        f"{geotagged} geotagged, {rows[0]['created_at']} to {rows[-1]['created_at']}"
    )


if __name__ == "__main__":
    main()
