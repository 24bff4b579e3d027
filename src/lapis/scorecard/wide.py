"""The wide layout: figures typed as a SEF prints them, years across, a row per area and cohort.

Plain Python (the standard library's csv, and openpyxl for .xlsx); no Django.
`read_wide(path, *, areas)` reads a file in this layout and returns a `WideResult`: the
figures (`WideFigure`) and, separately, the printed gap rows (`PrintedGap`). If anything in
the file breaks the layout it raises `WideLayoutError`, whose `problems` list every problem
found, each with its file, sheet, row and column; nothing is returned.

The layout
----------
1. File. A `.csv` file (UTF-8, with or without a byte-order mark; Excel's "CSV UTF-8") or an
   `.xlsx` workbook, every worksheet read in order. Rows and columns are numbered as a
   spreadsheet shows them: row 1 is the first line, column A the first field.
2. Blocks. A sheet holds one or more blocks, one indicator each. A block is:
       Indicator: ks2_rwm_expected                       <- the block row
       Cohort | All  |      |      | SEN Support | ...   <- optional cohort row
       Row    | 2022 | 2023 | 2024 | 2022 | ...          <- the header row
       Plymouth All | 59.0% | 59.8% | 62.5% | ...       <- rows of figures
       National All | 59.0% | 59.9% | 61.1% | ...
       GAP All      | 0.0%  | -0.1% | 1.4%  | ...
       (a blank row, the next block row, or the end of the sheet ends the block)
   Outside blocks, only blank rows and notes may appear. A note is a row whose column A starts
   with `#`; notes are ignored anywhere, inside blocks too. Any other row outside a block is a
   problem (so a mistyped block row is never skipped silently).
3. The block row. Column A holds `Indicator: <key>` (any case, spaces allowed around the
   colon), the key being the indicator's key in the catalogue: letters, digits, `-` and `_`,
   at most 60 characters (`ks2_rwm_expected`). Options may follow, each after a `;`:
       `years: academic-ending`  a bare year heading a column is the academic year ending
                                 that summer: 2024 is read as "2023/24". Without it (the
                                 default, `years: as-written`) 2024 is the calendar year "2024".
       `source: <text>`          where the figures come from, kept on every figure.
   Other cells of the block row are free text (a title, "% of pupils achieving ...") and are
   ignored. An unknown option is a problem.
4. The header row comes next (after the cohort row, if any). Column A holds `Row`, `Year`,
   `Area` or nothing; from column B, one period per column, as far as the last filled cell.
   A period is anything `lapis.scorecard.periods` reads: a calendar year `2024`, an academic
   year `2022/23` (or DfE's `202223`), a financial year `2024-25`, a month `2024-04`, a term
   `2024/25 Autumn`. A number cell 2024 is the year 2024. Every period in a header must be of
   one kind (after the `years` option is applied): mixing `2024` and `2023/24` is a problem.
   Within a block, a period may head only one column (per cohort, when there is a cohort
   row); a repeated one is a problem naming both columns. A gap in the header (a blank cell
   between periods, or a period cell merged across two columns) is a problem. A date cell
   (Excel turning a typed "2022/12" into a date) is a problem asking for text.
5. The cohort row (optional) is how the SEF itself prints its tables: column A holds
   `Cohort`; from column B, cohort names over the period columns. A name covers its own column
   and every blank column to its right up to the next name, so a name in a cell merged
   across B:D covers B, C and D. Column B must hold a name. When a block has a cohort row,
   the rows of figures name only the area (`Plymouth`, `National`, `GAP`).
6. Rows of figures. Column A names the area, then the cohort: `<area> <cohort>`. Cohorts are
   `All` (also `All pupils`), `SEN Support` and `EHCP` (also `EHC plan`), in any case; a row
   naming no cohort is `All`. The area is:
   - an LA's three-digit DfE code (`879`), kept as the area code;
   - `England`, `National` or `E92000001`: England, area code `E92000001`;
   - `GAP` (any case): not an area. A gap row holds the gap the document printed (the area's
     figure minus the comparator's, as the document computed it). It is returned in
     `WideResult.gaps`, never as a figure, so a caller can compare it with the gap it
     computes; the reader does not check it.
   - otherwise a name, looked up in the caller's `areas` (name -> area code; case and runs of
     spaces ignored). A name not there is a problem naming the cell and the names known.
   The same area and cohort twice in a file for one indicator and period is a problem.
7. Cells under the periods:
   - a number: `59`, `59.0`, `-0.9`, `+1.4`, `.5`, with an optional `%` after it (`59.0%` is
     59.0: the sign is dropped, the number kept). A typographic minus (U+2212) is a minus.
     In an .xlsx, a number cell formatted as a percentage shows 59.0% but holds 0.59: it is
     read as 59.0 (the value times 100, rounded to 10 decimal places).
   - blank: missing (value None, suppression "").
   - `-` (also an en or em dash), `x` or `c`, any case: missing, the code kept in
     `suppression` (lower case; a dash is kept as "-").
   - anything else is a problem: `'61,1' is not a number` (commas are never read, as either
     thousands or decimal separators), dates, true/false, text.
   A filled cell to the right of the last period is a problem; so is a row with figures but
   nothing in column A. In an .xlsx, a formula cell the workbook holds no saved result for
   (a file written by a program, never opened in Excel) is a problem asking to save it in
   Excel; a data cell merged into its left-hand neighbour is a problem.
8. All or nothing. A block with a block row but no header, or a header but no rows of figures,
   is a problem; so is a file with no block at all. Every problem found is listed; if there
   is one, nothing is returned.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lapis.scorecard import periods
from lapis.scorecard.dfe import Problem

ENGLAND = "E92000001"
ENGLAND_NAMES = {"england", "national", "e92000001"}
GAP_NAMES = {"gap"}
COHORTS = {  # alias (case-folded) -> breakdown
    "all": "All",
    "all pupils": "All",
    "sen support": "SEN Support",
    "ehcp": "EHCP",
    "ehc plan": "EHCP",
}
HEADER_LABELS = {"", "row", "year", "area"}
MISSING = {"-": "-", "\u2013": "-", "\u2014": "-", "x": "x", "c": "c"}
YEARS_OPTIONS = {"as-written", "academic-ending"}

_BLOCK = re.compile(r"\s*indicator\s*:(.*)", re.IGNORECASE | re.DOTALL)
_KEY = re.compile(r"[-A-Za-z0-9_]{1,60}")
_NUMBER = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%?")
_LA_CODE = re.compile(r"\d{3}")
_YEAR = re.compile(r"\d{4}")
_KIND_WORDS = {
    "calendar_year": "calendar years",
    "academic_year": "academic years",
    "financial_year": "financial years",
    "month": "months",
    "term": "terms",
}


@dataclass(frozen=True)
class WideFigure:
    """One figure: an indicator's value for an area, period and cohort, and where it was typed."""

    indicator: str
    period: str  # the period's label, as `periods.parse` gives it: "2024", "2023/24"
    period_kind: str  # calendar_year | academic_year | financial_year | month | term
    area_code: str  # "879", "E92000001", or the code the caller's `areas` gave
    breakdown: str  # "All", "SEN Support" or "EHCP"
    value: float | None
    suppression: str  # "" (a value, or a blank cell), or "-", "x", "c"
    source: str
    sheet: str | None
    row: int
    column: str


