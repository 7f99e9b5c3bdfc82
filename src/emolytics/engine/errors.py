"""Exceptions raised by the emotion engine; callers turn them into messages and exit codes."""


class EngineError(Exception):
    """Base class for every error the engine raises on purpose."""


class ModelFileError(EngineError):
    """A model file is missing, unreadable, corrupt or not an Emolytics model."""


class TrainingDataError(EngineError):
    """Labeled data cannot train or evaluate a model (columns, rows, labels)."""


class InputFormatError(EngineError):
    """An input file cannot be read at all (as opposed to one bad row in it)."""
