"""Tokenising social text into normalised tokens.

Each token has a `form`, what the models see, and a `surface`, the text span it came from (what a
UI highlights). Forms are:

- lower-cased words with elongations squeezed (`"Soooo"` -> `"so"`); a word in the scope of a
  negation (up to three words after `not`, `never`, `don't`... and before punctuation) is prefixed
  with `not_`, unless the negation intensifies ("never been this sad", "couldn't be happier");
- hashtags split into their words (`#SoHappy` -> `so`, `happy`);
- `<user>` for @mentions and Reddit's `[NAME]`, `<url>` for links, `<num>` for numbers;
- `:name:` for an emoji or an emoticon (`:)` becomes `:slightly_smiling_face:`);
- `!`, `!!`, `?`, `??`, `?!` and `...` for expressive punctuation.

HTML character references ended by their semicolon are read as their characters: tweets as
Twitter's API gives them (and many a scraped page) write `&amp;`, `&lt;3` and `&gt;:(`. A chunk
that holds one keeps itself as the surface of each of its tokens, as it is written in the text.

Tokens never contain whitespace, so feature names built from them can be joined with spaces.
"""

import html
import re
from dataclasses import dataclass
from functools import lru_cache

import emoji
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE

from emolytics.engine.lexicon import VALENCE_LEXICON
from emolytics.engine.memo import Memo

NEGATION_PREFIX = "not_"
NEGATION_SCOPE = 3  # words marked after a negator

# Emoticon -> the emoji that says the same thing, so both share one token.
EMOTICONS: dict[str, str] = {
    ":)": "🙂", ":-)": "🙂", ":]": "🙂", "=)": "🙂",
    ":D": "😃", ":-D": "😃", "=D": "😃", "xD": "😆", "XD": "😆",
    ";)": "😉", ";-)": "😉", ";D": "😉",
    ":P": "😛", ":-P": "😛", ":p": "😛", ":-p": "😛", ";P": "😛", ";p": "😛",
    ":(": "🙁", ":-(": "🙁", ":[": "🙁", "=(": "🙁",
    ":'(": "😢", ":'-(": "😢", ";(": "😢", "D:": "😧",
    ">:(": "😠", ">:-(": "😠", ">:[": "😠",
    ":O": "😮", ":-O": "😮", ":o": "😮", ":-o": "😮", "o_O": "😮", "O_o": "😮", "o.O": "😮",
    ":/": "😕", ":-/": "😕", ":\\": "😕", ":S": "😕", "-_-": "😑",
    ":|": "😐", ":-|": "😐",
    "<3": "❤", "</3": "💔",
}  # fmt: skip

_SKIN_TONES = frozenset(chr(code) for code in range(0x1F3FB, 0x1F400))


def _emoji_forms() -> dict[str, str]:
    """Map each single-codepoint emoji (and its emoji-style variant) to its `:name:` form."""
    forms: dict[str, str] = {}
    for sequence, facts in emoji.EMOJI_DATA.items():
        base = sequence.rstrip("\ufe0f")
        if len(base) == 1 and base not in _SKIN_TONES:
            forms[base] = facts["en"].lower()
    return forms


EMOJI_FORMS = _emoji_forms()


def _emoticon_pattern(emoticon: str) -> str:
    """Escape `emoticon`; one that starts or ends with a letter must not touch other letters."""
    before = r"(?<![^\W_])" if emoticon[0].isalpha() else ""
    after = r"(?![^\W_])" if emoticon[-1].isalpha() else ""
    return before + re.escape(emoticon) + after


