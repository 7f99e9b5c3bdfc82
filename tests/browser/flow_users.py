"""The product flow tests' browser: contexts made by `new_context`, a desktop view (their users
register through `account_steps`)."""

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page

from tests.browser.account_steps import register, unique_username
from tests.browser.page_watch import Watch

NewContext = Callable[..., BrowserContext]  # the `new_context` fixture

DESKTOP = {"width": 1280, "height": 900}


def new_user(new_context: NewContext, server_url: str, prefix: str) -> tuple[Page, Watch]:
    """A desktop page of a user just registered (named from `prefix`), watched."""
    context = new_context(viewport=DESKTOP)
    watch = Watch()
    watch.attach(context)
    page = context.new_page()
    register(page, server_url, unique_username(prefix))
    return page, watch
