"""The authenticator codes' clock set by a test: TotpClock, the `clock` and `totp_app` fixtures."""

from pathlib import Path

import pytest
from flask import Flask

from emolytics.accounts import registration
from tests.conftest import PASSWORD, _clean_tables


class TotpClock:
    """The time a server checks authenticator codes at (its TOTP_TEST_CLOCK_FILE), set by the
    test; `now` is what codes are computed for."""

    def __init__(self, path: Path, start: float) -> None:
        self.path = path
        self.set(start)

    def set(self, moment: float) -> None:
        self.now = moment
        self.path.write_text(repr(moment))

    def advance(self, seconds: float) -> None:
        self.set(self.now + seconds)


TOTP_T0 = 1_800_000_000.0  # a fixed moment, at the start of a 30-second step


@pytest.fixture
def clock(tmp_path: Path) -> TotpClock:
    """The authenticator codes' clock of `totp_app`, at TOTP_T0."""
    return TotpClock(tmp_path / "clock", TOTP_T0)


@pytest.fixture
def totp_app(app_factory, postgres_url, clock) -> Flask:
    """The app with `clock` as its authenticator codes' clock, and ada."""
    app = app_factory(TOTP_TEST_CLOCK_FILE=str(clock.path))
    with app.app_context():
        if postgres_url:
            _clean_tables()
        registration.register("ada", PASSWORD)
    return app
