"""`emolytics search-index create|drop|status`: PostgreSQL's trigram index for text searches
(see `pipeline.search_index`)."""

import click
from flask.cli import with_appcontext

from emolytics.pipeline import search_index
from emolytics.pipeline.search_index import Progress, SearchIndexError


@click.group("search-index")
def search_index_group() -> None:
    """PostgreSQL's index for fast text searches (optional)."""


@search_index_group.command("create")
@with_appcontext
def create() -> None:
    """Make the index (a few seconds per 100,000 texts; the app keeps working meanwhile).
    Uploads then take longer: every new text is indexed too."""
    click.echo("Building the search index over the texts ...", err=True)
    shown = [""]

    def progress(progress: Progress) -> None:  # a line when it says something new
        share = f": {progress.done / progress.total:.0%}" if progress.total else ""
        if f"{progress.phase}{share}" != shown[-1]:
            shown.append(f"{progress.phase}{share}")
            click.echo(f"  {shown[-1]}", err=True)

    try:
        made = search_index.create(on_progress=progress)
    except SearchIndexError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"The search index is there ({_megabytes(made.size)}): searches use it.")


@search_index_group.command("drop")
@with_appcontext
def drop() -> None:
    """Drop the index: uploads get quicker, searches read every text again."""
    try:
        search_index.drop()
    except SearchIndexError as error:
        raise click.ClickException(str(error)) from error
    click.echo("No search index: searches read the texts.")


@search_index_group.command("status")
@with_appcontext
def status() -> None:
    """Say whether the index is there, and its size."""
    try:
        found = search_index.state()
    except SearchIndexError as error:
        raise click.ClickException(str(error)) from error
    if found.present:
        click.echo(f"The search index is there ({_megabytes(found.size)}).")
    else:
        click.echo("No search index: `emolytics search-index create` makes it.")


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"
