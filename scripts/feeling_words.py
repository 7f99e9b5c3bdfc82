"""Teach a fitted default model the words that name a feeling, without refitting it.

    .venv/bin/python scripts/feeling_words.py MODEL_FILE -o OUTPUT_FILE

"i feel jealous", "i feel shaky", "i feel unappreciated": GoEmotions' "i feel ..." comments are
mostly sad, and many words that name a feeling are rare on Reddit and in subtitles, so the fitted
model read 96 of the 242 words of `FEELING_WORDS` wrongly after "i feel" (mostly as sadness or
neutral). Each seed word (`SEED_WORDS` of `default_corpus.py`, which are also training rows) and
each word of `FEELING_WORDS` (only taught here) gets the smallest change to its own weights that
makes "WORD" and "i feel WORD" come out as its emotion by `MARGIN` in logits; a word the model
has no column for gets one, weighted as the rarest words it knows. No other weight moves, so only
texts with one of these words (outside a negation: "not jealous" is another feature, below)
score differently. As training rows, these words refitted the whole regression, whose stopping
point alone moves GoEmotions dev by about 0.005 either way. Left out: words whose emotion depends on
whom they describe ("i feel stupid" is sad, "that is stupid" angry: stupid, useless, awful...)
and words mostly met in phrases ("calm down", "feel free", "alone in the dark"). Word pairs
(`FEELING_PAIRS`: "fed up", "daylight robbery") are taught the same way, as the pair feature.
A taught word weighs less in a longer text (each text's features are normalised together), so
in a long sentence its neighbours can still outvote it. Teaching on a third, longer sentence
("i have been feeling a bit WORD since the weekend") made the words decide more often, but cost
GoEmotions dev 0.002: it also relabelled texts that use them otherwise ("all concerned about
keeping the human race going" as fear).
The same words negated ("not scared", "i don't hate it": the `not_` features) are taught the
reading of their emotion denied (`NEGATED_READINGS`), on "not WORD", "i'm not WORD" and
"i am not WORD" (verbs also on "i don't WORD it"): GoEmotions dev 0.6095 -> 0.6099, XED held-out
0.3598 -> 0.3598 (taught after "don't" for every word, XED fell to 0.3589; all read as neutral,
GoEmotions fell to 0.6080).
`build_default_model.py` ends with this step; run on its own, it teaches an existing file.
"""

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
from default_corpus import SEED_WORDS

from emolytics.engine.artifacts import load_model, save_model
from emolytics.engine.errors import EngineError
from emolytics.engine.features import CHAR_PREFIX, Vectorizer
from emolytics.engine.model import LinearModel
from emolytics.engine.text import NEGATION_PREFIX, tokenize

MARGIN = 1.0  # the word's emotion beats every other label by this much, in logits
ROUNDING = 1e-4  # a shortfall this small is float32 rounding (weights are stored as float32)
TEMPLATES = ("{}", "i feel {}")
FEELING_WORDS = {
    "anger": "jealous envious impatient grouchy insulted vicious irked peeved seething incensed "
    "riled provoked disrespected wrathful annoying infuriating irritating maddening "
    "aggravating outrageous unacceptable unfair irritable bitchy rude aggressive bothered "
    "dissatisfied disgruntled heated raging angered",
    "disgust": "repugnant distasteful nasty foul putrid sleazy slimy abhorrent despicable "
    "contemptible repellent nauseous queasy dirty revolted squeamish yucky contempt disdain "
    "loathing",
    "fear": "shaky vulnerable distressed frantic timid restless stressed stressful dreading dread "
    "spooked scary frightening terrifying alarming jumpy fretful panicky terror hesitant "
    "pressured unsure cautious shy panic unsafe unsettled disturbed freaked creeped "
    "skittish edgy wary uptight concerned rattled shaken",
    "joy": "romantic passionate caring peaceful relaxed inspired confident valued appreciated "
    "fabulous lucky fortunate giddy jolly merry blissful overjoyed jubilant euphoric "
    "enthusiastic eager playful smitten adore admire impressed loved tender fond amazing "
    "useful successful clever smart positive determined energetic productive safe "
    "comfortable welcome talented brave strong reassured triumphant invigorated festive "
    "accepted liked adored cherished supported special beautiful pretty gorgeous generous "
    "accomplished refreshed rested vibrant marvelous terrific superb splendid secure "
    "victorious glorious joyous heavenly sweet cute delightful pleasant",
    "sadness": "numb worthless defeated inadequate unloved unwanted neglected abandoned remorseful "
    "sorrow grief mourning despair despairing dejected downcast forlorn glum wretched "
    "woeful disheartened demoralized empty exhausted drained shitty ignored isolated "
    "burdened broken lousy weak helpless powerless unimportant unworthy inferior "
    "insignificant invisible excluded troubled grieved bereaved suicidal unsuccessful "
    "incompetent unappreciated unsupported misunderstood humiliated disillusioned regret "
    "remorse weepy teary crying listless lethargic apathetic beaten shattered destroyed "
    "ruined",
    "surprise": "surprising unexpected astonishing startling dazed awestruck gobsmacked mindblown "
    "dazzled wowed awed incredulous disbelief dumbstruck thunderstruck",
}

