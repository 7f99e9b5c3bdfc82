"""JSON files streamed: a top-level array of items, or JSON Lines, with the line of each value
and of whatever breaks an array, and each record's number (an array's by its place);
`emolytics analyze` reads them so."""

import io
import json

import pytest
from click.testing import CliRunner

from emolytics.cli_engine import analyze
from emolytics.engine import flattening, json_records, json_values
from emolytics.engine.json_values import ArrayError

ITEMS = [
    {"text": "I love the new tram", "author": "ana"},
    {"text": "late again \N{POUTING FACE}", "lat": 52.5, "lon": 13.4},
    "just a text",
    {"text": 'a "quoted" word, a comma and a ] bracket'},
]


def values(content: str) -> list[tuple[int, object]]:
    return [(found.line, found.value) for found in json_values.json_values(io.StringIO(content))]


@pytest.mark.parametrize("chunk", [3, 7, 64 * 1024])  # items cut by chunks, or not
def test_an_array_gives_its_items_with_their_lines(monkeypatch, chunk):
    monkeypatch.setattr(json_values, "CHUNK", chunk)
    pretty = json.dumps(ITEMS, indent=2, ensure_ascii=False)
    starts = [number for number, line in enumerate(pretty.splitlines(), start=1)
              if line.startswith(("  {", '  "'))]  # fmt: skip
    assert values("\ufeff\n\n" + pretty + "\n") == [
        (line + 2, item) for line, item in zip(starts, ITEMS, strict=True)
    ]
    assert values(json.dumps(ITEMS)) == [(1, item) for item in ITEMS]  # on one line
    assert values("[\n]\n\n") == []


def test_without_an_array_each_line_is_a_value():
    content = '\n{"text": "one"}\r\n{broken\n\n["a list"]\n"two"\n'
    found = list(json_values.json_values(io.StringIO(content)))
    assert [(value.line, value.value, value.error) for value in found] == [
        (2, {"text": "one"}, None),
        (3, None, "Expecting property name enclosed in double quotes"),
        (5, ["a list"], None),
        (6, "two", None),
    ]


@pytest.mark.parametrize("chunk", [3, 64 * 1024])
def test_records_of_an_array_are_numbered_by_their_place_and_lines_by_their_line(
    monkeypatch, chunk
):
    monkeypatch.setattr(json_values, "CHUNK", chunk)
    compact = json.dumps(ITEMS)  # every record on line 1, as most programs write them
    assert [number for number, _ in _records(compact)] == [1, 2, 3, 4]
    assert [number for number, _ in _records(json.dumps({"data": ITEMS}, indent=2))] == [
        1, 2, 3, 4
    ]  # fmt: skip
    lines = "\n".join(json.dumps(item) for item in ITEMS) + "\n\n" + '{"text": "last"}\n'
    assert [number for number, _ in _records(lines)] == [1, 2, 3, 4, 6]
    assert json_records.numbered_by(compact, lines=False) == json_records.RECORD
    assert json_records.numbered_by(compact[:30], lines=True) == json_records.RECORD  # cut
    assert json_records.numbered_by(json.dumps({"meta": 1, "data": ITEMS}), False) == "record"
    assert json_records.numbered_by(lines, lines=False) == json_records.LINE
    assert json_records.numbered_by(json.dumps(ITEMS[0], indent=1), False) == "line"
    assert json_records.numbered_by("[]", lines=False) == "line"  # no records to number


def _records(content: str) -> list[tuple[int, object]]:
    return list(json_records.json_records(io.StringIO(content), lines=False))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"text": "fine"},\n{"text": "cut', "line 2: not valid JSON (Unterminated string)"),
        ('[{"text": "fine"},\n{"text": "no end"}\n', "line 3: the array is not closed with ]"),
        ('[{"text": "a"}\n{"text": "b"}]', "line 2: expected , or ] after record 1."),
        ('[{"text": "a"}]\n\n{"text": "b"}\n', "line 3: more after the end of the array."),
        ('[{"text": "a"},\n' + "[" * 100_000 + "]" * 100_000 + "]", "line 2: nested too deeply."),
    ],
    ids=["cut", "unclosed", "comma", "after", "deep"],
)
def test_a_broken_array_names_the_line(content, message):
    with pytest.raises(ArrayError) as raised:
        values(content)
    assert str(raised.value).startswith(message)


