"""`emolytics search-index create|drop|status`: PostgreSQL's trigram index for text searches
(see `pipeline.search_index`)."""

from collections.abc import Callable
from typing import TypeVar

import click
from flask.cli import with_appcontext

from emolytics.pipeline import search_index
from emolytics.pipeline.search_index import Progress, SearchIndexError

Answer = TypeVar("Answer")


@click.group("search-index")
def search_index_group() -> None:
    """PostgreSQL's index for fast text searches (optional)."""


@search_index_group.command("create")
@with_appcontext
def create() -> None:
    """Make the index (a few seconds per 100,000 texts; the app keeps working meanwhile).
    Uploads then take longer: every new text is indexed too."""
    _answered(search_index.state)  # a database without the index refuses before "Building"
    click.echo("Building the search index over the texts ...", err=True)
    shown = [""]

    def progress(progress: Progress) -> None:  # a line when it says something new
        share = f": {progress.done / progress.total:.0%}" if progress.total else ""
        line = f"{progress.phase}{share}"
        if line != shown[-1]:
            shown.append(line)
            click.echo(f"  {line}", err=True)

    made = _answered(lambda: search_index.create(on_progress=progress))
    click.echo(f"The search index is there ({_megabytes(made.size)}): searches use it.")


@search_index_group.command("drop")
@with_appcontext
def drop() -> None:
    """Drop the index: uploads get quicker, searches read every text again."""
    _answered(search_index.drop)
    click.echo("No search index: searches read the texts.")


@search_index_group.command("status")
@with_appcontext
def status() -> None:
    """Say whether the index is there, and its size."""
    found = _answered(search_index.state)
    if found.present:
        click.echo(f"The search index is there ({_megabytes(found.size)}).")
    else:
        click.echo("No search index: `emolytics search-index create` makes it.")


def _answered(call: Callable[[], Answer]) -> Answer:
    """`call`'s answer; a refusal is the command's error (one line, exit 1)."""
    try:
        return call()
    except SearchIndexError as error:
        raise click.ClickException(str(error)) from error


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"
