"""Reading an RSS or Atom feed (feedparser): its title and entries as texts, each under a key
that stays the same from one read to the next, so that a subscription stores it once.

An entry's text is its title and its summary (or content) as plain text, the HTML taken out;
its time is when it was published (or updated), else when it was read; its author as the feed
names one. The feed is asked for with what its server said last time (ETag, Last-Modified),
so that an unchanged feed answers 304 and costs nothing.
"""

import hashlib
import html.parser
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from emolytics import outbound
from emolytics.pipeline.ingest import MAX_AUTHOR_CHARS, MAX_TEXT_CHARS, ParsedText

MAX_FEED_BYTES = 5_000_000
MAX_ENTRIES = 1_000  # of one read, the first the feed lists
TIMEOUT_SECONDS = 10.0  # for the answer, redirects and all
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
USER_AGENT = "Emolytics/1 (feed reader)"
BLOCKS = frozenset("p br div li tr h1 h2 h3 h4 h5 h6 blockquote pre".split())


class FeedUnread(Exception):
    """The feed could not be read; the message (for the user) says why."""


@dataclass(frozen=True)
class Entry:
    key: str  # SHA-256 (hex) of its id
    text: ParsedText


@dataclass(frozen=True)
class Feed:
    """A feed as read: None for its title and no entries when it had not changed."""

    title: str | None
    etag: str | None
    modified: str | None
    entries: list[Entry] = field(default_factory=list)
    unchanged: bool = False


def read(
    url: str,
    allow_private: bool,
    etag: str | None = None,
    modified: str | None = None,
    now: datetime | None = None,
) -> Feed:
    """The feed at `url`; FeedUnread when it cannot be had or is not a feed (outbound.Refused
    for a URL the server may not ask)."""
    headers = {"Accept": ACCEPT, "User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    try:
        got = outbound.get(
            url, MAX_FEED_BYTES, headers, allow_private, noun="feed", timeout=TIMEOUT_SECONDS
        )
    except outbound.Unanswered as error:
        raise FeedUnread(str(error)) from error
    if got.status == 304:
        return Feed(None, etag, modified, unchanged=True)
    if got.status != 200:
        raise FeedUnread(f"the feed's server answered {got.status}")
    import feedparser  # here: importing it takes 20 ms, not every command's and process start's

    parsed = feedparser.parse(got.body, response_headers=got.headers)
    if not parsed.get("version"):
        raise FeedUnread("that address gives no RSS or Atom feed")
    arrived = now or datetime.now(UTC)
    found = (_entry(entry, arrived) for entry in parsed.entries[:MAX_ENTRIES])
    entries = sorted(filter(None, found), key=lambda entry: entry.text.posted_at)  # oldest first
    title = _plain(parsed.feed.get("title", ""))[:200] or None
    etag, modified = got.headers.get("etag"), got.headers.get("last-modified")
    return Feed(title, _kept(etag, 200), _kept(modified, 100), entries)


def _kept(value: str | None, most: int) -> str | None:
    """A validator to ask back with, if it fits where it is kept (else the feed is asked for
    in full each time)."""
    return value if value and len(value) <= most else None


def _entry(entry: Any, arrived: datetime) -> Entry | None:
    """The entry as a text (its line is the dataset's to give), or None when it holds none."""
    title = _plain(entry.get("title", ""))
    contents = entry.get("content") or []
    body = _plain(entry.get("summary") or (contents[0].get("value", "") if contents else ""))
    text = body if title and body.startswith(title) else "\n".join(filter(None, (title, body)))
    text = text[:MAX_TEXT_CHARS].strip()
    if not text:
        return None
    identity = entry.get("id") or entry.get("link") or f"{title}\n{entry.get('published', '')}"
    key = hashlib.sha256(identity.encode()).hexdigest()
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    posted_at = datetime(*moment[:6], tzinfo=UTC) if moment else arrived
    author = _plain(entry.get("author", ""))[:MAX_AUTHOR_CHARS] or None
    return Entry(key, ParsedText(0, text, posted_at, author))


def _plain(markup: str) -> str:
    """HTML as the text a reader sees: tags out, entities read, blocks on lines of their own
    (and no NUL, which no text column stores)."""
    reader = _TextOf()
    reader.feed(markup.replace("\x00", ""))
    reader.close()
    lines = ("".join(reader.parts)).splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


class _TextOf(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)
