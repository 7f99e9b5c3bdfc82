"""`python -m emolytics` is the `emolytics` command."""

from emolytics.cli import cli

cli()