def test_an_item_cannot_grow_without_end(monkeypatch):
    monkeypatch.setattr(json_values, "CHUNK", 10)
    monkeypatch.setattr(json_values, "MAX_ITEM", 100)
    content = '[{"text": "short"},\n{"text": "' + "x" * 1_000 + '"}]'
    with pytest.raises(ArrayError, match=r"^line 2: an item longer than 100 characters"):
        values(content)


def test_the_cli_analyses_an_array_and_stops_at_a_broken_one(tmp_path):
    source = tmp_path / "export.json"
    source.write_text(
        json.dumps([{"text": "what a wonderful day"}, 7, {"text": "so scared"}], indent=1)
    )
    result = CliRunner().invoke(analyze, [str(source), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["record"], row["label"]) for row in rows] == [(1, "joy"), (3, "fear")]
    assert "record 2: skipped, not a JSON object" in result.stderr

    source.write_text('[{"text": "what a wonderful day"}\n{"text": "so scared"}]')
    broken = CliRunner().invoke(analyze, [str(source)])
    assert broken.exit_code == 1
    assert broken.stderr.strip() == f"Error: {source}: line 2: expected , or ] after record 1."


@pytest.mark.parametrize("chunk", [5, 64 * 1024])
def test_an_object_gives_the_items_of_its_array_of_records(monkeypatch, chunk):
    monkeypatch.setattr(json_values, "CHUNK", chunk)
    answer = {"count": 4, "next": "https://x.test/?page=2", "results": ITEMS, "meta": {"n": 4}}
    pretty = json.dumps(answer, indent=2, ensure_ascii=False)
    results = pretty.split('"meta"')[0].splitlines()
    starts = [number for number, line in enumerate(results, start=1)
              if line.startswith(("    {", '    "'))]  # fmt: skip
    assert values(pretty) == [(line, item) for line, item in zip(starts, ITEMS, strict=True)]
    assert values(json.dumps(answer) + "\n\n") == [(1, item) for item in ITEMS]  # one line
    texts = {"model": "default", "tags": ["a", "b"], "texts": ["calm", "glad"]}
    assert values(json.dumps({"texts": ["calm", "glad"]})) == [(1, "calm"), (1, "glad")]
    assert values(json.dumps({"data": [], "meta": {}})) == []
    assert values(json.dumps(texts, indent=1)) == [(1, texts)]  # a string first: a record
    assert _array(pretty) == "results" and _array(json.dumps(texts, indent=1)) is None


def _array(content: str, lines: bool = False) -> str | None:
    """Where the file's values were found, after reading the first."""
    found = json_values.json_values(io.StringIO(content), lines=lines)
    next(found, None)
    return found.array


@pytest.mark.parametrize("chunk", [4, 64 * 1024])  # lines cut by chunks, or not
def test_an_object_that_is_a_record_stays_one(monkeypatch, chunk):
    monkeypatch.setattr(json_values, "CHUNK", chunk)
    record = {"text": "I love it", "tags": ["a", "b"], "note": None}
    assert values(json.dumps(record)) == [(1, record)]  # a file of one JSON Lines record
    spread = json.dumps(record, indent=2) + '\n{"text": "two"}\n'
    assert values(spread) == [(1, record), (9, {"text": "two"})]
    lines = json.dumps(record) + "\n" + json.dumps({"text": "two", "replies": [{"x": 1}]})
    assert values(lines) == [(1, record), (2, {"text": "two", "replies": [{"x": 1}]})]


@pytest.mark.parametrize("chunk", [4, 64 * 1024])
def test_an_object_broken_before_its_array_is_read_as_lines(monkeypatch, chunk):
    monkeypatch.setattr(json_values, "CHUNK", chunk)
    content = '{"text": "cut\n{"text": "fine"}\n'
    found = list(json_values.json_values(io.StringIO(content)))
    assert [(value.line, value.value, value.error) for value in found] == [
        (1, None, "Invalid control character at"),
        (2, {"text": "fine"}, None),
    ]
    with pytest.raises(ArrayError, match=r"^line 3: expected , or \] after record 1\."):
        values('{"data": [\n {"text": "a"}\n {"text": "b"}\n]}')


