"""Exceptions raised by the emotion engine; callers turn them into messages and exit codes."""


class EngineError(Exception):
    """Base class for every error the engine raises on purpose."""


class ModelFileError(EngineError):
    """A model file is missing, unreadable, corrupt or not an Emolytics model."""


class TrainingDataError(EngineError):
    """Labeled data cannot train or evaluate a model (columns, rows, labels)."""


class MissingColumn(TrainingDataError):
    """A CSV file's header row has no `column`; `header` holds the columns it has (`sheet`: a
    workbook's sheet, named when the workbook has several)."""

    def __init__(self, column: str, header: list[str], sheet: str | None = None) -> None:
        where = f" on sheet {sheet!r}" if sheet else ""
        super().__init__(f"no column {column!r}{where} (columns: {', '.join(header)})")
        self.column = column
        self.header = header
        self.sheet = sheet


class InputFormatError(EngineError):
    """An input file cannot be read at all (as opposed to one bad row in it)."""
