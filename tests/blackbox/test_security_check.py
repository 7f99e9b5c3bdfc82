"""The black-box security check (scripts/security_check.py) against a running server.

The server keeps the shipped per-account sign-in limit, which the throttling check needs;
only the per-address limits are raised, since every request of the check comes from one
address.
"""

import pytest

from scripts import security_check
from tests.live_server import serve

CONFIG = """\
LOGIN_RATE_LIMIT = "200 per minute"
REGISTER_RATE_LIMIT = "200 per minute"
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with serve(tmp_path_factory.mktemp("blackbox-instance"), CONFIG) as url:
        yield url


def test_every_check_passes(server):
    lines: list[str] = []
    failed = security_check.run(server, lines.append)
    assert failed == [], "\n".join(lines)
    assert len(lines) == len(security_check.CHECKS) >= 8


def test_the_check_notices_a_missing_protection(server, monkeypatch):
    """The check can fail: against a server that forgets the sign-in, sign-out 'still works'."""
    original = security_check.Browser.get

    def always_signed_in(self, path, **headers):
        answer = original(self, path, **headers)
        if path == security_check.PAGE and "Cookie" in headers:
            answer.status = 200  # as if the replayed cookie still opened the page
        return answer

    monkeypatch.setattr(security_check.Browser, "get", always_signed_in)
    lines: list[str] = []
    failed = security_check.run(server, lines.append)
    assert "signing out ends the session and its remember cookie for real" in failed
