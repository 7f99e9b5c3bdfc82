"""A black-box security check of a running Emolytics, over HTTP only.

    python scripts/security_check.py http://127.0.0.1:5000

It registers throwaway accounts (registration must be open), then checks what a user's
browser and an API client can see: security headers and cookie flags, CSRF on forms,
sign-in required and same-site `next`, sign-out ending the session and its remember cookie
for real, throttled sign-in, bearer-only API tokens, and error pages without tracebacks. It
prints one line per check and exits 1 when any fails. It only needs the standard library, so
it runs against any deployment; tests/blackbox runs it against `emolytics run`.

Every check signs in with accounts of its own, a few times each, so the per-account sign-in
limit is met only where throttling is the point. The per-address limits of sign-in and
registration must allow about a dozen of each per minute from the checking machine.
"""

import argparse
import json
import re
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookiejar import CookieJar

PASSWORD = "black-box check " + secrets.token_hex(4)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
TOKEN = re.compile(r"emo_[A-Za-z0-9_\-]{20,}")
PAGE = "/account/tokens"  # a page that needs a sign-in
OFFSITE_NEXTS = ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    cookies: list[str]  # Set-Cookie lines
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Browser:
    """A cookie jar and a User-Agent, like one browser; redirects are not followed."""

    base: str
    jar: CookieJar = field(default_factory=CookieJar)
    agent: str = "security-check/1.0"

    def __post_init__(self) -> None:
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.opener = urllib.request.build_opener(cookies, _NoRedirects())

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, **headers: str
    ) -> Answer:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("User-Agent", self.agent)
        for name, value in headers.items():
            request.add_header(name.replace("_", "-"), value)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        body = response.read().decode("utf-8", "replace")
        names = {key.lower(): value for key, value in response.headers.items()}
        return Answer(response.status, names, response.headers.get_all("Set-Cookie") or [], body)

    def get(self, path: str, **headers: str) -> Answer:
        return self.request("GET", path, **headers)

    def post_form(self, path: str, form: dict[str, str], csrf_from: str | None = None) -> Answer:
        """POST `form` with the CSRF token of the form at `csrf_from` (default: `path`)."""
        page = self.get(csrf_from or path).body
        match = CSRF.search(page)
        token = (match.group(1) or match.group(2)) if match else ""
        return self.request("POST", path, {**form, "csrf_token": token})

    def sign_in(self, username: str, password: str = PASSWORD, **extra: str) -> Answer:
        form = {"username": username, "password": password, **extra}
        return self.post_form("/login", form)


class Failed(Exception):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


@dataclass
class Site:
    base: str
    names: list[str] = field(default_factory=list)

    def account(self) -> tuple[str, Browser]:
        """A new account, signed in through /register, in a browser of its own."""
        name = f"check-{secrets.token_hex(5)}"
        browser = Browser(self.base)
        form = {"username": name, "password": PASSWORD, "confirm": PASSWORD}
        answer = browser.post_form("/register", form)
        expect(answer.status == 302, f"registering {name} answered {answer.status}")
        self.names.append(name)
        return name, browser


CHECKS: list[tuple[str, Callable[[Site], None]]] = []


def check(title: str) -> Callable[[Callable[[Site], None]], Callable[[Site], None]]:
    def register(function: Callable[[Site], None]) -> Callable[[Site], None]:
        CHECKS.append((title, function))
        return function

    return register


@check("security headers on pages")
def headers(site: Site) -> None:
    for path in ("/login", "/register", "/no-such-page"):
        answer = Browser(site.base).get(path)
        policy = answer.headers.get("content-security-policy", "")
        expect("script-src 'self'" in policy, f"{path}: no script-src 'self' in the CSP")
        expect("unsafe-inline" not in policy, f"{path}: the CSP allows unsafe-inline")
        expect("frame-ancestors 'none'" in policy, f"{path}: the page may be framed")
        expect(answer.headers.get("x-content-type-options") == "nosniff", f"{path}: no nosniff")


