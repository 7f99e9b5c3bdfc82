"""A parcel shop's domain for the adaptation tests: its corrections, unrelated texts, verdicts."""

import itertools

from emolytics.engine.adaptation import AdaptationReport

# A shop's domain the default reads as joy or neutral: sarcastic praise of late, broken parcels.
PARCELS = ("parcel", "order", "delivery", "package", "courier", "box")
FAULTS = ("arrived broken", "came three weeks late", "was lost again", "arrived crushed")
SARCASM = ("great job", "thanks a lot", "brilliant service", "just perfect")
HAPPY = ("arrived early", "came today", "was well packed", "got here quickly")


def domain_rows() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for parcel, fault, sarcasm in itertools.product(PARCELS, FAULTS, SARCASM[:3]):
        texts.append(f"my {parcel} {fault}, {sarcasm}")
        labels.append("anger")
    for parcel, happy in itertools.product(PARCELS, HAPPY):
        texts.append(f"my {parcel} {happy}, love it")
        labels.append("joy")
    return texts, labels


# texts the corrections say nothing about: the adapted model must answer them as the base does
UNRELATED = [
    "I am so scared of the dark",
    "what a wonderful day",
    "I am furious with you",
    "my grandmother passed away last night",
    "wow, I did not expect that at all",
]


def verdicts(report: AdaptationReport) -> list[str]:
    """Each setting's verdict, as the model page and the API show it."""
    return [candidate["verdict"] for candidate in report.metrics()["adaptation"]["candidates"]]
