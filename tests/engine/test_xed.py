from collections import Counter
from pathlib import Path

import pytest

from emolytics.engine import TrainingDataError
from emolytics.engine.xed import XedRow, read_xed, single_label, split_rows

XED_FIXTURE = Path(__file__).parent / "fixtures" / "xed"


def test_lines_are_read_with_their_labels_mapped() -> None:
    rows = read_xed(XED_FIXTURE)
    assert len(rows) == 14
    emotions = {row.text: row.emotions for row in rows}
    assert emotions["I can't believe you did that to me !"] == {"anger"}
    assert emotions["Get out of my house ."] == {"anger", "sadness"}
    assert emotions["Tomorrow we sail for [LOCATION] ."] == set()  # anticipation only
    assert emotions["You kept your promise , thank you ."] == {"joy"}  # joy + trust
    assert emotions["Take the second left."] == {"neutral"}
    assert rows[-1].text == "Dinner is at eight."


def test_single_label_keeps_lines_with_exactly_one_emolytics_label() -> None:
    texts, labels = single_label(read_xed(XED_FIXTURE))
    assert Counter(labels) == {
        "joy": 2, "neutral": 3, "anger": 1, "disgust": 1, "fear": 1, "sadness": 1, "surprise": 1,
    }  # fmt: skip
    assert "Oh my God , no !" not in texts
    assert "I trust you with my life ." not in texts


def synthetic_rows() -> list[XedRow]:
    labels = {"joy": 300, "anger": 100, "neutral": 200, "fear": 10}
    rows = [
        XedRow(f"{label} line {number}", frozenset({label}))
        for label, count in labels.items()
        for number in range(count)
    ]
    return rows + [XedRow("joy line 7", frozenset({"joy", "sadness"}))]  # a repeated text


def test_split_holds_out_a_fifth_of_each_label_whatever_the_order() -> None:
    rows = synthetic_rows()
    training, held_out = split_rows(rows)
    assert len(training) + len(held_out) == len(rows)
    held_out_labels = Counter(label for row in held_out for label in row.emotions)
    assert held_out_labels["anger"] == 20 and held_out_labels["fear"] == 2
    assert 59 <= held_out_labels["joy"] <= 61 and held_out_labels["neutral"] == 40
    assert not {row.text for row in training} & {row.text for row in held_out}
    assert split_rows(rows[::-1]) == (training[::-1], held_out[::-1])


def test_the_split_of_the_fixture_is_fixed() -> None:
    # A fifth of 3 neutral lines rounds to one; a fifth of 1 or 2 lines to none.
    _, held_out = split_rows(read_xed(XED_FIXTURE))
    assert [row.text for row in held_out] == ["Dinner is at eight."]


@pytest.mark.parametrize(
    ("annotated", "message"),
    [
        ("fine\t1\nno labels here\n", "en-annotated.tsv:2: malformed XED line"),
        ("fine\t1\nbad id\t12\n", "en-annotated.tsv:2: malformed XED line"),
        ("\t5\n", "en-annotated.tsv:1: malformed XED line"),
    ],
)
def test_malformed_lines_are_named(tmp_path: Path, annotated: str, message: str) -> None:
    (tmp_path / "en-annotated.tsv").write_text(annotated, encoding="utf-8")
    (tmp_path / "neu_en.txt").write_text("9\tfine\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match=message):
        read_xed(tmp_path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "en-annotated.tsv").write_text("fine\t1\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match="cannot read .*neu_en.txt"):
        read_xed(tmp_path)