@check("session and remember cookies are HttpOnly and SameSite")
def cookie_flags(site: Site) -> None:
    name, _ = site.account()
    browser = Browser(site.base)
    answer = browser.sign_in(name, remember="y")
    expect(answer.status == 302, f"sign-in answered {answer.status}")
    lines = [line.lower() for line in answer.cookies]
    expect(len(lines) >= 2, "sign-in with 'remember me' set fewer than two cookies")
    for line in lines:
        expect("httponly" in line, f"cookie without HttpOnly: {line.split(';')[0][:20]}…")
        expect("samesite=lax" in line or "samesite=strict" in line, "cookie without SameSite")


@check("forms refuse a POST without a valid CSRF token")
def csrf(site: Site) -> None:
    name, browser = site.account()
    stranger = Browser(site.base)
    answer = stranger.request("POST", "/login", {"username": name, "password": PASSWORD})
    expect(answer.status == 400, f"sign-in without a CSRF token answered {answer.status}")
    expect(
        "set-cookie" not in answer.headers or "remember" not in answer.headers["set-cookie"],
        "a remember cookie was set without CSRF",
    )
    # a token from another browser's session does not count either
    foreign = CSRF.search(browser.get("/account/tokens").body)
    expect(foreign is not None, "no CSRF token on /account/tokens")
    token = foreign.group(1) or foreign.group(2)
    form = {"username": name, "password": PASSWORD, "csrf_token": token}
    answer = stranger.request("POST", "/login", form)
    expect(answer.status == 400, f"another session's CSRF token answered {answer.status}")
    answer = browser.request("POST", "/account/tokens", {"name": "no csrf"})
    expect(answer.status == 400, f"creating a token without CSRF answered {answer.status}")


@check("pages need a sign-in and come back to a same-site next only")
def next_parameter(site: Site) -> None:
    answer = Browser(site.base).get(PAGE)
    expect(answer.status == 302, f"{PAGE} signed out answered {answer.status}")
    expect("/login?next=" in answer.location, f"{PAGE} sent to {answer.location!r}")
    names = [site.account()[0], site.account()[0]]  # a few sign-ins each: under the account limit
    browser = Browser(site.base)
    form = {"username": names[0], "password": PASSWORD}
    answer = browser.post_form("/login?next=" + urllib.parse.quote(PAGE, safe=""), form)
    expect(answer.location.endswith(PAGE), f"same-site next went to {answer.location!r}")
    for number, target in enumerate(OFFSITE_NEXTS):
        name = names[number % 2]
        browser = Browser(site.base)
        path = "/login?next=" + urllib.parse.quote(target, safe="")
        answer = browser.post_form(path, {"username": name, "password": PASSWORD})
        where = urllib.parse.urlsplit(urllib.parse.urljoin(site.base + "/", answer.location))
        expect(answer.status == 302, f"sign-in with next={target!r} answered {answer.status}")
        expect(
            where.netloc == urllib.parse.urlsplit(site.base).netloc
            and where.scheme != "javascript",
            f"next={target!r} sent the browser to {answer.location!r}",
        )


@check("signing out ends the session and its remember cookie for real")
def sign_out(site: Site) -> None:
    name, _ = site.account()
    browser = Browser(site.base)
    browser.sign_in(name, remember="y")
    copied = [(cookie.name, cookie.value) for cookie in browser.jar]
    expect(browser.get(PAGE).status == 200, f"a fresh sign-in cannot see {PAGE}")
    answer = browser.post_form("/logout", {})
    expect(answer.status == 302, f"signing out answered {answer.status}")
    replay = Browser(site.base)
    cookie_header = "; ".join(f"{key}={value}" for key, value in copied)
    answer = replay.get(PAGE, Cookie=cookie_header)
    expect(answer.status == 302, f"the copied cookies still open {PAGE} ({answer.status})")
    remember = "; ".join(f"{key}={value}" for key, value in copied if "remember" in key)
    expect(bool(remember), "no remember cookie was set")
    answer = Browser(site.base).get(PAGE, Cookie=remember)
    expect(answer.status == 302, f"the copied remember cookie still works ({answer.status})")


