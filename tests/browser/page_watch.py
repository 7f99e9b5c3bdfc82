"""Watching a browser context: console and page errors, dialogs, CSP violations; tiles offline."""

from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import BrowserContext, ConsoleMessage, Page

TILE_HOST = "tile.openstreetmap.org"  # the default TILE_URL; never reached from the tests


CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCsp(`${event.violatedDirective} ${event.blockedURI} on ${location.pathname}`);
});
"""


def _is_tile_failure(message: ConsoleMessage) -> bool:
    """A failed map-tile load: the only console error an offline server may show."""
    location = message.location.get("url", "") if message.location else ""
    return message.text.startswith("Failed to load resource") and TILE_HOST in location


@dataclass
class Watch:
    """Console errors, page errors, dialogs and CSP violations of every page of a context."""

    errors: list[str] = field(default_factory=list)
    tile_failures: int = 0
    violations: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.expose_binding("__reportCsp", lambda source, text: self.violations.append(text))
        context.add_init_script(CSP_REPORTER)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.errors.append(f"pageerror: {error.error}"))
        context.on("page", self._page)

    def _page(self, page: Page) -> None:
        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if _is_tile_failure(message):
            self.tile_failures += 1
        else:
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def assert_clean(self, refused: str | None = None) -> None:
        """Nothing went wrong; with `refused`, a path, but for one 400 answer to it (a form
        the server refused: the browser logs it as an error)."""
        if refused is not None:
            answers = [error for error in self.errors if "status of 400" in error]
            assert len(answers) == 1 and refused in answers[0], self.errors
            self.errors = [error for error in self.errors if error not in answers]
        assert self.violations == [], f"CSP violations: {self.violations}"
        assert self.errors == [], f"console or page errors: {self.errors}"
        assert self.dialogs == [], f"unexpected dialogs (script injection?): {self.dialogs}"


def offline_tiles(context: BrowserContext) -> None:
    """The tile server answers nothing, as on a server without internet access."""
    context.route(f"https://{TILE_HOST}/**", lambda route: route.abort("namenotresolved"))
