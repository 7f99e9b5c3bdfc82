"""`emolytics teams ...` and the CLI's way of naming a user or a team (`tokens create --team`).

A team is named by its id or its name; names are not unique, so an ambiguous name asks for the
id. Every refusal is a message and a non-zero exit, never a traceback.
"""

import click
from sqlalchemy import select

from emolytics.accounts import registration, teams
from emolytics.accounts.teams import Seat
from emolytics.cli_audit import COMMAND_LINE
from emolytics.extensions import db
from emolytics.schemas.fields import MAX_ID
from emolytics.tables import Role, Team, User

ROLE_NAMES = [role.label for role in Role]


def user_named(name: str) -> User:
    user = registration.find_user(name)
    if user is None:
        raise click.ClickException(f"No user named {name!r}.")
    return user


def team_named(reference: str) -> Team:
    """The team whose id or name is `reference` (ClickException: none, or several)."""
    if reference.isdigit() and 0 < int(reference) <= MAX_ID:
        team = db.session.get(Team, int(reference))
        if team is not None:
            return team
    found = teams.find_teams(reference)
    if not found:
        raise click.ClickException(f"No team with the id or name {reference!r}.")
    if len(found) > 1:
        ids = ", ".join(str(team.id) for team in found)
        raise click.ClickException(
            f"More than one team is named {reference!r} (ids {ids}): give the team's id instead."
        )
    return found[0]


def seat_in(user: User, reference: str | None) -> Seat:
    """`user`'s seat in the team `reference` names (default: their personal team)."""
    if reference is None:
        return teams.personal_seat(user.id)
    team = team_named(reference)
    seat = teams.seat(user.id, team.id)
    if seat is None:
        raise click.ClickException(
            f"{user.username} is not a member of {team.name} (id {team.id})."
        )
    return seat


@click.command("create")
@click.argument("name")
@click.option("--owner", "owner_name", required=True, metavar="USER", help="The team's owner.")
def teams_create(name: str, owner_name: str) -> None:
    """Create a team owned by a user."""
    owner = user_named(owner_name)
    try:
        team = teams.create_team(owner, name, COMMAND_LINE)
    except teams.TeamNameError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created team {team.name} (id {team.id}), owned by {owner.username}.")


@click.command("list")
@click.option(
    "--user", "user_name", metavar="USER", help="Only this user's teams, with their role."
)
def teams_list(user_name: str | None) -> None:
    """List teams: id, name, members and (with --user) the user's role."""
    if user_name is None:
        found = [
            (team.id, team.name, "") for team in db.session.scalars(select(Team).order_by(Team.id))
        ]
    else:
        found = [
            (seat.team_id, seat.team_name, seat.role.label)
            for seat in teams.seats(user_named(user_name).id)
        ]
    counts = teams.member_counts([team_id for team_id, _, _ in found])
    click.echo(f"{'id':>5}  {'name':<40}  {'members':>7}  role")
    for team_id, name, role in found:
        click.echo(f"{team_id:>5}  {name:<40}  {counts.get(team_id, 0):>7}  {role}")


@click.command("add-member")
@click.argument("team_reference", metavar="TEAM")
@click.argument("user_name", metavar="USER")
@click.option("--role", type=click.Choice(ROLE_NAMES), default="viewer", show_default=True)
def teams_add_member(team_reference: str, user_name: str, role: str) -> None:
    """Add a user to a team (named by its id or its name) with a role."""
    team = team_named(team_reference)
    user = user_named(user_name)
    try:
        teams.add_member(team, user, Role.named(role), COMMAND_LINE)
    except teams.AlreadyMember as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Added {user.username} to {team.name} (id {team.id}) as {role}.")


COMMANDS = (teams_create, teams_list, teams_add_member)  # `emolytics teams` (cli.py holds it)
