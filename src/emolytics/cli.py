"""The `emolytics` command: a Flask CLI group over the app factory."""

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select

from emolytics import (
    cli_alerts,
    cli_audit,
    cli_engine,
    cli_search,
    cli_subscriptions,
    cli_teams,
    cli_training,
)
from emolytics.accounts import errors, lifecycle, password_changes, registration, second_factor
from emolytics.accounts import tokens as api_tokens
from emolytics.accounts.audit import named
from emolytics.app import create_app
from emolytics.extensions import db
from emolytics.tables import ApiToken, User, utcnow

cli = FlaskGroup(
    name="emolytics",
    create_app=create_app,
    add_default_commands=False,
    help="Emolytics: self-hosted emotion analytics.",
)
cli.add_command(shell_command)
cli.add_command(routes_command)
cli.add_command(cli_audit.audit_group, "audit")
cli.add_command(cli_alerts.alerts_group, "alerts")
cli.add_command(cli_search.search_index_group, "search-index")
cli.add_command(cli_subscriptions.subscriptions_group, "subscriptions")
# The engine's commands need no app, database or configuration.
for engine_command in (cli_engine.analyze, cli_training.train, cli_training.evaluate):
    cli.add_command(engine_command)


def ensure_database() -> None:
    """Create or migrate the database to the newest schema (idempotent)."""
    upgrade(directory=current_app.extensions["migrate"].directory)


@cli.command("run")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
def run_command(host: str, port: int, threads: int) -> None:
    """Migrate the database, then serve the app (one process, several threads)."""
    from emolytics.server import serve

    ensure_database()
    click.echo(f"Emolytics on http://{host}:{port}/  (database: {_safe_url()})")
    serve(current_app._get_current_object(), host=host, port=port, threads=threads)


@cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for scripts, tests).")
def worker_command(burst: bool) -> None:
    """Run background jobs from Redis (REDIS_URL); start as many as you like, anywhere."""
    from emolytics.worker import work

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("Set REDIS_URL: workers take their jobs from Redis.")
    ensure_database()
    work(current_app._get_current_object(), burst=burst)


def _safe_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)


# --- users -------------------------------------------------------------------------------


@cli.group()
def users() -> None:
    """Manage user accounts."""


_user_named = cli_teams.user_named


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException("No password on standard input.")
        return password
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("create")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
def users_create(name: str, password_stdin: bool, admin: bool) -> None:
    """Create a user; the password is prompted for (or read with --password-stdin)."""
    ensure_database()
    password = _read_password(password_stdin)
    try:
        user = registration.register(name, password)
    except errors.AccountError as error:
        raise click.ClickException(str(error)) from error
    if admin:
        user.admin = True
        db.session.commit()
    click.echo(f"Created user {user.username} (id {user.id}).")


@users.command("list")
def users_list() -> None:
    """List users."""
    ensure_database()
    rows = db.session.scalars(select(User).order_by(User.id))
    click.echo(f"{'id':>5}  {'username':<40}  {'status':<8}  {'created':<16}  last sign-in")
    for user in rows:
        status = ("admin" if user.admin else "active") if user.active else "disabled"
        created = user.created_at.strftime("%Y-%m-%d %H:%M")
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never"
        click.echo(f"{user.id:>5}  {user.username:<40}  {status:<8}  {created:<16}  {last}")


@users.command("disable")
@click.argument("name")
def users_disable(name: str) -> None:
    """Disable a user: they cannot sign in, and their sessions and tokens stop working."""
    ensure_database()
    user = _user_named(name)
    lifecycle.set_active(user, False)
    cli_audit.record_command("account.disabled", named("user", user.id, user.username))
    click.echo(f"Disabled {user.username}.")


@users.command("enable")
@click.argument("name")
def users_enable(name: str) -> None:
    """Enable a disabled user again."""
    ensure_database()
    user = _user_named(name)
    lifecycle.set_active(user, True)
    cli_audit.record_command("account.enabled", named("user", user.id, user.username))
    click.echo(f"Enabled {user.username}.")


