"""A webhook receiver on loopback for the tests: it records what it is sent, checks the
signature the way a real receiver would (when given the secret), and answers `status`."""

import hashlib
import hmac
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from emolytics.notifications import webhooks


class Receiver:
    def __init__(self) -> None:
        self.status = 200
        self.secret: str | None = None  # when set, a request signed otherwise is answered 401
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(size)
                receiver.received.append((dict(self.headers), body))
                status = receiver.status
                if receiver.secret is not None and not receiver.signed(self.headers, body):
                    status = 401
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/b")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook?x=1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def signed(self, headers: object, body: bytes) -> bool:
        expected = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        given = headers.get(webhooks.SIGNATURE_HEADER, "")  # type: ignore[attr-defined]
        return hmac.compare_digest(given, f"sha256={expected}")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()