@check("the API takes bearer tokens only, read tokens only read, a revoked one stops")
def tokens(site: Site) -> None:
    name, browser = site.account()
    answer = browser.post_form("/account/tokens", {"name": "check", "expires_in_days": "1"})
    found = TOKEN.search(answer.body)
    expect(found is not None, f"no token shown after creating one ({answer.status})")
    secret = found.group(0)
    api = Browser(site.base)
    expect(api.get("/api/v1/me").status == 401, "/api/v1/me without a token is not 401")
    me = api.get("/api/v1/me", Authorization=f"Bearer {secret}")
    expect(me.status == 200, f"/api/v1/me with the token answered {me.status}")
    expect(json.loads(me.body)["username"] == name, "the token answers for someone else")
    expect(json.loads(me.body).get("scope") == "read", "a new token is not read-only by default")
    write = api.request("POST", "/api/v1/teams", Authorization=f"Bearer {secret}")
    expect(write.status == 403, f"a read-only token could POST ({write.status})")
    expect(browser.get("/api/v1/me").status == 401, "the API accepted a session cookie")
    query = api.get(f"/api/v1/me?access_token={secret}")
    expect(query.status == 401, "a token in the query string was accepted")
    bad = api.get("/api/v1/me", Authorization=f"Bearer {secret[:-2]}xx")
    expect(bad.status == 401, f"a wrong token answered {bad.status}")
    expect(bad.headers.get("content-type", "").startswith("application/json"), "401 not JSON")
    listing = browser.get("/account/tokens").body
    token_id = re.search(r"/account/tokens/(\d+)/revoke", listing)
    expect(token_id is not None, "no revoke link on /account/tokens")
    revoke = f"/account/tokens/{token_id.group(1)}/revoke"
    expect(browser.post_form(revoke, {}).status == 302, "revoking the token failed")
    answer = api.get("/api/v1/me", Authorization=f"Bearer {secret}")
    expect(answer.status == 401, f"the revoked token answered {answer.status}")


@check("errors show a friendly page, never a traceback")
def error_pages(site: Site) -> None:
    for path in ("/no-such-page", "/datasets/999999999", "/api/v1/no-such-thing"):
        answer = Browser(site.base).get(path)
        expect(answer.status in (302, 401, 404), f"{path} answered {answer.status}")
        expect("Traceback" not in answer.body, f"{path} shows a traceback")
    _, browser = site.account()
    answer = browser.get("/datasets/999999999")
    expect(answer.status == 404, f"another user's or a missing dataset answered {answer.status}")


@check("sign-in is throttled, even for the right password")
def throttling(site: Site) -> None:
    name, _ = site.account()
    statuses = []
    for _attempt in range(12):
        browser = Browser(site.base)
        statuses.append(browser.sign_in(name, password="wrong password").status)
        if statuses[-1] == 429:
            break
    expect(429 in statuses, f"12 wrong passwords were never throttled: {statuses}")
    answer = Browser(site.base).sign_in(name)
    expect(answer.status == 429, f"the right password during the lock answered {answer.status}")


def run(base: str, out: Callable[[str], None] = print) -> list[str]:
    """Run every check against `base`; the titles of those that failed."""
    site = Site(base.rstrip("/"))
    failed = []
    for title, function in CHECKS:
        try:
            function(site)
        except Failed as problem:
            failed.append(title)
            out(f"FAIL {title}: {problem}")
        else:
            out(f"ok   {title}")
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the running app, e.g. http://127.0.0.1:5000")
    failed = run(parser.parse_args().url)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
