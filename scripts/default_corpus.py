"""The default model's training data, read once for `build_default_model.py`.

- GoEmotions train (Reddit comments; `goemotions.read_split`), every row;
- XED English (film subtitles; `xed.read_xed`), only the training part of `xed.split_rows`: its
  held-out fifth is what the benchmark measures on, so it is never read here;
- about two hundred hand-picked emoji and emotion words as one-token texts (`SEED_EMOJI`,
  `SEED_WORDS`), so that emoji and words rare in both corpora keep their meaning.

A multi-label row counts once per class, its weight split between them; XED lines whose only
labels are anticipation or trust are left out.
"""

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from emolytics.engine.features import FeatureCounts, FeatureSpec
from emolytics.engine.goemotions import read_split
from emolytics.engine.labels import EMOTIONS
from emolytics.engine.training import forms_of
from emolytics.engine.xed import read_xed, split_rows

DOMAINS = ("goemotions", "xed")
SOURCES = {
    "goemotions": "GoEmotions train split (Demszky et al., 2020), CC BY 4.0, (c) Google LLC",
    "xed": "XED English, training part (Öhman et al., 2020), CC BY 4.0",
}
# Emoji whose emotion is unambiguous (emoticons map onto them), added as one-token training texts
# so that emoji rare on Reddit still carry their meaning in tweets and reviews.
SEED_EMOJI = {
    "joy": "😂🤣😍🥰😘😊😀😃😄😁😆🙂😉😛❤💕👍🎉🙏🥳👏😎💖💗💓💞💙💜💚💛🤗☺😇😸🙌💯😋",
    "sadness": "😢😭💔😞😔🙁☹😿😥😓😪🥺😩",
    "anger": "😡😠🤬👎😤🖕😒🙄",
    "disgust": "🤢🤮",
    "fear": "😱😨😰😧😟",
    "surprise": "😮😲🤯😯",
    "neutral": "😐😑😶",
}
# Plain emotion words, for the same reason: some are rare on Reddit and in subtitles, and
# character n-grams would otherwise let look-alikes decide ("furious" resembles "curious").
SEED_WORDS = {
    "anger": "angry furious enraged outraged livid infuriated irate pissed annoyed irritated mad "
    "resentful bitter hostile frustrated aggravated cranky grumpy hateful vengeful indignant "
    "exasperated fuming offended spiteful",
    "disgust": "disgusting disgusted gross revolting repulsive nauseating vile yuck eww sickening "
    "repulsed nauseated appalled loathsome sickened grossed icky",
    "fear": "afraid scared terrified frightened fearful anxious nervous panicked worried horrified "
    "apprehensive uneasy alarmed petrified paranoid tense insecure threatened intimidated "
    "jittery",
    "joy": "happy delighted joyful glad thrilled excited grateful cheerful elated ecstatic pleased "
    "content satisfied proud relieved hopeful optimistic blessed thankful amused loving "
    "affectionate wonderful lovely fantastic awesome",
    "sadness": "sad unhappy depressed miserable heartbroken gloomy devastated lonely grieving "
    "hopeless disappointed ashamed embarrassed guilty regretful sorrowful melancholy hurt "
    "crushed rejected gutted homesick tearful discouraged",
    "surprise": "surprised astonished amazed shocked stunned astounded speechless wow whoa "
    "startled bewildered dumbfounded flabbergasted confused curious puzzled baffled perplexed",
}
SEED_WEIGHT = 5.0


@dataclass(frozen=True, slots=True)
class Corpus:
    """Training rows of every domain, their features and one example per (row, label)."""

    texts: list[str]
    emotions: list[frozenset[str]]
    domain: np.ndarray  # index into DOMAINS, or len(DOMAINS) for seeds
    forms: list[list[str]]
    counts: FeatureCounts
    examples: tuple[np.ndarray, np.ndarray, np.ndarray]  # row, label index, weight share

    def weights(self, xed_weight: float) -> np.ndarray:
        """Each example's weight: its row's domain weight (an XED row weighs `xed_weight`, a
        GoEmotions row 1, a seed SEED_WEIGHT) times its share of the row."""
        row_weight = np.array([1.0, xed_weight, SEED_WEIGHT])[self.domain]
        return row_weight[self.examples[0]] * self.examples[2]

    def with_char_weight(self, char_weight: float) -> FeatureCounts:
        return replace(self.counts, spec=replace(self.counts.spec, char_weight=char_weight))


def seed_texts() -> list[tuple[str, str]]:
    emoji = [(symbol, emotion) for emotion, symbols in SEED_EMOJI.items() for symbol in symbols]
    words = [(word, emotion) for emotion, words in SEED_WORDS.items() for word in words.split()]
    return emoji + words


def read_corpus(goemotions_directory: Path, xed_directory: Path) -> Corpus:
    goemotions = [(row.text, row.emotions) for row in read_split(goemotions_directory, "train")]
    xed_training, _ = split_rows(read_xed(xed_directory))
    xed = [(row.text, row.emotions) for row in xed_training if row.emotions]
    seeds = [(text, frozenset({emotion})) for text, emotion in seed_texts()]
    rows = goemotions + xed + seeds
    domain = np.repeat(np.arange(3), [len(goemotions), len(xed), len(seeds)])
    forms = [forms_of(text) for text, _ in rows]
    spec = FeatureSpec(word_ngrams=2, char_min=2, char_max=5, sublinear_tf=True)
    examples = [
        (index, EMOTIONS.index(emotion), 1.0 / len(emotions))
        for index, (_, emotions) in enumerate(rows)
        for emotion in sorted(emotions)
    ]
    row_indexes, targets, shares = (np.array(column) for column in zip(*examples, strict=True))
    return Corpus(
        texts=[text for text, _ in rows],
        emotions=[emotions for _, emotions in rows],
        domain=domain,
        forms=forms,
        counts=FeatureCounts.of(spec, forms),
        examples=(row_indexes, targets, shares),
    )
