"""What a text search (`q=`) asks for, read as a search engine reads it: every word (or
"quoted phrase") somewhere in the text, `refund OR return` either of two, and `-word` (or
`-"a phrase"`) not at all. A word or a phrase is found anywhere in a text, whatever its case
("deliver" finds "Delivery"), as a single word always was.

The reading never fails: an unclosed quote runs to the end, a lone `-` or an `OR` with nothing
on one side is read as nothing, `AND` between words is what spaces already say, and a search
with nothing left to look for is no search. A `-` negates only what starts with a letter, a
digit or a quote (`-_-` is the emoticon). To look for the words OR or AND themselves, quote
them.
"""

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

OPERATORS = frozenset({"OR", "AND"})
# a "-" negates the word or phrase it touches, when that starts with a letter, a digit or a quote
_TOKEN = re.compile(r'(-(?=[^\W_]|"))?(?:"([^"]*)"?|(\S+))')


class Search(NamedTuple):
    # each group is a set of alternatives (`refund OR return`); a text must hold one of each
    required: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...]  # a text holding any of them is left out

    @property
    def written(self) -> str:
        """The search as the filters keep it, links carry it and the search box shows it: what
        it was read as, written plainly (`a OR  OR b -` is `a OR b`)."""
        required = (" OR ".join(map(quoted, group)) for group in self.required)
        excluded = (_negated(term) for term in self.excluded)
        return " ".join([*required, *excluded])

    @property
    def found(self) -> tuple[str, ...]:
        """What the search finds in a text (what a page shows in bold), longest first."""
        return tuple(sorted({term for group in self.required for term in group}, key=len)[::-1])


@functools.lru_cache(maxsize=256)
def parse(query: str) -> Search | None:
    """The search `query` asks for; None when it asks for nothing."""
    required: list[list[str]] = []
    excluded: list[str] = []
    after_required = joined = False  # the last token was a required term; OR after one
    for term, quoted, negated in _tokens(query):
        if not quoted and not negated and term in OPERATORS:
            joined = term == "OR" and (after_required or joined)
            after_required = False
            continue
        if not term.strip():
            pass
        elif negated:
            excluded.append(term)
        elif joined:
            required[-1].append(term)
        else:
            required.append([term])
        after_required = bool(term.strip()) and not negated
        joined = False
    if not required and not excluded:
        return None
    groups: dict[frozenset[str], tuple[str, ...]] = {}
    for group in required:
        groups.setdefault(_key(group), tuple(_unique(group)))
    return Search(tuple(groups.values()), tuple(_unique(excluded)))


def quoted(term: str) -> str:
    """A search that finds `term` as written (a link to the texts that hold a word): quoted
    when the search would read it otherwise."""
    plain = not re.search(r"\s", term) and term[:1] != '"' and not _TOKEN.match(term)[1]
    return term if plain and term not in OPERATORS else '"' + term.replace('"', " ") + '"'


def _negated(term: str) -> str:
    """The search that leaves out the texts holding `term`."""
    written = quoted(term)
    return "-" + (written if written == term and _TOKEN.match("-" + term)[1] else f'"{term}"')


def _tokens(query: str) -> Iterator[tuple[str, bool, bool]]:
    """Each word or phrase of `query`: its text, whether it was quoted, whether it was negated
    (a `-` before it)."""
    for match in _TOKEN.finditer(query):
        negated, phrase, word = match.groups()
        if phrase is not None:
            yield phrase, True, bool(negated)
        elif word != "-":  # a lone "-" is nothing
            yield word, False, bool(negated)


def _key(terms: list[str]) -> frozenset[str]:
    """What a group of alternatives looks for, whatever their case and order."""
    return frozenset(term.casefold() for term in terms)


def _unique(terms: list[str]) -> list[str]:
    """`terms` without those repeated in another case, in order."""
    seen: set[str] = set()
    return [term for term in terms if not (term.casefold() in seen or seen.add(term.casefold()))]
