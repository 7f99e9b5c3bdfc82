"""A tiny HTTP client (http.client) for preparing sign-ins and for the paced login burst."""

import http.client
import re
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urlencode

from servers import Server

# Flask-Login's "strong" session protection ties a session to the client's address and
# User-Agent: the Python client and wrk send the same one.
USER_AGENT = "emolytics-bench/1"
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class RequestSpec:
    """One request as wrk sends it (see report.lua for the line format)."""

    method: str
    path: str
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def wrk_line(self, server: Server) -> str:
        headers = {"Host": server.address, "User-Agent": USER_AGENT, **self.headers}
        return "\t".join(
            [self.method, self.path, self.body, *(f"{k}: {v}" for k, v in headers.items())]
        )

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: str


def send(server: Server, spec: RequestSpec) -> Reply:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        headers = {"User-Agent": USER_AGENT, **spec.headers}
        connection.request(spec.method, spec.path, body=spec.body or None, headers=headers)
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read().decode())
    finally:
        connection.close()


def session_cookie(reply: Reply) -> str:
    """The `session=...` pair a response sets."""
    for value in reply.headers.get_all("Set-Cookie") or []:
        if value.startswith("session="):
            return value.split(";", 1)[0]
    raise RuntimeError(f"no session cookie in a {reply.status} response")


def csrf_login_form(server: Server, username: str, password: str) -> RequestSpec:
    """POST /login with a CSRF token and the anonymous session cookie it belongs to.

    The anonymous session is a signed client-side cookie that no sign-in invalidates, so the
    same (cookie, token) pair stays valid for every repetition of this request.
    """
    page = send(server, RequestSpec("GET", "/login"))
    match = CSRF_INPUT.search(page.body)
    if page.status != 200 or match is None:
        raise RuntimeError(f"{server.name}: GET /login gave {page.status} without a CSRF token")
    fields = {"csrf_token": match.group(1), "username": username, "password": password}
    headers = {"Cookie": session_cookie(page), "Content-Type": FORM}
    return RequestSpec("POST", "/login", urlencode(fields), headers)


def plain_login_form(username: str, password: str) -> RequestSpec:
    fields = {"username": username, "password": password}
    return RequestSpec("POST", "/login", urlencode(fields), {"Content-Type": FORM})


def sign_in(server: Server, login: RequestSpec) -> str:
    """Sign in with a prepared login request; the signed-in session cookie."""
    reply = send(server, login)
    if reply.status != 302:
        raise RuntimeError(f"{server.name}: sign-in gave {reply.status}, expected 302")
    return session_cookie(reply)


def settled_cookie(server: Server, path: str, cookie: str) -> str:
    """The session cookie after one visit of `path`, as a browser would keep it.

    A page may add to the session on the first visit (a CSRF token in a form, say); a browser
    sends the updated cookie from then on, so the load does too.
    """
    reply = send(server, RequestSpec("GET", path, headers={"Cookie": cookie}))
    has_new_cookie = any(
        value.startswith("session=") for value in reply.headers.get_all("Set-Cookie") or []
    )
    return session_cookie(reply) if has_new_cookie else cookie


def check(server: Server, spec: RequestSpec, expect: int) -> None:
    """Fail early when a request does not get the status the benchmark counts as success."""
    status = send(server, spec).status
    if status != expect:
        raise RuntimeError(f"{server.name}: {spec.label} gave {status}, expected {expect}")
