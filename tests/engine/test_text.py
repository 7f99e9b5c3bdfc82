import pytest

from emolytics.engine.text import tokenize


def forms(text: str) -> list[str]:
    return tokenize(text).forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soooo HAPPYYYY", ["so", "happy"]),
        ("goooood", ["good"]),
        ("@bob see https://example.com/x?y=1 now", ["<user>", "see", "<url>", "now"]),
        ("[NAME] won 3 games", ["<user>", "won", "<num>", "games"]),
        ("#SoHappy #blessed", ["so", "happy", "blessed"]),
        ("great:) but :( and <3", ["great", ":slightly_smiling_face:", "but",
                                   ":slightly_frowning_face:", "and", ":red_heart:"]),
        ("😂😂 ❤️ 👍🏽", [":face_with_tears_of_joy:", ":face_with_tears_of_joy:", ":red_heart:",
                       ":thumbs_up:"]),
        ("what?! no way!!!", ["what", "?!", "no", "not_way", "!!"]),
    ],
)  # fmt: skip
def test_social_text_is_normalised(text: str, expected: list[str]) -> None:
    assert forms(text) == expected


def test_negation_marks_three_words_until_punctuation() -> None:
    assert forms("I don't like it at all, really") == [
        "i", "don't", "not_like", "not_it", "not_at", "all", "really",
    ]  # fmt: skip
    assert forms("not happy. happy") == ["not", "not_happy", "happy"]
    assert forms("never sad but angry") == ["never", "not_sad", "but", "angry"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("never been this sad", ["never", "been", "this", "sad"]),
        ("couldn't be happier", ["couldn't", "be", "happier"]),
        ("could not have been more wrong", ["could", "not", "have", "been", "more", "wrong"]),
        ("haven't felt so alive", ["haven't", "felt", "so", "alive"]),
        # right after the negator, or after another word, they still negate
        ("not so happy", ["not", "not_so", "not_happy"]),
        ("not happier", ["not", "not_happier"]),
        ("have not been happy", ["have", "not", "not_been", "not_happy"]),
        ("never liked this so", ["never", "not_liked", "not_this", "not_so"]),
    ],
)
def test_a_negation_that_intensifies_is_no_negation(text: str, expected: list[str]) -> None:
    assert forms(text) == expected


def test_surface_keeps_the_original_span() -> None:
    tokens = tokenize("Soooo #SoHappy :) not bad")
    assert tokens.forms == [
        "so", "so", "happy", ":slightly_smiling_face:", "not", "not_bad",
    ]  # fmt: skip
    assert tokens.surfaces == ["Soooo", "#SoHappy", "#SoHappy", ":)", "not", "bad"]


def test_emoticons_need_their_own_boundaries() -> None:
    assert forms("PhD: xD :Perfect") == ["phd", ":grinning_squinting_face:", "perfect"]


def test_mixed_scripts_and_symbols_do_not_crash() -> None:
    assert forms("我很开心 ça va très bien § ¶ \u200d") == ["我很开心", "ça", "va", "très", "bien"]
    assert forms("") == []
    assert forms(" \t\n ") == []


def test_html_character_references_read_as_their_characters() -> None:
    escaped = tokenize("Tom &amp; Jerry &lt;3 so late again &gt;:( &#128545;")
    plain = tokenize("Tom & Jerry <3 so late again >:( 😡")
    assert escaped.forms == plain.forms
    assert ":red_heart:" in escaped.forms and ":angry_face:" in escaped.forms
    # each token's surface is the chunk as written, so the text's marks still find it
    assert escaped.surfaces[2] == "&lt;3" and escaped.surfaces[-1] == "&#128545;"
    assert tokenize("R&D, Q&A; a & b").forms == ["r", "d", "q", "a", "a", "b"]
    # only a reference ended by its semicolon: HTML reads "&not" without one, but "&notes" stays
    assert tokenize("&notes &copy2026").forms == ["notes", "copy", "<num>"]
