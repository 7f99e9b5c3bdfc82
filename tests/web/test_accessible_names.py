"""Every page a member or a visitor can open names what it shows to a screen reader: each form
control has a label (or an aria-label), each button and link a text, each image a text
alternative, each page a language and a title, and no id is given twice (a label would name the
wrong control). Pages are read from the URL map, so a new one is checked the day it is added."""

from collections import Counter
from html.parser import HTMLParser

from flask import Flask
from werkzeug.routing import Rule

from tests.web.api_calls import real_ids

CONTROLS = {"input", "select", "textarea"}
SELF_NAMED = {"hidden", "submit", "button", "reset"}  # hidden, or named by their value
NAMED_BY_TEXT = {"button", "a"}


class Names(HTMLParser):
    """A page's form controls and images, with what names them."""

    def __init__(self) -> None:
        super().__init__()
        self.labelled: set[str] = set()  # ids a <label for> names
        self.open_labels = 0
        self.controls: list[tuple[dict[str, str], bool]] = []  # attributes, inside a label
        self.unnamed_images: list[str] = []
        self.language = ""
        self.title = ""
        self._in_title = False
        self.ids: Counter[str] = Counter()
        self.open_texts: list[tuple[str, dict[str, str], list[str]]] = []  # button or link
        self.textless: list[str] = []

    def handle_starttag(self, tag: str, pairs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in pairs}
        if "id" in attributes:
            self.ids[attributes["id"]] += 1
        if tag in NAMED_BY_TEXT:
            self.open_texts.append((tag, attributes, []))
        if tag == "html":
            self.language = attributes.get("lang", "")
        elif tag == "title":
            self._in_title = True
        elif tag == "label":
            self.open_labels += 1
            self.labelled.add(attributes.get("for", ""))
        elif tag in CONTROLS and attributes.get("type") not in SELF_NAMED:
            if "hidden" in attributes:  # never shown nor read out (a password manager's name)
                return
            self.controls.append(({"tag": tag, **attributes}, self.open_labels > 0))
        elif tag == "img" and "alt" not in attributes:
            self.unnamed_images.append(attributes.get("src", ""))
        elif tag == "img":
            self.handle_data(attributes["alt"])  # an image's alternative names its link

    def handle_endtag(self, tag: str) -> None:
        if tag in NAMED_BY_TEXT and self.open_texts and self.open_texts[-1][0] == tag:
            _, attributes, texts = self.open_texts.pop()
            named = attributes.get("aria-label") or attributes.get("title")
            if not ("".join(texts).strip() or named):
                self.textless.append(f"<{tag} {attributes}> without text")
        if tag == "label":
            self.open_labels -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        for _, _, texts in self.open_texts:
            texts.append(data)

    def unnamed(self) -> list[str]:
        return [
            f"<{control['tag']} name={control.get('name')!r} id={control.get('id')!r}>"
            for control, in_label in self.controls
            if not in_label
            and control.get("id", "-") not in self.labelled
            and not (control.get("aria-label") or control.get("aria-labelledby"))
        ]


def problems(html: str) -> list[str]:
    names = Names()
    names.feed(html)
    found = names.unnamed() + [f"<img src={src!r}> without alt" for src in names.unnamed_images]
    found += names.textless + [f"id {id_!r} given twice" for id_, n in names.ids.items() if n > 1]
    if not names.language:
        found.append("no lang on <html>")
    if not names.title.strip():
        found.append("no <title>")
    return found


def pages(app: Flask) -> list[Rule]:
    """Every page: the GET routes outside the API, and the API's reference."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and (rule.endpoint == "api.reference" or not rule.endpoint.startswith(("api.", "static")))
    ]


def test_every_page_names_its_controls_and_images(app: Flask, api, auth):
    ids = real_ids(api)
    found = {}
    for signed_in in (False, True):
        if signed_in:
            auth.login()
        for rule in pages(app):
            path = rule.build({name: ids[name] for name in rule.arguments})[1]
            answer = auth.client.get(path)
            if answer.mimetype == "text/html" and (trouble := problems(answer.get_data(True))):
                found[(signed_in, path)] = trouble
            answer.close()
    assert found == {}


def test_the_check_finds_what_it_looks_for():
    page = (
        '<html lang="en"><head><title>T</title></head><body><label for="a">A</label><input id="a">'
        '<label>B <select name="b"></select></label><input type="hidden" name="c">'
        '<textarea aria-label="D"></textarea><input type="submit" value="Go">'
        '<input name="e"><input autocomplete="username" hidden><img src="x.png">'
        '<a href="/"><img src="l.png" alt="Home"></a>'
        '<button type="button"> </button><a href="/x" id="a"></a></body></html>'
    )
    assert problems(page) == [
        "<input name='e' id=None>",
        "<img src='x.png'> without alt",
        "<button {'type': 'button'}> without text",
        "<a {'href': '/x', 'id': 'a'}> without text",
        "id 'a' given twice",
    ]
    assert problems("<html><body></body></html>") == ["no lang on <html>", "no <title>"]