def test_a_listing_nested_in_objects_gives_its_records_flattened(tmp_path):
    children = [
        {"kind": "t1", "data": {"body": "so happy with this", "author": "ana", "score": 3}},
        {"kind": "t1", "data": {"body": "I am furious", "author": "ben", "edited": False}},
    ]
    listing = {"kind": "Listing", "data": {"after": None, "children": children}}
    content = json.dumps(listing, indent=1)
    found = values(content)
    assert [line for line, _ in found] == [6, 14]
    assert _array(content) == "data.children"
    assert _array(json.dumps(children)) is None  # an array's items
    assert _array(json.dumps(listing), lines=True) is None  # a JSON Lines record
    assert [flattening.flattened(record) for _, record in found] == [
        {"kind": "t1", "data.body": "so happy with this", "data.author": "ana", "data.score": 3},
        {"kind": "t1", "data.body": "I am furious", "data.author": "ben", "data.edited": False},
    ]
    source = tmp_path / "listing.json"
    source.write_text(content)
    result = CliRunner().invoke(
        analyze, [str(source), "--column", "data.body", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["record"], row["label"]) for row in rows] == [(1, "joy"), (2, "anger")]


def test_flattening_names_nested_members_by_their_path():
    deep = {"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}
    assert flattening.flattened(deep) == {"a.b.c.d.e": {"f": 1}}  # four levels, then whole
    record = {"text": "hi", "user": {"name": "ana", "tags": ["x"]}, "geo": {}, "user.name": "b"}
    assert flattening.flattened(record) == {
        "text": "hi",
        "user.name": "ana",  # the first of the two
        "user.tags": ["x"],
    }
    flat = {"text": "hi", "tags": ["x"]}
    assert flattening.flattened(flat) is flat


def test_a_compact_answer_is_read_a_chunk_at_a_time(monkeypatch):
    monkeypatch.setattr(json_values, "CHUNK", 64)
    items = [{"text": f"text number {number}"} for number in range(2_000)]
    stream = io.StringIO(json.dumps({"results": items, "count": 2_000}))  # one line
    found = json_values.json_values(stream)
    assert next(found).value == items[0]
    assert stream.tell() < 200  # the first item came from the first chunks, not the whole line
    assert [value.value for value in found] == items[1:]


@pytest.mark.parametrize("chunk", [7, 64 * 1024])
def test_pretty_records_one_after_another_are_read_as_jq_prints_them(monkeypatch, chunk):
    monkeypatch.setattr(json_values, "CHUNK", chunk)
    records = [{"text": "I love it", "tags": ["a"]}, {"text": "so late"}, "just a text"]
    printed = "\n".join(json.dumps(record, indent=2) for record in records) + "\n"
    assert values(printed) == [(1, records[0]), (7, records[1]), (10, records[2])]
    with pytest.raises(ArrayError, match=r"^line 8: not valid JSON \(Invalid control"):
        values(printed.replace('"so late"', '"so late'))


@pytest.mark.parametrize("chunk", [4, 64 * 1024])  # a record longer than a chunk, or not
def test_a_file_named_json_lines_is_read_by_lines(monkeypatch, chunk):
    monkeypatch.setattr(json_values, "CHUNK", chunk)
    record = {"text": "Thread start", "replies": [{"text": "one"}, {"text": "two"}]}

    def read(content: str, lines: bool) -> list[tuple[int, object]]:
        found = json_values.json_values(io.StringIO(content), lines=lines)
        return [(value.line, value.value) for value in found]

    one_line = json.dumps(record) + "\n"
    assert read(one_line, lines=True) == [(1, record)]  # a .jsonl file of one record
    assert read(one_line, lines=False) == [(1, {"text": "one"}), (1, {"text": "two"})]  # .json
    two = one_line + '{"text": "next"}\n'
    assert read(two, lines=True) == [(1, record), (2, {"text": "next"})]
    spread = json.dumps(record, indent=2)  # not JSON line by line: still read whole
    assert read(spread, lines=True) == read(spread, lines=False)
    assert read(json.dumps([record]), lines=True) == [(1, record)]  # an array stays an array


def test_the_cli_reads_a_jsonl_file_by_lines_and_a_json_file_as_a_document(tmp_path):
    record = {"text": "I love this thread", "replies": [{"text": "so sad"}, {"text": "angry"}]}
    for name, texts in (("one.jsonl", 1), ("one.ndjson", 1), ("one.json", 2)):
        source = tmp_path / name
        source.write_text(json.dumps(record) + "\n", encoding="utf-8")
        result = CliRunner().invoke(analyze, [str(source), "--format", "jsonl"])
        assert result.exit_code == 0, result.output
        assert len(result.stdout.splitlines()) == texts, name
    forced = CliRunner().invoke(
        analyze, [str(tmp_path / "one.json"), "--format", "jsonl", "--input-format", "jsonl"]
    )
    assert forced.exit_code == 0 and len(forced.stdout.splitlines()) == 1
