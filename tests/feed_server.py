"""A feed server on loopback for the tests: it serves `documents` by path (an RSS or Atom
document, or any bytes), answers 304 to a request that names the ETag it gave, and records
each request's headers."""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def rss(*items: tuple[str, str, str], title: str = "Tram news") -> bytes:
    """An RSS 2.0 document of (guid, title, description HTML) items, published a day apart
    from 1 March 2026 on."""
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{headline}</title>"
        f"<description><![CDATA[{body}]]></description>"
        f"<pubDate>Sun, {day + 1:02d} Mar 2026 08:00:00 GMT</pubDate>"
        "<author>desk@example.com (News desk)</author></item>"
        for day, (guid, headline, body) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.com/</link><description>d</description>"
        f"{entries}</channel></rss>"
    ).encode()


class FeedServer:
    def __init__(self) -> None:
        self.documents: dict[str, tuple[int, bytes]] = {}  # path -> (status, body)
        self.delay = 0.0  # seconds before each answer
        self.etag = '"v1"'
        self.requests: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(dict(self.headers))
                time.sleep(server.delay)
                status, body = server.documents.get(self.path, (404, b"not here"))
                if status == 200 and self.headers.get("If-None-Match") == server.etag:
                    status, body = 304, b""
                self.send_response(status)
                if 300 <= status < 400 and status != 304:
                    self.send_header("Location", body.decode())
                    body = b""
                if status == 200:
                    self.send_header("ETag", server.etag)
                    self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, path: str, body: bytes, status: int = 200) -> str:
        """Serve `body` at `path` from now on (a new version: a new ETag); its URL."""
        self.documents[path] = (status, body)
        self.etag = f'"v{len(self.requests) + 1}-{len(body)}"'
        return self.base + path


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def feeds(app, feed_server: FeedServer) -> FeedServer:
    """A feed server, and the app allowed to read from loopback."""
    app.config["SUBSCRIPTIONS_ALLOW_PRIVATE"] = True
    return feed_server