@dataclass(frozen=True)
class PrintedGap:
    """A GAP cell as the document printed it: for checking, never loaded as a figure."""

    indicator: str
    period: str
    period_kind: str
    breakdown: str
    value: float | None
    suppression: str
    text: str  # the cell as typed: "-0.1%"
    sheet: str | None
    row: int
    column: str


@dataclass
class WideResult:
    file: str
    figures: list[WideFigure] = field(default_factory=list)
    gaps: list[PrintedGap] = field(default_factory=list)

    @property
    def indicators(self) -> list[str]:
        """Indicator keys in the order the file first gives them."""
        keys = [f.indicator for f in self.figures] + [g.indicator for g in self.gaps]
        return list(dict.fromkeys(keys))


class WideLayoutError(ValueError):
    """The file breaks the wide layout; `problems` lists every problem found."""

    def __init__(self, problems):
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''}:\n"
                         + "\n".join(f"- {p}" for p in self.problems))


@dataclass
class _Sheet:
    title: str | None  # None for a CSV file
    rows: list[list]
    merged: dict[tuple[int, int], str] = field(default_factory=dict)  # (r, c) -> "B2:D2"
    percent: set[tuple[int, int]] = field(default_factory=set)  # cells formatted as %
    unsaved: set[tuple[int, int]] = field(default_factory=set)  # formulas with no result

    def get(self, r: int, c: int):
        row = self.rows[r]
        return row[c] if c < len(row) else None

    def width(self, r: int) -> int:
        """1 + the position of the row's last filled cell (0 if none)."""
        row = self.rows[r]
        for c in range(len(row) - 1, -1, -1):
            if _text(row[c]) or (r, c) in self.unsaved:
                return c + 1
        return 0


