"""Fixtures for the browser suite: a live Emolytics server and Debian's Chromium.

The server is the real thing (`emolytics run`, gunicorn) on a free local port, with its own
SQLite instance folder; Chromium is the system package driven through Playwright's sync API.
When /usr/bin/chromium is missing the suite is skipped, unless EMOLYTICS_REQUIRE_BROWSER=1
(CI), where a missing browser is an error. The dashboard script tests use `harness` (see
dashboard_harness.py) and `open_page` instead of the live server.
"""

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, expect, sync_playwright
from werkzeug.serving import make_server

from tests.browser.dashboard_harness import Harness, _harness_app
from tests.browser.dashboard_view import DESKTOP, Watched
from tests.live_server import serve
from tests.totp_clock import TotpClock

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
INSTANCE_CONFIG = """\
# Written by tests/browser/conftest.py: generous limits, the suite signs in many times.
LOGIN_RATE_LIMIT = "1000 per minute"
LOGIN_ACCOUNT_RATE_LIMIT = "1000 per minute"
REGISTER_RATE_LIMIT = "1000 per minute"
SUBSCRIPTIONS_ALLOW_PRIVATE = True  # the feeds the tests serve are on loopback
"""

TOTP_CLOCK = "totp-clock"

ContextFactory = Callable[..., BrowserContext]


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """Debian's Chromium, or a skip (a failure when EMOLYTICS_REQUIRE_BROWSER=1)."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = (
        f"{CHROMIUM} not found: install Debian's Chromium with "
        "`apt-get update && apt-get install -y chromium` (never `playwright install`)"
    )
    if os.environ.get("EMOLYTICS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"EMOLYTICS_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots go: artifacts/screenshots/ at the repo root (git-ignored)."""
    folder = REPO_ROOT / "artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def server_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's instance folder."""
    return tmp_path_factory.mktemp("browser-instance")


@pytest.fixture(scope="session")
def server_url(chromium_executable: Path, server_instance: Path) -> Iterator[str]:
    """`emolytics run` on a free port with a fresh instance folder, for the whole session;
    its base URL (`http://127.0.0.1:PORT`, no trailing slash).

    Depends on `chromium_executable` so that no server starts when the suite is skipped.
    The server checks authenticator codes at the time in `server_instance / TOTP_CLOCK` while
    that file exists (the `totp_clock` fixture), at the real time otherwise.
    """
    clock_setting = f"TOTP_TEST_CLOCK_FILE = {str(server_instance / TOTP_CLOCK)!r}\n"
    with serve(server_instance, INSTANCE_CONFIG + clock_setting) as url:
        yield url


@pytest.fixture(scope="session")
def chromium(chromium_executable: Path) -> Iterator[Browser]:
    """One headless Chromium for the session (each test gets fresh contexts)."""
    # Argon2 hashing on a busy shared machine can be slow: more than Playwright's 5 s default.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_executable), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(chromium: Browser, server_url: str) -> Iterator[ContextFactory]:
    """Make isolated browser contexts (separate cookie jars) aimed at the live server.

    Every context is closed when the test ends.
    """
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = chromium.new_context(**{"base_url": server_url, **options})
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def totp_clock(server_url: str, server_instance: Path) -> Iterator[TotpClock]:
    """Stops the live server's authenticator clock at a fixed moment (the start of a 30-second
    step), for codes computed with pyotp at known times; real time again afterwards."""
    clock = TotpClock(server_instance / TOTP_CLOCK, 1_900_000_020.0)
    try:
        yield clock
    finally:
        clock.path.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def harness(chromium_executable: Path) -> Iterator[Harness]:
    state = Harness(url="")
    server = make_server("127.0.0.1", 0, _harness_app(state), threaded=True)
    state.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def open_page(chromium: Browser, harness: Harness) -> Iterator[Callable[..., Watched]]:
    contexts: list[BrowserContext] = []

    def open_(path: str, viewport: dict[str, int] = DESKTOP, **options: Any) -> Watched:
        context = chromium.new_context(
            base_url=harness.url, viewport=viewport, accept_downloads=True, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        context.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', (event) =>"
            " window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));"
        )
        page = context.new_page()
        errors: list[str] = []

        def on_console(message: ConsoleMessage) -> None:
            if message.type in ("error", "warning"):
                errors.append(f"console.{message.type}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
        page.goto(path)
        return Watched(page, errors)

    yield open_
    for context in contexts:
        context.close()
