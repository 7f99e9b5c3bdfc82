"""The default label set and how GoEmotions' 28 labels map onto it."""

EMOTIONS: tuple[str, ...] = ("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral")
NEUTRAL = "neutral"

# Ekman grouping published with GoEmotions (Demszky et al., 2020), plus neutral.
EKMAN_GROUPS: dict[str, tuple[str, ...]] = {
    "anger": ("anger", "annoyance", "disapproval"),
    "disgust": ("disgust",),
    "fear": ("fear", "nervousness"),
    "joy": (
        "joy", "amusement", "approval", "excitement", "gratitude", "love", "optimism", "relief",
        "pride", "admiration", "desire", "caring",
    ),
    "sadness": ("sadness", "disappointment", "embarrassment", "grief", "remorse"),
    "surprise": ("surprise", "realization", "confusion", "curiosity"),
    "neutral": ("neutral",),
}  # fmt: skip

GOEMOTIONS_TO_EKMAN: dict[str, str] = {
    fine: coarse for coarse, fines in EKMAN_GROUPS.items() for fine in fines
}