# Word pairs that name a feeling (the model's features include adjacent pairs). Left out: pairs
# with a plain literal sense ("left out", "made up"), and longer idioms ("over the moon").
FEELING_PAIRS = {
    "anger": ("fed up", "ripped off", "rip off", "daylight robbery", "ticked off", "cheesed off"),
    "fear": ("on edge", "scared stiff", "freaked out"),
    "joy": ("at peace", "cloud nine"),
    "sadness": ("let down", "burnt out", "burned out", "bummed out", "in tears", "heart broken"),
    "surprise": ("blown away", "taken aback", "in awe", "mind blown", "in shock"),
}


# A negated feeling word says the feeling is absent, but "i'm not scared" read as anger, as did
# nearly every "not WORD": rare negated words have little weight of their own, and a bare "not"
# leans to anger on Reddit. Denied anger, disgust or surprise reads as neutral; denied sadness or
# fear as relief (joy), as GoEmotions' raters read them: of the 103 single-label training comments
# with one of these words negated, 46 are joy, 30 neutral and 12 the word's own emotion. Denied
# joy is left as fitted: "not happy" reads as sadness, "not impressed" as anger (disapproval).
NEGATED_READINGS = {
    "anger": "neutral",
    "disgust": "neutral",
    "surprise": "neutral",
    "fear": "joy",
    "sadness": "joy",
}
NEGATED_TEMPLATES = ("not {}", "i'm not {}", "i am not {}")
NEGATED_VERBS = {"hate": "anger", "fear": "fear", "dread": "fear", "regret": "sadness"}
VERB_TEMPLATES = ("i don't {} it",)  # verbs are also taught after "don't", which leans to anger


def taught_words() -> dict[str, str]:
    """Every word and word pair this step teaches, to its emotion."""
    listed = [
        (word, emotion)
        for table in (SEED_WORDS, FEELING_WORDS)
        for emotion, words in table.items()
        for word in words.split()
    ]
    listed += [(pair, emotion) for emotion, pairs in FEELING_PAIRS.items() for pair in pairs]
    terms: dict[str, str] = {}
    for term, emotion in listed:
        if tokenize(term).forms != term.split() or len(term.split()) > 2:
            raise ValueError(f"{term!r} is not a word or a word pair as the tokenizer reads it")
        if terms.setdefault(term, emotion) != emotion:
            raise ValueError(f"{term!r} is listed under two emotions")
    return terms


def with_words(model: LinearModel, words: list[str]) -> LinearModel:
    """`model` with a zero-weight column for each of `words` it has none for, its IDF the
    highest of the words it has; the columns stay sorted, the lexicon columns last."""
    vectorizer = model.vectorizer
    added = set(words) - set(vectorizer.terms)
    if not added:
        return model
    is_word = np.array([not term.startswith(CHAR_PREFIX) for term in vectorizer.terms])
    rarest = float(vectorizer.idf[is_word].max())
    terms = sorted([*vectorizer.terms, *added])
    old = np.array([term not in added for term in terms])
    idf = np.full(len(terms), rarest, dtype=np.float32)
    idf[old] = vectorizer.idf
    lexicon_rows = vectorizer.size - len(vectorizer.terms)
    weights = np.zeros((len(terms) + lexicon_rows, len(model.labels)), dtype=np.float32)
    weights[np.flatnonzero(old)] = model.weights[: len(vectorizer.terms)]
    weights[len(terms) :] = model.weights[len(vectorizer.terms) :]
    taught = Vectorizer(vectorizer.spec, terms, idf)
    return LinearModel(model.labels, taught, weights, model.intercept, model.score_temperature)


