"""The files a dataset's texts came from: the upload that made it and each file added since
(`added_files`), each text knowing its file (`TextRow.file_id`).

A file is known by the SHA-256 of its bytes and the sheet read from it: the same export added
again by mistake is refused (`DuplicateFile`) unless the caller says to add it again, and a
file added by mistake can be taken out again (`added_files.remove`). Texts of the live
feed, and those stored before files were recorded, have no file.
"""

import hashlib
import os
from dataclasses import dataclass
from typing import IO

from sqlalchemy import func, select

from emolytics.engine import workbooks
from emolytics.engine.errors import InputFormatError
from emolytics.engine.json_records import LINE
from emolytics.extensions import db
from emolytics.pipeline import formats
from emolytics.pipeline.ingest import IngestError
from emolytics.tables import Correction, DatasetFile, TextRow, User
from emolytics.wording import plural

MAX_NAME = 255


@dataclass(frozen=True)
class Fingerprint:
    """What tells a file from another: its name (shown only), the sheet read, its bytes; and
    what its rows' numbers count (`formats.numbered_by`)."""

    name: str
    sheet: str | None
    sha256: str
    size: int
    numbered: str = LINE


class DuplicateFile(IngestError):
    """The file (and sheet) was stored in the dataset before: its texts are there already."""

    def __init__(self, earlier: DatasetFile) -> None:
        super().__init__(
            f"This file is in the dataset already: {described(earlier)}. Adding it again "
            "would count its texts twice; add it again only if that is what you mean."
        )
        self.earlier = earlier


class FileNotFound(LookupError):
    """No such file in the dataset."""


@dataclass(frozen=True)
class Listed:
    file: DatasetFile
    added_by: str | None  # the username, while the account exists


def fingerprint(binary: IO[bytes], filename: str | None, sheet: str | None) -> Fingerprint:
    """The file's fingerprint, read from its start; the stream is left at its start."""
    binary.seek(0)
    digest = hashlib.file_digest(binary, "sha256")  # type: ignore[arg-type]
    size = binary.tell()
    binary.seek(0)
    name = os.path.basename((filename or "").replace("\\", "/"))[:MAX_NAME]
    numbered = formats.file_numbered_by(binary, filename)
    return Fingerprint(name, sheet, digest.hexdigest(), size, numbered)


def refuse_again(dataset_id: int, seen: Fingerprint, binary: IO[bytes]) -> None:
    """DuplicateFile if the dataset has the file (and sheet) already: the same bytes, and the
    sheet named the same or, for a workbook, read the same (none named is its first filled
    sheet, a name may differ in case)."""
    earlier = db.session.scalars(
        select(DatasetFile)
        .where(DatasetFile.dataset_id == dataset_id, DatasetFile.sha256 == seen.sha256)
        .order_by(DatasetFile.id)
    ).all()
    same = [found for found in earlier if found.sheet == seen.sheet]
    if earlier and not same:  # the same bytes: a workbook read through another sheet's name?
        read = _sheets_read(binary, [seen.sheet, *(found.sheet for found in earlier)])
        wanted = read[seen.sheet]
        same = [found for found in earlier if wanted is not None and read[found.sheet] == wanted]
    if same:
        raise DuplicateFile(same[0])


def _sheets_read(binary: IO[bytes], sheets: list[str | None]) -> dict[str | None, str | None]:
    """The sheet of the workbook `binary` each of `sheets` names (None throughout: the file is
    no workbook, and reading it says so)."""
    try:
        return workbooks.sheets_read(binary, sheets)
    except InputFormatError:
        binary.seek(0)
        return dict.fromkeys(sheets)


def record(dataset_id: int, seen: Fingerprint, user_id: int | None) -> DatasetFile:
    """The file's row, in the caller's transaction (its texts are counted in by the caller)."""
    found = DatasetFile(
        dataset_id=dataset_id,
        name=seen.name,
        sheet=seen.sheet,
        sha256=seen.sha256,
        size=seen.size,
        numbered=seen.numbered,
        added_by_id=user_id,
    )
    db.session.add(found)
    db.session.flush()
    return found


def listed(dataset_id: int, file_id: int | None = None) -> list[Listed]:
    """The dataset's files (or the one `file_id`), the first stored first."""
    statement = (
        select(DatasetFile, User.username)
        .outerjoin(User, User.id == DatasetFile.added_by_id)
        .where(DatasetFile.dataset_id == dataset_id)
        .order_by(DatasetFile.id)
    )
    if file_id is not None:
        statement = statement.where(DatasetFile.id == file_id)
    return [Listed(found, username) for found, username in db.session.execute(statement)]


def owned(dataset_id: int, file_id: int) -> DatasetFile:
    found = db.session.scalar(
        select(DatasetFile).where(DatasetFile.id == file_id, DatasetFile.dataset_id == dataset_id)
    )
    if found is None:
        raise FileNotFound(file_id)
    return found


def of_text(dataset_id: int, text_id: int) -> DatasetFile | None:
    """The file the text came from (None: the live feed's, or stored before files were)."""
    return db.session.scalar(
        select(DatasetFile)
        .join(TextRow, TextRow.file_id == DatasetFile.id)
        .where(TextRow.id == text_id, TextRow.dataset_id == dataset_id)
    )


def corrections_of(found: DatasetFile) -> int:
    """How many of the file's texts the team corrected."""
    return db.session.scalar(
        select(func.count())
        .select_from(Correction)
        .join(TextRow, TextRow.id == Correction.text_id)
        .where(Correction.dataset_id == found.dataset_id, TextRow.file_id == found.id)
    )


def described(found: DatasetFile) -> str:
    """ "survey-nov.csv (1,204 texts, added 2026-12-07 03:12 UTC)", for messages and the log."""
    sheet = f", sheet {found.sheet}" if found.sheet else ""
    return (
        f"“{found.name or 'a file without a name'}” ({plural(found.texts, 'text')}{sheet}, "
        f"added {found.added_at:%Y-%m-%d %H:%M} UTC)"
    )
