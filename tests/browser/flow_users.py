"""The product flow tests' browser: contexts made by `new_context`, a desktop view (their users
register through `account_steps`)."""

from collections.abc import Callable

from playwright.sync_api import BrowserContext

NewContext = Callable[..., BrowserContext]  # the `new_context` fixture

DESKTOP = {"width": 1280, "height": 900}
