"""Language detection: codes on a small multilingual fixture, its English fast path, the
languages of a training set, and no network at any point."""

import socket

import pytest

from emolytics.engine import languages

FIXTURE = {
    "I love the new tram, it is absolutely brilliant": "en",
    "This update broke my phone and I am so angry about it": "en",
    "the worst customer service ever, never again": "en",
    "Ich freue mich riesig über die neue Straßenbahn, einfach wunderbar!": "de",
    "Das ist die schlechteste App, die ich je benutzt habe": "de",
    "Je suis tellement heureuse aujourd'hui, le nouveau tramway est magnifique !": "fr",
    "Estoy muy contento con el nuevo tranvía, funciona de maravilla.": "es",
    "Questo ritardo del treno mi fa davvero arrabbiare": "it",
    "Мне очень нравится новый трамвай": "ru",
    "🎉😍🎉": "und",
    "😡😡 !!!": "und",
    "ok": "und",
    "lol": "und",
    "": "und",
}


def test_each_text_gets_its_language_or_und():
    assert dict(zip(FIXTURE, languages.detect(list(FIXTURE)), strict=True)) == FIXTURE


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("I love the new tram, it is absolutely brilliant", True),
        ("what a day, the staff were really kind", True),
        ("I love it", True),
        ("the museum opens on Monday", True),
        ("Der Bahnhof ist heute wieder zu, the end", False),  # one English word: the detector
        ("Die Bahn ist the best, und das ist wahr und schön", False),  # not ASCII
        ("Die Bahn ist the best and das ist wahr und ich bin froh heute morgen", False),
        ("Straßenbahn", False),
    ],
)
def test_the_fast_path_takes_plain_english_only(text, plain):
    assert languages.plainly_english(text) is plain


def test_a_training_set_reads_its_main_languages():
    codes = ["en"] * 60 + ["de"] * 30 + ["fr"] * 2 + ["und"] * 40
    assert languages.main_languages(codes) == ["de", "en"]  # fr: 2 of 92 determined
    assert languages.main_languages(["und", "und"]) == []


def test_detection_never_reaches_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("language detection tried the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(languages, "_detector", None)  # loaded afresh, offline
    assert languages.detect(["Ich freue mich riesig über die neue Straßenbahn"]) == ["de"]


def test_an_unsure_guess_stands_only_for_words_the_model_does_not_know():
    from emolytics.engine import load_analyzer

    knows = load_analyzer().knows
    unsure = ["Me encanta este lugar, es precioso", "text number 7991"]  # es 0.65, fi 0.73
    assert languages.detect(unsure) == ["und", "und"]  # the detector alone is not sure enough
    assert languages.detect(unsure, knows) == ["es", "und"]  # "text" and "number" are known


def test_an_unsure_guess_of_a_language_the_model_reads_stands():
    text = "The construction crews left trash all over the park next to the depot. Disgusting."
    assert languages.detect([text]) == ["und"]  # the detector says en, 0.65: unsure
    assert languages.detect([text], reads=("en",)) == ["en"]
    assert languages.detect(["text number 7991"], reads=("en",)) == ["und"]  # fi, 0.73


def test_a_few_words_the_model_knows_are_not_taken_for_another_language():
    from emolytics.engine import load_analyzer

    knows = load_analyzer().knows
    texts = ["I wanna die", "Im in!", "Ich liebe dich"]
    assert languages.detect(texts) == ["de", "de", "de"]  # the detector alone
    assert languages.detect(texts, knows, reads=("en",)) == ["und", "und", "de"]
