"""Excel workbooks made for the tests: rows in, the file's bytes out."""

import io

from openpyxl import Workbook


def workbook_bytes(*rows: list) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
