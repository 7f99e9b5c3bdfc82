"""Files written whole or not at all: a model, an analysis's output."""

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def written_whole(path: Path, mode: str = "w", **options: Any) -> Iterator[IO[Any]]:
    """A file to write `path` through (`mode` and `options` as for `open`): it is written
    beside `path` and moved over it when the block ends; an error (a full disk, bad input, an
    interruption) removes it instead, leaving whatever was at `path` as it was."""
    if path.is_dir():  # refused now, as writing to it directly would be, not at the end
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open(mode, **options) as stream:
            yield stream
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