_EMOTICON_PATTERN = "|".join(
    _emoticon_pattern(emoticon) for emoticon in sorted(EMOTICONS, key=len, reverse=True)
)
_TOKEN_RE = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)\S+)
    | (?P<user>@\w+|\[NAME\])
    | (?P<hashtag>\#[^\W_]\w*)
    | (?P<emoticon>{_EMOTICON_PATTERN})
    | (?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)
    | (?P<number>\d+(?:[.,]\d+)*)
    | (?P<punct>[!?]+|\.{{2,}}|…|[.,;:])
    | (?P<symbol>[^\w\s])
    """,
    re.VERBOSE,
)
_ELONGATION_RE = re.compile(r"([^\W\d_])\1{2,}")
_CAMEL_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")

NEGATORS = frozenset(NEGATE) | {word.replace("'", "") for word in NEGATE} | {"no"}
_SPECIAL_FORMS = {"user": "<user>", "url": "<url>", "number": "<num>"}
_CLAUSE_BREAKS = frozenset({"but", "however", "although", "though"})
# A negation that intensifies instead: after one of these verbs, a degree word or a comparative
# ends the scope and un-marks it ("never been this sad", "haven't felt so alive in years",
# "couldn't be happier", "could not have been more wrong"). Right after the negator they still
# negate: "not so happy", "not happier".
_LIFTING_VERBS = frozenset({"be", "been", "felt", "seen", "have", "had"})
_LIFTERS = frozenset(
    {"this", "so", "such", "more", "happier", "better", "worse", "prouder", "sadder"}
    | {"angrier", "gladder", "luckier", "calmer", "kinder", "nicer", "scarier"}
)
_KNOWN_WORDS = frozenset(VALENCE_LEXICON) | frozenset(BOOSTER_DICT) | NEGATORS


@lru_cache(maxsize=65536)
def normalise_word(word: str) -> str:
    """Lower-case `word`, straighten apostrophes and squeeze letters repeated three times or more.

    A run is squeezed to two letters ("goood" -> "good") unless only one letter makes a known
    word ("sooo" -> "so", "happyyy" -> "happy").
    """
    lowered = word.lower().replace("’", "'")
    if not _ELONGATION_RE.search(lowered):
        return lowered
    doubled = _ELONGATION_RE.sub(r"\1\1", lowered)
    single = _ELONGATION_RE.sub(r"\1", lowered)
    if doubled not in _KNOWN_WORDS and single in _KNOWN_WORDS:
        return single
    return doubled


def is_negator(form: str) -> bool:
    """Whether a word's form puts the next words in the scope of a negation."""
    return form in NEGATORS or form.endswith("n't")


def _punctuation_form(run: str) -> str | None:
    """Return the token for a punctuation run, or None for plain clause punctuation."""
    if "?" in run and "!" in run:
        return "?!"
    if run[0] in "!?":
        return run[0] * min(len(run), 2)
    if run[0] in ".…" and run != ".":
        return "..."
    return None


def _hashtag_forms(hashtag: str) -> list[str]:
    body = hashtag[1:]
    parts = _CAMEL_RE.findall(body) if not body.islower() else []
    if len(parts) > 1 and "".join(parts) == body:
        return [normalise_word(part) for part in parts]
    return [normalise_word(body)]


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text's tokens as two parallel lists: model forms and the surfaces they came from."""

    forms: list[str]
    surfaces: list[str]


# How a piece takes part in negation: a word that can be negated, a negator (also a word), a
# piece that ends a negation's scope ("but", clause punctuation), or one that plays no part.
_WORD, _NEGATOR, _OTHER, _SCOPE_END = 0, 1, 2, 3
Piece = tuple[str | None, str, int]  # (form, or None for no token; surface; role)


@dataclass(frozen=True, slots=True)
class _Chunk:
    """A whitespace-free chunk's pieces, and its forms and surfaces as they read outside a
    negation's scope; `plain` when it neither starts nor ends one, so that they can be copied."""

    pieces: list[Piece]
    forms: list[str]
    surfaces: list[str]
    plain: bool


def _piece(kind: str | None, surface: str) -> list[Piece]:
    """The pieces one match of _TOKEN_RE makes (a hashtag makes one per word)."""
    if kind == "word":
        form = normalise_word(surface)
        if form in _CLAUSE_BREAKS:
            return [(form, surface, _SCOPE_END)]
        return [(form, surface, _NEGATOR if is_negator(form) else _WORD)]
    if kind == "punct":
        return [(_punctuation_form(surface), surface, _SCOPE_END)]
    if kind == "hashtag":
        return [(part, surface, _OTHER) for part in _hashtag_forms(surface)]
    if kind == "symbol":
        form = EMOJI_FORMS.get(surface)
        return [(form, surface, _OTHER)] if form is not None else []
    if kind == "emoticon":
        return [(EMOJI_FORMS[EMOTICONS[surface]], surface, _OTHER)]
    return [(_SPECIAL_FORMS[str(kind)], surface, _OTHER)]


def _split(chunk: str) -> _Chunk:
    """A whitespace-free chunk's pieces, normalised."""
    if "&" in chunk and (read := _REFERENCE_RE.sub(_referenced, chunk)) != chunk:  # `&lt;3`
        split = _split(read)
        pieces = [(form, chunk, role) for form, _, role in split.pieces]
        return _Chunk(pieces, split.forms, [chunk] * len(split.surfaces), split.plain)
    if chunk.isalpha() and chunk not in EMOTICONS:
        pieces = _piece("word", chunk)
    else:
        pieces = [
            piece
            for match in _TOKEN_RE.finditer(chunk)
            for piece in _piece(match.lastgroup, match.group())
        ]
    kept = [(form, surface) for form, surface, _ in pieces if form is not None]
    plain = all(role in (_WORD, _OTHER) for _, _, role in pieces)
    return _Chunk(pieces, [form for form, _ in kept], [surface for _, surface in kept], plain)


# A character reference ended by its semicolon: HTML also reads a few without one ("&not",
# "&copy"), which would turn "&notes" into "¬es".
_REFERENCE_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _referenced(reference: re.Match[str]) -> str:
    return html.unescape(reference.group())


_chunks = Memo(_split, 100_000)  # chunks repeat a lot: each is split once


def tokenize(text: str) -> Tokens:
    """Split `text` into tokens, in reading order (see the module docstring for the forms)."""
    forms: list[str] = []
    surfaces: list[str] = []
    negated = 0  # words still to mark as negated
    scope: list[int] = []  # where the words marked so far in this scope are in `forms`
    for chunk in map(_chunks.__getitem__, text.split()):
        if chunk.plain and not negated:
            forms += chunk.forms
            surfaces += chunk.surfaces
            continue
        for form, surface, role in chunk.pieces:
            if role <= _NEGATOR:
                if negated and scope and form in _LIFTERS and _lifted(forms, scope):
                    negated = 0
                elif negated:
                    negated -= 1
                    scope.append(len(forms))
                    form = NEGATION_PREFIX + form
                elif role:
                    negated = NEGATION_SCOPE
                    scope = []
            elif role == _SCOPE_END:
                negated = 0
            if form is not None:
                forms.append(form)
                surfaces.append(surface)
    return Tokens(forms, surfaces)


def _lifted(forms: list[str], scope: list[int]) -> bool:
    """Un-marks the scope's words when they are all `_LIFTING_VERBS` (see there)."""
    words = [forms[at].removeprefix(NEGATION_PREFIX) for at in scope]
    if not all(word in _LIFTING_VERBS for word in words):
        return False
    for at, word in zip(scope, words, strict=True):
        forms[at] = word
    return True