def negated_words() -> dict[str, str]:
    """The negated form of every single word `taught_words` teaches and of `NEGATED_VERBS`, to
    the reading of its emotion denied (`NEGATED_READINGS`); joy's words are left as fitted."""
    named = {**taught_words(), **NEGATED_VERBS}
    return {
        NEGATION_PREFIX + word: NEGATED_READINGS[emotion]
        for word, emotion in named.items()
        if " " not in word and emotion in NEGATED_READINGS
    }


Lesson = tuple[str, str, list[str]]  # a term's feature, its emotion, the texts it must decide


def word_lessons() -> list[Lesson]:
    """The lessons of `taught_words`."""
    return [
        (term, emotion, [template.format(term) for template in TEMPLATES])
        for term, emotion in taught_words().items()
    ]


def negation_lessons() -> list[Lesson]:
    """The lessons of `negated_words`."""
    negated = []
    for form, emotion in negated_words().items():
        word = form.removeprefix(NEGATION_PREFIX)
        templates = NEGATED_TEMPLATES + (VERB_TEMPLATES if word in NEGATED_VERBS else ())
        texts = [template.format(word) for template in templates]
        if any(form not in tokenize(text).forms for text in texts):
            raise ValueError(f"{word!r} is not negated in every text that teaches it")
        negated.append((form, emotion, texts))
    return negated


def taught(
    model: LinearModel, lessons: list[Lesson] | None = None
) -> tuple[LinearModel, dict[str, float]]:
    """`model` taught `lessons` (all of them by default), and the change each term's emotion got.

    Each shortfall is measured on the model as fitted, not as taught so far: a word listed inside
    a pair ("broken" in "heart broken") must share the pair's emotion, so its change only widens
    the pair's margin."""
    taught_lessons = word_lessons() + negation_lessons() if lessons is None else lessons
    model = with_words(model, [term for term, _, _ in taught_lessons])
    weights = model.weights.copy()
    changes = {}
    for term, emotion, texts in taught_lessons:
        label = model.labels.index(emotion)
        column = model.vectorizer.vocabulary[term]
        forms = [tokenize(text).forms for text in texts]
        features = model.vectorizer.transform(forms)
        logits = model.logits(features)
        others = np.delete(logits, label, axis=1).max(axis=1)
        shortfall = MARGIN - (logits[:, label] - others)
        needed = float(np.max(shortfall / features[:, column].toarray().ravel()))
        if needed > ROUNDING:
            # Raising the label by 6/7 of `needed` and lowering all seven by 1/7 keeps the
            # column centred and widens each margin by `needed`.
            weights[column] -= needed / len(model.labels)
            weights[column, label] += needed
            changes[term] = round(needed, 3)
    intercept, temperature = model.intercept, model.score_temperature
    return LinearModel(model.labels, model.vectorizer, weights, intercept, temperature), changes


def details_with(details: dict[str, Any], changes: dict[str, float]) -> dict[str, Any]:
    """The model's details, saying which words were taught and by how much (a file taught its
    words before negations were taught keeps its record of them)."""
    negated = {term: change for term, change in changes.items() if term.startswith(NEGATION_PREFIX)}
    words = {term: change for term, change in changes.items() if term not in negated}
    taught_before = details.get("taught_words")
    return {
        **details,
        "feeling_words": FEELING_WORDS,
        "feeling_pairs": FEELING_PAIRS,
        "taught_words": taught_before
        or {"margin": MARGIN, "templates": list(TEMPLATES), "changes": words},
        "negated_words": {
            "margin": MARGIN,
            "readings": NEGATED_READINGS,
            "verbs": NEGATED_VERBS,
            "templates": list(NEGATED_TEMPLATES),
            "verb_templates": list(VERB_TEMPLATES),
            "changes": negated,
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    arguments = parser.parse_args()
    try:
        model, metadata = load_model(arguments.model)
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    details = metadata["details"]
    if type(model) is not LinearModel:
        print(f"error: {arguments.model} is an adapted model: teach the default", file=sys.stderr)
        return 1
    if "negated_words" in details:
        print(f"error: {arguments.model} was taught already", file=sys.stderr)
        return 1
    # a file taught before negations were (the shipped default of 50003d0) learns those alone
    lessons = negation_lessons()
    if "taught_words" not in details:
        lessons = word_lessons() + lessons
    model, changes = taught(model, lessons)
    save_model(model, arguments.output, details_with(details, changes))
    print(f"changed {len(changes)} of {len(lessons)} terms; wrote {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