@users.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_set_password(name: str, password_stdin: bool) -> None:
    """Set a user's password; every session of theirs ends."""
    ensure_database()
    user = _user_named(name)
    try:
        password_changes.set_password(user, _read_password(password_stdin))
    except errors.AccountError as error:
        raise click.ClickException(str(error)) from error
    cli_audit.record_command("account.password_set", named("user", user.id, user.username))
    click.echo(f"Password of {user.username} changed; their sessions are signed out.")


@users.command("remove-second-factor")
@click.argument("name")
def users_remove_second_factor(name: str) -> None:
    """Remove a user's authenticator app, passkeys and recovery codes (all of them lost):
    their password alone signs them in again."""
    ensure_database()
    user = _user_named(name)
    second_factor.remove_all(user)
    click.echo(f"{user.username} has no second factor now: their password alone signs in.")


# --- API tokens ----------------------------------------------------------------------------


@cli.group()
def tokens() -> None:
    """Manage API tokens."""


@tokens.command("create")
@click.argument("user_name", metavar="USER")
@click.argument("token_name")
@click.option("--expires-days", type=click.IntRange(1, 3650), help="Days until it expires.")
@click.option(
    "--team",
    "team_reference",
    metavar="TEAM_NAME_OR_ID",
    help="The team it works in (default: the user's personal team).",
)
@click.option(
    "--scope",
    type=click.Choice(api_tokens.SCOPES),
    default="write",
    show_default=True,
    help="read: GET only; write: any call the user's role allows.",
)
def tokens_create(
    user_name: str,
    token_name: str,
    expires_days: int | None,
    team_reference: str | None,
    scope: str,
) -> None:
    """Create a token of a user in a team and print its secret (only this once) on standard
    output."""
    ensure_database()
    if not token_name.strip() or len(token_name) > 80:
        raise click.ClickException("Token names are 1-80 characters.")
    user = _user_named(user_name)
    seat = cli_teams.seat_in(user, team_reference)
    try:
        created = api_tokens.create_token(
            user, token_name.strip(), expires_days, team_id=seat.team_id, scope=scope
        )
    except api_tokens.TokenRefused as error:
        raise click.ClickException(str(error)) from error
    token = created.token
    cli_audit.record_command(
        "token.created", f"{named('token', token.id, token.name)} of {user_name}"
    )
    click.echo(created.secret)


@tokens.command("list")
@click.argument("user_name", metavar="USER")
def tokens_list(user_name: str) -> None:
    """List a user's tokens in every team, with their scope (never their secrets)."""
    ensure_database()
    now = utcnow()
    for token in api_tokens.list_tokens(_user_named(user_name)):
        state = "revoked" if token.revoked_at else "active" if token.is_usable(now) else "expired"
        where = f"team {token.team_id}"
        click.echo(
            f"{token.id:>5}  {token.prefix}…  {state:<8}  {token.scope:<5}  {where}  {token.name}"
        )


@tokens.command("revoke")
@click.argument("user_name", metavar="USER")
@click.argument("token_ref", metavar="TOKEN")
def tokens_revoke(user_name: str, token_ref: str) -> None:
    """Revoke a user's token, named by its id, its prefix or its name."""
    ensure_database()
    user = _user_named(user_name)
    matches = [
        token
        for token in api_tokens.list_tokens(user)
        if token_ref in (str(token.id), token.prefix, token.name) and token.revoked_at is None
    ]
    if len(matches) != 1:
        found = "No active token" if not matches else "More than one active token"
        raise click.ClickException(f"{found} of {user.username} matches {token_ref!r}.")
    token: ApiToken = matches[0]
    api_tokens.revoke_token(user, token.id)
    cli_audit.record_command(
        "token.revoked", f"{named('token', token.id, token.name)} of {user_name}"
    )
    click.echo(f"Revoked token {token.id} ({token.name}).")


# --- teams ---------------------------------------------------------------------------------


@cli.group("teams")
@with_appcontext
def teams_group() -> None:
    """Manage teams and their members."""
    ensure_database()


for teams_command in cli_teams.COMMANDS:
    teams_group.add_command(teams_command)
