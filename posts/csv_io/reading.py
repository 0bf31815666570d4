"""A posts file (CSV or XLSX) as rows of text cells by column name, with its size and shape bounded.

CSV: UTF-8 with or without a byte-order mark, `,` or `;` between cells (whichever the header line
uses more). XLSX: the first sheet, read streaming (`openpyxl` read-only, cached values, never
formulas); a macro-enabled workbook is refused, and so is one whose parts would unpack to more than
`POSTS_IMPORT_MAX_UNPACKED_BYTES` (a zip bomb) before openpyxl opens it. Either way at most
`POSTS_IMPORT_MAX_ROWS` rows. Problems with the file as a whole are an `InvalidInput` on `file`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from kernel.errors import InvalidInput
from posts.csv_io.columns import COLUMNS, CONTENT, REQUIRED, unescape_cell

XLSX_MAGIC = b"PK\x03\x04"
MAX_ZIP_ENTRIES = 2000
# Far more columns than a posts file has: a sheet claiming thousands is never walked cell by cell.
MAX_SHEET_COLUMNS = 64


@dataclass(frozen=True)
class SourceRow:
    number: int  # as the spreadsheet numbers it: the header is row 1
    cells: dict[str, str]
    problems: list[str] = field(default_factory=list)  # the row's shape (cells beyond the header)


def file_error(message: str) -> InvalidInput:
    return InvalidInput.from_errors({"file": [message]})


def read_posts_file(*, data: bytes, filename: str) -> list[SourceRow]:
    """The file's rows (blank ones left out), or InvalidInput naming what is wrong with the file."""
    if len(data) > settings.POSTS_IMPORT_MAX_BYTES:
        raise file_error(f"The file is larger than {settings.POSTS_IMPORT_MAX_BYTES} bytes.")
    name = filename.lower()
    if name.endswith((".xlsm", ".xltm", ".xlsb", ".xls")):
        raise file_error("Only .csv and .xlsx files are read (macro-enabled and old Excel formats are not).")
    records = _xlsx_records(data) if data.startswith(XLSX_MAGIC) or name.endswith(".xlsx") else _csv_records(data)
    return _rows(records)


def _rows(records: Iterator[list[Any]]) -> list[SourceRow]:
    header_cells = next(records, None)
    if header_cells is None:
        raise file_error("The file is empty: the first row names the columns (account, content, ...).")
    header = _header(header_cells)
    limit = settings.POSTS_IMPORT_MAX_ROWS
    rows: list[SourceRow] = []
    for number, record in enumerate(records, start=2):
        values = [_text(value) for value in record]
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= limit:
            raise file_error(f"More than {limit} rows: split the file.")
        extra = [value for value in values[len(header) :] if value.strip()]
        problems = [f"{len(extra)} cell(s) right of the last named column."] if extra else []
        cells = {column: _cell(column, value) for column, value in zip(header, values, strict=False) if column}
        rows.append(SourceRow(number=number, cells=cells, problems=problems))
    return rows


def _cell(column: str, value: str) -> str:
    """Content as written (spaces and tabs are the post's); other cells without surrounding spaces."""
    text = unescape_cell(value)
    return text if column == CONTENT else text.strip()


def _header(cells: Iterable[Any]) -> list[str]:
    header = [_text(cell).strip().lower() for cell in cells]
    while header and not header[-1]:
        header.pop()
    named = [column for column in header if column]
    unknown = [column for column in named if column not in COLUMNS]
    if unknown:
        raise file_error(f"Unknown column(s): {', '.join(unknown)}. The columns are: {', '.join(COLUMNS)}.")
    repeated = sorted({column for column in named if named.count(column) > 1})
    if repeated:
        raise file_error(f"Column(s) named twice: {', '.join(repeated)}.")
    missing = [column for column in REQUIRED if column not in named]
    if missing:
        raise file_error(f"Missing column(s): {', '.join(missing)}.")
    return header


def _text(value: Any) -> str:
    """A cell as the text it shows: XLSX numbers, booleans and dates as an API body would spell them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _csv_records(data: bytes) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise file_error("The file is not UTF-8 text: save it as CSV UTF-8, or as .xlsx.") from None
    if "\x00" in text:
        raise file_error("The file contains NUL characters: it is not a CSV file.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise file_error(f"The CSV is malformed: {exc}.") from None


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise file_error("The file is not a readable .xlsx workbook.") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise file_error("The workbook has too many parts to be a posts sheet.")
        names = {entry.filename.lower() for entry in entries}
        if any(name.endswith("vbaproject.bin") for name in names):
            raise file_error("The workbook contains macros: save it as a plain .xlsx workbook.")
        if sum(entry.file_size for entry in entries) > settings.POSTS_IMPORT_MAX_UNPACKED_BYTES:
            raise file_error(f"The workbook unpacks to more than {settings.POSTS_IMPORT_MAX_UNPACKED_BYTES} bytes.")


def _xlsx_records(data: bytes) -> Iterator[list[Any]]:
    import openpyxl  # only for workbooks: CSV imports never load it

    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError, its own) for a broken file
        raise file_error(f"The file is not a readable .xlsx workbook ({type(exc).__name__}).") from None
    try:
        sheet = workbook.worksheets[0]
        for record in sheet.iter_rows(max_col=MAX_SHEET_COLUMNS, values_only=True):
            yield list(record)
    finally:
        workbook.close()
