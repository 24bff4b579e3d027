"""One writer for tables: a `Table` (a sheet title, a header row, rows of cells) out as CSV or
as an .xlsx workbook of one or more sheets, and as a download.

Every export goes through here, so every export gets the same safety:
- every text cell, the header included, is neutralised (`core.cells.neutralise`) so that a
  spreadsheet never runs it as a formula, in both formats;
- characters an .xlsx file cannot hold (control characters other than tab, line feed and
  carriage return) are removed from the workbook, so an export never fails on a pasted "\\x01";
  a CSV keeps them, since it can;
- numbers stay numbers, dates are written as dates (ISO text in a CSV), `PartialDate`s as
  months or days, booleans as "Yes"/"No", None as an empty cell.

In a workbook the header row is bold and frozen, and columns get widths from their content
unless the table gives its own. A CSV is UTF-8 without a byte-order mark, as LAPIS's CSVs have
always been.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from lapis.core.cells import neutralise
from lapis.core.dates import PartialDate

__all__ = ["CONTENT_TYPES", "Table", "attachment", "csv_text", "download", "write_csv",
           "write_xlsx", "xlsx_bytes", "xlsx_text"]

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name
_MIN_WIDTH, _MAX_WIDTH = 8, 60
# What openpyxl refuses (it raises IllegalCharacterError): C0 controls but tab, LF and CR.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Table:
    """A sheet of an export.

    `above` holds rows written before the header (a note saying what the figures are);
    `widths` are column widths in characters (a list, or a mapping from column index);
    `freeze` is the cell at which the panes freeze (default: the first cell under the header);
    `wrap` wraps text and aligns cells to the top; `merge_runs` lists the columns in which a
    run of equal values is merged into one cell; `number_formats` maps a column index to the
    number format of its numbers; `date_format` is the format of a day's date (a month, a
    `PartialDate` of month precision, is always "mmm-yy").
    """

    title: str
    header: Sequence
    rows: Iterable[Sequence] = ()
    above: Sequence[Sequence] = ()
    widths: Sequence[int] | Mapping[int, int] | None = None
    freeze: str | None = None
    wrap: bool = False
    merge_runs: Sequence[int] = ()
    number_formats: Mapping[int, str] = field(default_factory=dict)
    date_format: str = "yyyy-mm-dd"


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------

def xlsx_text(value: str) -> str:
    """Text as a workbook may hold it: characters it cannot store removed, then neutralised
    (in that order, so that "\\x01=1" cannot come out as a formula)."""
    return neutralise(_ILLEGAL.sub("", value))


def _xlsx_value(value):
    if isinstance(value, str):
        return xlsx_text(value) or None
    if isinstance(value, PartialDate):
        return value.value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return float(value)
    return value


def _csv_value(value):
    if isinstance(value, str):
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    return value


def _date_format(value, table: Table) -> str | None:
    if isinstance(value, PartialDate):
        return "mmm-yy" if value.precision == "month" else table.date_format
    if isinstance(value, dt.date):
        return table.date_format
    return None


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------

def write_csv(table: Table, out: IO[str], *, lineterminator: str = "\r\n") -> None:
    """The table as CSV text onto `out` (a file opened with newline="", or stdout)."""
    writer = csv.writer(out, lineterminator=lineterminator)
    for row in (*table.above, table.header):
        writer.writerow([_csv_value(v) for v in row])
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])


def csv_text(table: Table, *, lineterminator: str = "\r\n") -> str:
    out = io.StringIO()
    write_csv(table, out, lineterminator=lineterminator)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------------

def write_xlsx(tables: Table | Iterable[Table], stream) -> None:
    """The tables as the sheets of one workbook, saved to `stream` (a path or a binary file)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for table in [tables] if isinstance(tables, Table) else tables:
        _write_sheet(workbook.create_sheet(xlsx_text(table.title)[:SHEET_TITLE_MAX]), table)
    workbook.save(stream)


def xlsx_bytes(tables: Table | Iterable[Table]) -> bytes:
    stream = io.BytesIO()
    write_xlsx(tables, stream)
    return stream.getvalue()


def _write_sheet(ws, table: Table) -> None:
    from openpyxl.styles import Alignment, Font

    wrap = Alignment(wrap_text=True, vertical="top") if table.wrap else None
    for row in table.above:
        ws.append([_xlsx_value(v) for v in row])
    ws.append([_xlsx_value(v) for v in table.header])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        if wrap:
            cell.alignment = wrap
    lengths = [_length(v) for v in table.header]
    for values in table.rows:
        ws.append([_xlsx_value(v) for v in values])
        for cell, value in zip(ws[ws.max_row], values, strict=False):
            column = cell.column - 1
            if (number_format := _date_format(value, table)) is not None:
                cell.number_format = number_format
            elif (column in table.number_formats and isinstance(cell.value, int | float)
                  and not isinstance(cell.value, bool)):
                cell.number_format = table.number_formats[column]
            if wrap:
                cell.alignment = wrap
            if column < len(lengths):
                lengths[column] = max(lengths[column], _length(value))
            else:
                lengths.append(_length(value))
    for column in table.merge_runs:
        _merge_runs(ws, column + 1, header_row + 1, ws.max_row)
    _set_widths(ws, table, lengths)
    ws.freeze_panes = table.freeze or f"A{header_row + 1}"


def _length(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date | PartialDate):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _set_widths(ws, table: Table, lengths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    if table.widths is None:
        widths = {i: min(max(n + 2, _MIN_WIDTH), _MAX_WIDTH) for i, n in enumerate(lengths)}
    elif isinstance(table.widths, Mapping):
        widths = dict(table.widths)
    else:
        widths = dict(enumerate(table.widths))
    for index, width in widths.items():
        ws.column_dimensions[get_column_letter(index + 1)].width = width


def _merge_runs(ws, col: int, first: int, last: int) -> None:
    """Merge each run of two or more equal, non-empty cells of a column into one cell."""
    values = [ws.cell(row, col).value for row in range(first, last + 1)]
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            if i - start > 1 and values[start]:
                ws.merge_cells(start_row=first + start, start_column=col,
                               end_row=first + i - 1, end_column=col)
            start = i


# ---------------------------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------------------------

def attachment(body: str | bytes, fmt: str, filename: str):
    """A download: `body` with the content type of `fmt` ("csv", "xlsx", "pdf") and a
    Content-Disposition naming the file."""
    from django.http import HttpResponse

    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download(tables: Table | Sequence[Table], fmt: str, stem: str):
    """The tables as `stem.csv` (one table) or `stem.xlsx`."""
    if fmt == "csv":
        table = tables if isinstance(tables, Table) else _only(tables)
        return attachment(csv_text(table), "csv", f"{stem}.csv")
    if fmt == "xlsx":
        return attachment(xlsx_bytes(tables), "xlsx", f"{stem}.xlsx")
    raise ValueError(f"a table downloads as csv or xlsx, not {fmt!r}")


def _only(tables: Sequence[Table]) -> Table:
    if len(tables) != 1:
        raise ValueError("a CSV holds one table")
    return tables[0]
