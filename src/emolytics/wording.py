"""Words that depend on a number, written once for every page, flash and message."""


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """The count with its noun in the right number: "1 text", "0 texts", "1,234 rows".

    `nouns` is the plural where it is not `noun` + "s" ("1 match", "2 matches").
    """
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"
