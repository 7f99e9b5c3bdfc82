"""The `emolytics` command: users and tokens, and `run` on a fresh instance folder."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import select

from emolytics.accounts import registration
from emolytics.extensions import db
from emolytics.tables import ApiToken, User
from tests.conftest import ApiClient

GOOD = "violet harbour 1987"


def test_users_create_from_stdin(app, runner):
    result = runner.invoke(["users", "create", "grace", "--password-stdin"], input=f"{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert "Created user grace" in result.output
    with app.app_context():
        assert registration.find_user("grace").check_password(GOOD)


def test_users_create_prompts_twice(app, runner):
    result = runner.invoke(["users", "create", "grace"], input=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert GOOD not in result.output  # hidden input


def test_users_create_refusals(app, runner):
    cases = [
        (["users", "create", "grace", "--password-stdin"], "password\n", "commonly used"),
        (["users", "create", "ADA", "--password-stdin"], f"{GOOD}\n", "taken"),
        (["users", "create", "no spaces", "--password-stdin"], f"{GOOD}\n", "Usernames are"),
        (["users", "create", "grace", "--password-stdin"], "", "No password"),
    ]
    for args, stdin, message in cases:
        result = runner.invoke(args, input=stdin)
        assert result.exit_code == 1, result.output
        assert message in result.output
        assert "Traceback" not in result.output
    with app.app_context():
        assert [user.username for user in db.session.scalars(select(User))] == ["ada"]


def test_password_is_never_a_plain_argument(runner):
    result = runner.invoke(["users", "create", "grace", "--password", GOOD])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_users_list_and_disable(app, runner):
    runner.invoke(["users", "create", "grace", "--password-stdin"], input=f"{GOOD}\n")
    assert runner.invoke(["users", "disable", "grace"]).exit_code == 0
    listing = runner.invoke(["users", "list"]).output
    assert "ada" in listing and "active" in listing
    assert "grace" in listing and "disabled" in listing
    result = runner.invoke(["users", "disable", "nobody"])
    assert result.exit_code == 1
    assert "No user named 'nobody'" in result.output
    assert runner.invoke(["users", "enable", "grace"]).exit_code == 0
    assert "disabled" not in runner.invoke(["users", "list"]).output


def test_tokens_create_list_and_revoke(app, runner):
    result = runner.invoke(["tokens", "create", "ada", "nightly import"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    api = ApiClient(app.test_client(), secret)
    assert api.get("/api/v1/me").json["username"] == "ada"
    listing = runner.invoke(["tokens", "list", "ada"]).output
    assert secret[:12] in listing and secret not in listing
    result = runner.invoke(["tokens", "revoke", "ada", secret[:12]])
    assert result.exit_code == 0, result.output
    assert api.get("/api/v1/me").status_code == 401
    again = runner.invoke(["tokens", "revoke", "ada", secret[:12]])
    assert again.exit_code == 1
    assert "No active token" in again.output


def test_tokens_create_refusals(app, runner):
    assert runner.invoke(["tokens", "create", "nobody", "x"]).exit_code == 1
    assert runner.invoke(["tokens", "create", "ada", "   "]).exit_code == 1
    assert runner.invoke(["tokens", "create", "ada", "x", "--expires-days", "0"]).exit_code == 2
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_run_creates_the_instance_and_serves(tmp_path: Path):
    """`emolytics run` on a fresh machine: secret key, migrated SQLite database, a live site."""
    instance = tmp_path / "instance"
    port = _free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "REDIS_URL"}
    }
    environment["EMOLYTICS_INSTANCE_PATH"] = str(instance)
    command = [sys.executable, "-m", "emolytics", "run", "--port", str(port)]
    with subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as server:
        try:
            page = _wait_for(f"http://127.0.0.1:{port}/login", server)
        finally:
            server.terminate()
            output = server.communicate(timeout=30)[0].decode()
    assert "Sign in" in page, output
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (instance / "emolytics.db").exists()


def _wait_for(url: str, server: subprocess.Popen) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within 30 s")
