"""A feed's entries as texts: RSS and Atom, HTML taken out, times and authors, keys that stay
the same from one read to the next."""

from datetime import UTC, datetime

from emolytics.pipeline import feed_entries
from tests.feed_server import rss

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Station &amp; line reviews</title>
  <id>urn:feed</id>
  <updated>2026-03-05T10:00:00Z</updated>
  <entry>
    <id>urn:review:2</id>
    <updated>2026-03-04T09:30:00+02:00</updated>
    <author><name>Ben</name></author>
    <content type="html">&lt;p&gt;The lift was &lt;em&gt;broken&lt;/em&gt; again.&lt;/p&gt;
      &lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;So angry!&lt;/p&gt;</content>
  </entry>
  <entry>
    <id>urn:review:1</id>
    <title>Lovely staff</title>
    <summary>Lovely staff, they helped me with my bags.</summary>
  </entry>
  <entry><id>urn:review:0</id><title> </title><summary></summary></entry>
</feed>
"""
READ_AT = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)


def test_atom_entries_become_plain_texts_the_oldest_first(feeds):
    url = feeds.serve("/reviews.atom", ATOM)
    feed = feed_entries.read(url, allow_private=True, now=READ_AT)
    assert feed.title == "Station & line reviews" and feed.etag == feeds.etag
    first, second = feed.entries  # the empty entry is left out
    assert first.text.text == "The lift was broken again.\nSo angry!"  # no script, no tags
    assert first.text.posted_at == datetime(2026, 3, 4, 7, 30, tzinfo=UTC)
    assert first.text.author == "Ben"
    # no time of its own: when it was read, so the undated entry comes last
    assert second.text.text == "Lovely staff, they helped me with my bags."  # title in summary
    assert (second.text.posted_at, second.text.author) == (READ_AT, None)


def test_an_entry_keeps_its_key_and_a_repeated_one_has_the_same(feeds):
    item = ("guid-7", "Delays", "Trains late again")
    url = feeds.serve("/news.rss", rss(item, ("guid-8", "Fares", "Up again")))
    keys = [entry.key for entry in feed_entries.read(url, allow_private=True).entries]
    feeds.serve("/news.rss", rss(("guid-9", "New", "Fresh"), item))
    again = [entry.key for entry in feed_entries.read(url, allow_private=True).entries]
    assert keys[0] in again and keys[1] not in again and len(set(keys + again)) == 3


def test_an_unchanged_feed_is_not_read_again(feeds):
    url = feeds.serve("/news.rss", rss(("guid-1", "Delays", "Trains late")))
    first = feed_entries.read(url, allow_private=True)
    unchanged = feed_entries.read(url, allow_private=True, etag=first.etag)
    assert unchanged.unchanged and unchanged.entries == []
    assert feeds.requests[-1]["If-None-Match"] == first.etag