def letter(position: int) -> str:
    """Spreadsheet column letter of a 0-based position: 0 -> A, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def read_wide(path, *, areas: Mapping[str, str]) -> WideResult:
    """Read a file in the wide layout (module docstring); WideLayoutError on any problem.

    `areas` maps the area names the file may use ("Plymouth") to area codes ("879"); England,
    National, GAP and three-digit LA codes need no entry.
    """
    path = Path(path)
    names: dict[str, str] = {}
    for name, code in areas.items():
        key = _norm(name)
        if key in names and names[key] != code:
            raise ValueError(f"areas gives {name!r} two codes: {names[key]} and {code}")
        names[key] = str(code)
    sheets = _load(path)
    reader = _Reader(path.name, names, areas.keys())
    for sheet in sheets:
        reader.sheet(sheet)
    if not reader.blocks and not reader.problems:
        reader.problems.append(Problem(path.name, (
            "holds no block of figures: a block starts with a row whose column A is "
            "'Indicator: <key>', such as 'Indicator: ks2_rwm_expected'")))
    if reader.problems:
        raise WideLayoutError(reader.problems)
    return WideResult(path.name, reader.figures, reader.gaps)


def is_wide_layout(path) -> bool:
    """True when a sheet of the file opens with a block row (after blank rows and notes).

    For an importer choosing a reader; says nothing about whether the rest is well formed.
    """
    try:
        sheets = _load(Path(path))
    except WideLayoutError:
        return False
    return any(_opens_with_block(sheet) for sheet in sheets)


def _opens_with_block(sheet: _Sheet) -> bool:
    for r in range(len(sheet.rows)):
        first = _text(sheet.get(r, 0))
        if sheet.width(r) == 0 or first.startswith("#"):
            continue
        return bool(_BLOCK.match(first))
    return False


# Reading the file ---------------------------------------------------------------------------


def _load(path: Path) -> list[_Sheet]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_load_csv(path)]
    if suffix == ".xlsx":
        return _load_xlsx(path)
    raise WideLayoutError([Problem(path.name, (
        "is not a .csv or .xlsx file: save the sheet as 'CSV UTF-8' or as an Excel workbook"))])


def _load_csv(path: Path) -> _Sheet:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WideLayoutError([Problem(path.name, f"cannot be read ({error.strerror})")]) \
            from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise WideLayoutError([Problem(path.name, (
            f"is not UTF-8 text (byte {data[error.start]:#04x} at position {error.start}): "
            "save it from Excel as 'CSV UTF-8 (Comma delimited)'"))]) from error
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise WideLayoutError([Problem(path.name, f"is not a well-formed CSV file: {error}")]) \
            from error
    return _Sheet(None, rows)


def _load_xlsx(path: Path) -> list[_Sheet]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise WideLayoutError([Problem(path.name, (
            f"cannot be opened as an Excel .xlsx workbook ({error})"))]) from error
    sheets = []
    for ws in values.worksheets:
        wf = formulas[ws.title]
        sheet = _Sheet(ws.title, [])
        for r, row in enumerate(ws.iter_rows()):
            cells = []
            for c, cell in enumerate(row):
                cells.append(cell.value)
                if isinstance(cell.value, int | float) and "%" in (cell.number_format or ""):
                    sheet.percent.add((r, c))
                if cell.value is None and wf.cell(r + 1, c + 1).data_type == "f":
                    sheet.unsaved.add((r, c))
            sheet.rows.append(cells)
        for merged in ws.merged_cells.ranges:
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        sheet.merged[(r - 1, c - 1)] = merged.coord
        sheets.append(sheet)
    values.close()
    formulas.close()
    return sheets


# Reading the blocks -------------------------------------------------------------------------


@dataclass
class _Block:
    key: str
    academic_ending: bool
    source: str
    start: int  # 0-based row of the block row


class _Reader:
    def __init__(self, file: str, names: dict[str, str], areas_shown=()):
        self.file = file
        self.names = names
        self.known = ", ".join(sorted(areas_shown)) or "none given"
        self.problems: list[Problem] = []
        self.figures: list[WideFigure] = []
        self.gaps: list[PrintedGap] = []
        self.blocks = 0
        # (indicator, period, area or "GAP", breakdown) -> where first given
        self.seen: dict[tuple[str, str, str, str], str] = {}
        self.current: _Sheet | None = None

    def problem(self, r: int | None, c: int | None, message: str) -> None:
        sheet = self.current.title if self.current else None
        self.problems.append(Problem(self.file, message, None if r is None else r + 1,
                                     None if c is None else letter(c), sheet))

    def where(self, r: int) -> str:
        sheet = self.current.title if self.current else None
        return (f"sheet {sheet!r}, row {r + 1}" if sheet is not None else f"row {r + 1}")

    def sheet(self, sheet: _Sheet) -> None:
        self.current = sheet
        r, end = 0, len(sheet.rows)
        while r < end:
            first = _text(sheet.get(r, 0))
            if sheet.width(r) == 0 or first.startswith("#"):
                r += 1
            elif _BLOCK.match(first):
                r = self.block(r)
            else:
                c = 0 if first else next(c for c in range(sheet.width(r))
                                         if _text(sheet.get(r, c)) or (r, c) in sheet.unsaved)
                shown = first or _text(sheet.get(r, c))
                shown = repr(shown) if shown else "a formula"
                self.problem(r, c, (
                    f"{shown} is outside any block: a block starts with a row whose column A "
                    "is 'Indicator: <key>', and ends at a blank row"))
                r += 1

    def block(self, r: int) -> int:
        """Read the block whose block row is r; return the row after it."""
        sheet = self.current
        self.blocks += 1
        block = self.block_row(r)
        r0 = r
        r += 1
        while r < len(sheet.rows) and _text(sheet.get(r, 0)).startswith("#"):
            r += 1
        band_row = None
        if r < len(sheet.rows) and _norm(_text(sheet.get(r, 0))) == "cohort":
            band_row = r
            r += 1
        if r >= len(sheet.rows) or sheet.width(r) == 0 or _BLOCK.match(_text(sheet.get(r, 0))):
            self.problem(r0, 0, (
                f"the block 'Indicator: {block.key}' has no header row: the row after it "
                "must hold 'Row' (or nothing) in column A, then the periods across"))
            return r
        label = _text(sheet.get(r, 0))
        if _norm(label) not in HEADER_LABELS:
            self.problem(r, 0, (
                f"{label!r} is where the header row of the block 'Indicator: {block.key}' "
                f"({self.where(r0)}) should be: put 'Row' (or nothing) in column A, then the "
                "periods across (2022, 2023, ... or 2022/23, ...)"))
            return self.skip(r)
        columns = self.header(block, r, band_row)
        r += 1
        rows = 0
        while r < len(sheet.rows) and sheet.width(r) > 0:
            first = _text(sheet.get(r, 0))
            if _BLOCK.match(first):
                break
            if not first.startswith("#"):
                rows += 1
                if columns is not None:
                    self.figures_row(block, r, columns, band_row is not None)
                elif first:  # the header is unusable: still check the areas
                    self.label(r, first, band_row is not None)
            r += 1
        if rows == 0:
            self.problem(r0, 0, (
                f"the block 'Indicator: {block.key}' has a header but no rows of figures "
                "beneath it: add rows such as 'Plymouth All', 'National All', 'GAP All'"))
        return r

    def skip(self, r: int) -> int:
        """The row that ends the block holding row r: a blank row or the next block row."""
        sheet = self.current
        while (r < len(sheet.rows) and sheet.width(r) > 0
               and not _BLOCK.match(_text(sheet.get(r, 0)))):
            r += 1
        return r

    def block_row(self, r: int) -> _Block:
        text = _BLOCK.match(_text(self.current.get(r, 0)))[1]
        key, *options = [part.strip() for part in text.split(";")]
        block = _Block(key, False, "", r)
        if not key:
            self.problem(r, 0, "names no indicator: write 'Indicator: <key>', such as "
                               "'Indicator: ks2_rwm_expected'")
        elif not _KEY.fullmatch(key):
            self.problem(r, 0, (
                f"{key!r} is not an indicator key: a key is up to 60 letters, digits, '-' "
                "and '_', such as ks2_rwm_expected"))
        for option in options:
            if not option:
                continue
            name, colon, value = (part.strip() for part in option.partition(":"))
            if _norm(name) == "years" and colon and _norm(value) in YEARS_OPTIONS:
                block.academic_ending = _norm(value) == "academic-ending"
            elif _norm(name) == "source" and colon and value:
                block.source = value
            else:
                self.problem(r, 0, (
                    f"{option!r} is not an option of a block row: use 'years: "
                    "academic-ending' (a bare year 2024 is then the academic year 2023/24), "
                    "'years: as-written' or 'source: <text>'"))
        return block

    def header(self, block: _Block, r: int, band_row: int | None):
        """[(column, period, cohort or None)] of the header at row r, or None if unusable."""
        sheet = self.current
        # A period merged across columns reaches past the last filled cell: count it in.
        width = max([sheet.width(r), *(c + 1 for (mr, c) in sheet.merged if mr == r)])
        found = []  # (column, Period)
        ok = True
        for c in range(1, width):
            raw = sheet.get(r, c)
            text = _text(raw)
            if not text:
                if (r, c) in sheet.merged:
                    self.problem(r, c, (
                        f"is part of the merged cells {sheet.merged[(r, c)]}: give each "
                        "period a column of its own, with the period in its header cell"))
                else:
                    self.problem(r, c, (
                        "is blank between periods: every column from B to the last period "
                        "needs a period in the header row"))
                ok = False
                continue
            if isinstance(raw, dt.date | dt.datetime):
                self.problem(r, c, (
                    f"{raw:%d/%m/%Y} is a date, not a period: type the period as text "
                    "(a year such as 2024, an academic year such as 2022/23)"))
                ok = False
                continue
            if block.academic_ending and _YEAR.fullmatch(text):
                year = int(text)
                text = f"{year - 1}/{year % 100:02d}"
            try:
                found.append((c, periods.parse(text)))
            except ValueError:
                self.problem(r, c, (
                    f"{_text(raw)!r} is not a period: use a year (2024), an academic year "
                    "(2022/23 or 202223), a financial year (2024-25), a month (2024-04) or a "
                    "term (2024/25 Autumn)"))
                ok = False
        if width <= 1:
            self.problem(r, 1, (
                f"the header row of the block 'Indicator: {block.key}' has no periods: put "
                "the periods across from column B"))
            return None
        kinds: dict[str, list[int]] = {}
        for c, period in found:
            kinds.setdefault(period.kind, []).append(c)
        if len(kinds) > 1:
            listed = "; ".join(
                f"{_KIND_WORDS[k]} ({', '.join(letter(c) for c in cs)})" for k, cs in kinds.items())
            first_other = list(kinds.values())[1][0]
            self.problem(r, first_other, (
                f"the header mixes kinds of period: {listed}. Use one kind in a block"
                + ("" if block.academic_ending else
                   "; if the bare years are academic years, add '; years: academic-ending' "
                   "to the block row")))
            ok = False
        cohorts = self.band(block, band_row, width) if band_row is not None else {}
        if cohorts is None:
            return None
        seen: dict[tuple[str, str | None], int] = {}
        for c, period in found:
            cohort = cohorts.get(c)
            if (period.label, cohort) in seen:
                other = letter(seen[(period.label, cohort)])
                within = f" under {cohort}" if cohort else ""
                self.problem(r, c, (
                    f"{period.label!r} heads column {other} and column {letter(c)}{within}: a "
                    "period may head only one column in a block"))
                ok = False
            else:
                seen[(period.label, cohort)] = c
        if not ok:
            return None
        return [(c, period, cohorts.get(c)) for c, period in found]

    def band(self, block: _Block, r: int, width: int) -> dict[int, str] | None:
        """{column: breakdown} from the cohort row r, or None if unusable."""
        sheet = self.current
        cohorts: dict[int, str] = {}
        current = None
        ok = True
        for c in range(1, max(width, sheet.width(r))):
            text = _text(sheet.get(r, c))
            if c >= width:
                if text:
                    self.problem(r, c, (
                        f"{text!r} is to the right of the last period in the header row"))
                    ok = False
                continue
            if text:
                current = COHORTS.get(_norm(text))
                if current is None:
                    self.problem(r, c, (
                        f"{text!r} is not a cohort: use All, SEN Support or EHCP"))
                    ok = False
            elif c == 1:
                self.problem(r, c, (
                    "is blank: the cohort row must name the cohort of column B "
                    "(All, SEN Support or EHCP)"))
                ok = False
            if current is not None:
                cohorts[c] = current
        return cohorts if ok else None

    def figures_row(self, block: _Block, r: int, columns, banded: bool) -> None:
        sheet = self.current
        first = _text(sheet.get(r, 0))
        width = max(c for c, _, _ in columns) + 1
        for c in range(width, sheet.width(r)):
            if _text(sheet.get(r, c)) or (r, c) in sheet.unsaved:
                self.problem(r, c, (
                    f"{_text(sheet.get(r, c))!r} is to the right of the last period in the "
                    "header row: give it a period or move it out of the block"))
        if not first:
            self.problem(r, 0, (
                "is blank but the row has figures: name the area and cohort in column A, "
                "such as 'Plymouth All' or 'National SEN Support'"))
            return
        area, cohort = self.label(r, first, banded)
        if area is None:
            return
        repeated: dict[str, list[str]] = {}
        for c, period, band_cohort in columns:
            breakdown = band_cohort or cohort
            value, code, problem = self.value(r, c)
            if problem:
                self.problem(r, c, problem)
                continue
            key = (block.key, period.label, area, breakdown)
            if key in self.seen:
                repeated.setdefault(self.seen[key], []).append(period.label)
                continue
            self.seen[key] = self.where(r)
            if area == "GAP":
                self.gaps.append(PrintedGap(
                    block.key, period.label, period.kind, breakdown, value, code,
                    _text(sheet.get(r, c)), sheet.title, r + 1, letter(c)))
            else:
                self.figures.append(WideFigure(
                    block.key, period.label, period.kind, area, breakdown, value, code,
                    block.source, sheet.title, r + 1, letter(c)))
        for where, labels in repeated.items():
            self.problem(r, 0, (
                f"{first!r} repeats {block.key} for {', '.join(labels)}, already given at "
                f"{where}: give each area and cohort once per indicator and period"))

    def label(self, r: int, text: str, banded: bool) -> tuple[str | None, str]:
        """(area code or "GAP", breakdown) named by column A, or (None, "") after a problem."""
        words = text.split()
        cohort, area_words, named = "All", words, False
        for take in (2, 1):
            if len(words) > take and _norm(" ".join(words[-take:])) in COHORTS:
                cohort, area_words = COHORTS[_norm(" ".join(words[-take:]))], words[:-take]
                named = True
                break
        else:
            if _norm(text) in COHORTS:
                self.problem(r, 0, (
                    f"{text!r} names a cohort but no area: write the area first, such as "
                    f"'Plymouth {text}' or 'National {text}'"))
                return None, ""
        if banded and named:
            self.problem(r, 0, (
                f"{text!r} names a cohort, but this block's cohort row already gives each "
                "column its cohort: name only the area here"))
            return None, ""
        name = " ".join(area_words)
        if _norm(name) in GAP_NAMES:
            return "GAP", cohort
        if _norm(name) in ENGLAND_NAMES:
            return ENGLAND, cohort
        if _LA_CODE.fullmatch(name):
            return name, cohort
        if _norm(name) in self.names:
            return self.names[_norm(name)], cohort
        self.problem(r, 0, (
            f"{name!r} is not an area LAPIS knows: use an LA's three-digit code (such as 879), "
            f"England (or National), GAP, or a name it has been told ({self.known}); then the "
            "cohort: All, SEN Support or EHCP"))
        return None, ""

    def value(self, r: int, c: int) -> tuple[float | None, str, str | None]:
        """(value, suppression code, problem)."""
        sheet = self.current
        raw = sheet.get(r, c)
        if (r, c) in sheet.unsaved:
            return None, "", ("holds a formula with no saved result: open the workbook in "
                              "Excel and save it, or type the figure")
        if (r, c) in sheet.merged and raw is None:
            return None, "", (f"is part of the merged cells {sheet.merged[(r, c)]}: give each "
                              "period its own figure, in its own cell")
        if isinstance(raw, bool):
            return None, "", f"{raw!r} is not a number"
        if isinstance(raw, int | float):
            value = float(raw)
            if (r, c) in sheet.percent:
                value = round(value * 100, 10)
            if value != value or value in (float("inf"), float("-inf")):
                return None, "", f"{raw!r} is not a number"
            return value, "", None
        if isinstance(raw, dt.date | dt.datetime | dt.time):
            return None, "", f"{raw} is a date or time, not a number"
        text = _text(raw)
        if not text:
            return None, "", None
        if text.casefold() in MISSING:
            return None, MISSING[text.casefold()], None
        if m := _NUMBER.fullmatch(text.replace("\u2212", "-")):
            return float(m[1]), "", None
        hint = (" (type numbers without commas, with a point for decimals: 61.1, 1234)"
                if "," in text else
                " (a number such as 59.0 or 59.0%, or -, x or c for a missing figure)")
        return None, "", f"{text!r} is not a number{hint}"
