"""How the engine's commands fail: exit 1 with one printable line on stderr."""

from pathlib import Path

import click

from emolytics.engine.errors import EngineError


def fail(error: EngineError, source: Path | str | None = None) -> click.ClickException:
    """Exit 1 with the error on one printable line, prefixed by the file it is about: engine
    messages name no paths (on the server those are temporary files)."""
    message = f"{source}: {error}" if source is not None else str(error)
    exception = click.ClickException(printable(message))
    exception.exit_code = 1
    return exception


def printable(message: str) -> str:
    """Control characters and other unprintable ones escaped (`\\x00`), so a message quoting
    a file's bytes cannot garble the terminal or span lines."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in message)
