"""Opening spreadsheets that users upload: .xlsx (every sheet, merged cells carried down) or
.csv, refusing what is too big, a zip or XML bomb, not a spreadsheet, or unreadable, and naming
every problem by file, sheet, row and column.

Nothing here touches the database or knows what the rows mean: each app's importer reads the
`Sheet`s and collects its own problems in the same `Problems`.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

MAX_ROWS = 5000  # a register is tens to hundreds of rows; thousands means the wrong file
MAX_COMPRESSION_RATIO = 100  # xlsx parts compress ~5-20x; far more is a zip bomb


@dataclass(frozen=True)
class Problem:
    level: str  # "error" stops the import; "warning" is reported and imported
    message: str
    file: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # a letter, "B"
    header: str = ""

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}" + (f" ({self.header})" if self.header else ""))
        return ", ".join(parts)

    def __str__(self):
        return f"{self.level.upper()}: {self.where()}: {self.message}"

    def as_json(self) -> dict:
        return {"level": self.level, "message": self.message, "file": self.file,
                "sheet": self.sheet, "row": self.row, "column": self.column,
                "header": self.header}


@dataclass
class Problems:
    """The problems found reading one file; "error" ones stop an import."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def problem(self, level, message, **where) -> None:
        self.problems.append(Problem(level, message, self.file, **where))


@dataclass
class Sheet:
    title: str
    rows: list[list]  # values, merged cells carried down
    formats: list[list]  # number formats, same shape (csv: "General")


# A DTD marker in the encodings an XML part may use (a BOM picks UTF-16; Excel writes UTF-8).
_DTD_MARKERS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                     for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_OVERLAP = max(len(m) for m in _DTD_MARKERS) - 1
CHUNK = 1 << 16
MAX_SCANNED = 1 << 30  # parts are refused over max_bytes * 5 first; this is a last bound


def declares_entities(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *,
                      limit: int = MAX_SCANNED) -> bool:
    """Does this part of a workbook carry a DTD? Excel never writes one. Every importer refuses
    it before openpyxl parses, whichever XML parser openpyxl picks (lxml, when installed, is
    chosen over defusedxml). The whole part is scanned, streaming in chunks (a DTD may follow
    any amount of padding), reading at most `limit` bytes: a part longer than that counts as
    declaring entities, since nothing is let through unscanned. Check a part's declared size
    (the zip bomb check) before calling this."""
    if not info.filename.endswith((".xml", ".rels")):
        return False
    read = 0
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            read += len(chunk)
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                return True
            if read > limit:
                return True
            tail = window[-_OVERLAP:]
    return False


def refuse_workbook(path: Path, max_bytes: int, *, part_factor: int = 5,
                    otherwise: str = "export .csv") -> str | None:
    """Why an .xlsx must not be handed to openpyxl (not a zip, a zip bomb, a DTD), or None.
    The reason names parts, never the server's path. Every importer of workbooks asks here."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > max_bytes * part_factor or ratio > MAX_COMPRESSION_RATIO:
                    return (f"part {info.filename!r} expands to {info.file_size:,} bytes; "
                            "refusing a possible zip bomb")
                if declares_entities(archive, info, limit=max(max_bytes * part_factor, CHUNK)):
                    return (f"the workbook could not be read: part {info.filename!r} "
                            "declares XML entities; refusing a possible XML bomb")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        return ("this is not an .xlsx workbook (it is not a zip archive); save it from Excel "
                f"as .xlsx, or {otherwise}")
    except (zlib.error, RuntimeError, ValueError, OSError) as error:
        return f"the workbook could not be read: {type(error).__name__}"
    return None


def unreadable(error: BaseException, path: Path, name: str) -> str:
    """What to tell the user about a workbook openpyxl could not read: invalid XML named as
    such; any other reason with the server's (temporary) path replaced by the file's name."""
    if _is_xml_error(error):
        where = getattr(error, "position", None)
        line = f" (line {where[0]}, column {where[1]})" if isinstance(where, tuple) else ""
        return ("the workbook could not be read: part of it is not valid XML" + line
                + "; open it in Excel and save it again as .xlsx")
    return "the workbook could not be read: " + scrub(str(error) or type(error).__name__,
                                                      path, name)


def scrub(message: str, path: Path, name: str) -> str:
    """`message` with the server's path of the file (and its folder) replaced by `name`."""
    for text in (str(path.resolve()), str(path)):
        message = message.replace(text, name)
    for text in (str(path.resolve().parent), str(path.parent), tempfile.gettempdir()):
        if len(text) > 1:
            message = message.replace(text + os.sep, "").replace(text, "")
    return message.replace(path.name, name)


def _is_xml_error(error: BaseException) -> bool:
    from xml.etree.ElementTree import ParseError
    from xml.parsers.expat import ExpatError
    from xml.sax import SAXParseException

    kinds: tuple[type, ...] = (ParseError, ExpatError, SAXParseException)
    try:
        from lxml.etree import XMLSyntaxError
        kinds += (XMLSyntaxError,)
    except ImportError:  # pragma: no cover - lxml is optional
        pass
    seen = error
    while seen is not None:
        if isinstance(seen, kinds):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def open_sheets(path: Path, register: Problems, max_bytes: int,
                max_rows: int = MAX_ROWS) -> list[Sheet] | None:
    """Every sheet of an .xlsx (merged cells carried) or the one of a .csv, as rows of values;
    None, with the reason in `register`, when the file is missing, too big, a zip bomb, not a
    spreadsheet or unreadable. Every importer opens its files here."""
    if not path.is_file():
        register.problem("error", "no such file")
        return None
    size = path.stat().st_size
    if size > max_bytes:
        register.problem("error", f"the file is {size:,} bytes, over the limit of "
                         f"{max_bytes:,} (LAPIS_MAX_IMPORT_BYTES)")
        return None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, register, max_bytes, max_rows)
    if suffix == ".csv":
        return _open_csv(path, register, max_rows)
    register.problem("error", f"'{path.suffix or path.name}' is not a spreadsheet LAPIS reads: "
                     "give an .xlsx workbook or a .csv file")
    return None


def _open_xlsx(path: Path, register: Problems, max_bytes: int,
               max_rows: int) -> list[Sheet] | None:
    refused = refuse_workbook(path, max_bytes)
    if refused:
        register.problem("error", refused)
        return None
    try:
        # defusedxml is installed too: a second line of defence against entity expansion.
        # Our own handle: openpyxl leaves its zip open when the XML is broken.
        with path.open("rb") as handle:
            workbook = openpyxl.load_workbook(handle, data_only=True)
    except Exception as error:  # openpyxl raises many types for malformed files
        register.problem("error", unreadable(error, path, register.file))
        return None
    sheets = []
    for ws in workbook.worksheets:
        if ws.max_row > max_rows:
            register.problem("error", f"{ws.max_row:,} rows is over the limit of {max_rows:,}",
                             sheet=ws.title)
            return None
        rows = [[cell.value for cell in row] for row in ws.iter_rows()]
        formats = [[cell.number_format for cell in row] for row in ws.iter_rows()]
        for merged in ws.merged_cells.ranges:
            # Excel keeps a merged value in the top-left cell only; every row it spans owns it.
            top = rows[merged.min_row - 1][merged.min_col - 1]
            fmt = formats[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    rows[r][c], formats[r][c] = top, fmt
        sheets.append(Sheet(ws.title, rows, formats))
    return sheets


def _open_csv(path: Path, register: Problems, max_rows: int) -> list[Sheet] | None:
    raw = path.read_bytes()
    if b"\x00" in raw:
        register.problem("error", "this is not a text .csv file (it contains binary data)")
        return None
    for encoding in ("utf-8-sig", "cp1252"):  # Excel writes one or the other
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        register.problem("error", "the file's text encoding could not be read")
        return None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        register.problem("error", f"the CSV could not be read: {error}")
        return None
    if len(rows) > max_rows:
        register.problem("error", f"{len(rows):,} rows is over the limit of {max_rows:,}")
        return None
    width = max((len(r) for r in rows), default=0)
    rows = [[(v if v != "" else None) for v in r] + [None] * (width - len(r)) for r in rows]
    return [Sheet(path.stem, rows, [["General"] * width for _ in rows])]
