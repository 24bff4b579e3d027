"""Parse the cells of a council's SEND improvement-plan register.

Pure functions, no Django: the importer calls them cell by cell and turns a `CellError` into a
problem report naming the sheet, row and column, so every message here is written for the
person who keeps the spreadsheet.
"""

from __future__ import annotations

import calendar
import datetime
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

import nh3

# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Full names, three-letter abbreviations and "Sept", which people write as often as "Sep".
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i + 1 for i, name in enumerate(_MONTH_ABBR)})
_MONTHS["sept"] = 9

_ORDERS = {"dmy": "day/month/year", "mdy": "month/day/year"}
_NOT_A_DATE = "is not a date; expected a date such as 14/02/2023 or a month such as Feb-23"

# d/m/y or m/d/y with one separator used twice; people type spaces around it ("08.09. 23").
_NUMERIC = re.compile(r"(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
# "Feb-23", "February 2023", "Sept. 2025"; the year is checked afterwards so that "Feb-2x"
# is reported as a bad date rather than as "not a date".
_MONTH_YEAR = re.compile(r"([a-z]+)\.?[\s/.,-]*(\d\w*)", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s/.,-]*([a-z]+)\.?[\s/.,-]*(\d{4}|\d{2})", re.IGNORECASE
)
# Quoted text, escaped characters and [..] sections ("[Red]", "[$-809]") of a number format
# are not date tokens.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


class CellError(ValueError):
    """A cell value that cannot be read; the message is for the spreadsheet's owner."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, or only to the month (then `value` is the 1st)."""

    value: datetime.date
    precision: str  # "day" or "month"

    def __post_init__(self):
        if self.precision not in ("day", "month"):
            raise ValueError(f"precision must be 'day' or 'month', not {self.precision!r}")
        # datetime is a date subclass but cannot be compared with a date, which would break
        # ordering; keep only the date part.
        if isinstance(self.value, datetime.datetime):
            object.__setattr__(self, "value", self.value.date())
        if self.precision == "month" and self.value.day != 1:
            raise ValueError("a month-precision date must be the 1st of its month")

    def end(self) -> datetime.date:
        """The last day the date covers."""
        if self.precision == "day":
            return self.value
        last = calendar.monthrange(self.value.year, self.value.month)[1]
        return self.value.replace(day=last)

    def iso(self) -> str:
        """'2023-02' or '2023-02-14'."""
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """Inverse of iso()."""
        match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text.strip())
        if not match:
            raise CellError(f"{text!r} is not an ISO date such as 2023-02 or 2023-02-14")
        year, month, day = match.groups()
        value = _real_date(text, int(year), int(month), int(day or 1))
        return cls(value, "day" if day else "month")

    def __str__(self) -> str:
        month = f"{_MONTH_ABBR[self.value.month - 1]} {self.value.year}"
        return month if self.precision == "month" else f"{self.value.day} {month}"


class AmbiguousDate(CellError):
    """A numeric date that reads as two different real dates."""

    def __init__(self, text: str, candidates: dict[str, PartialDate]):
        self.candidates = candidates
        readings = " or ".join(f"{d} ({_ORDERS[o]})" for o, d in candidates.items())
        super().__init__(f"{text!r} could be {readings}")


def _real_date(text: str, year: int, month: int, day: int = 1) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"{text!r} is not a real date") from None


def _year(digits: str) -> int:
    # The registers start in the 2020s; a two-digit year is always this century.
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _numeric_readings(text: str) -> dict[str, datetime.date] | None:
    """The real dates a numeric d/m/y text can be, by order; None if it is not numeric."""
    match = _NUMERIC.fullmatch(text)
    if not match:
        return None
    first, _, second, year = match.groups()
    readings = {}
    for order, (day, month) in (("dmy", (first, second)), ("mdy", (second, first))):
        try:
            readings[order] = datetime.date(_year(year), int(month), int(day))
        except ValueError:
            pass
    return readings


def _format_shows_day(number_format: str) -> bool:
    """Whether a date cell's number format shows the day (False for 'mmm-yy')."""
    tokens = _FORMAT_LITERALS.sub("", number_format or "").lower()
    # "General" (or any non-date format) hides nothing: only a date format that shows a month
    # or year but no day marks the value as a month.
    return "d" in tokens or not ("m" in tokens or "y" in tokens)


def read_date(value, *, order: str | None = None,
              number_format: str = "General") -> PartialDate | None:
    """Read a date cell: a real date, a month such as 'Feb-23', ISO, or d/m/y text."""
    if order not in (None, *_ORDERS):
        raise ValueError(f"order must be 'dmy', 'mdy' or None, not {order!r}")
    if value is None:
        return None
    if isinstance(value, datetime.date):  # datetime too
        day = value.date() if isinstance(value, datetime.datetime) else value
        if _format_shows_day(number_format):
            return PartialDate(day, "day")
        return PartialDate(day.replace(day=1), "month")
    if not isinstance(value, str):
        raise CellError(f"{value!r} {_NOT_A_DATE}")
    text = " ".join(value.split())
    if not text:
        return None

    readings = _numeric_readings(text)
    if readings is not None:
        return _choose_reading(text, readings, order)
    if match := _ISO_DAY.fullmatch(text):
        year, month, day = map(int, match.groups())
        return PartialDate(_real_date(text, year, month, day), "day")
    if match := _ISO_MONTH.fullmatch(text):
        year, month = map(int, match.groups())
        return PartialDate(_real_date(text, year, month), "month")
    if (match := _DAY_MONTH_YEAR.fullmatch(text)) and match.group(2).lower() in _MONTHS:
        day, month, year = match.groups()
        return PartialDate(_real_date(text, _year(year), _MONTHS[month.lower()], int(day)), "day")
    if (match := _MONTH_YEAR.fullmatch(text)) and match.group(1).lower() in _MONTHS:
        month, year = match.groups()
        if not re.fullmatch(r"\d{2}|\d{4}", year):
            raise CellError(f"{value!r} is not a real date")
        return PartialDate(_real_date(text, _year(year), _MONTHS[month.lower()]), "month")
    raise CellError(f"{value!r} {_NOT_A_DATE}")


def _choose_reading(text: str, readings: dict[str, datetime.date],
                    order: str | None) -> PartialDate:
    if not readings:
        raise CellError(f"{text!r} is not a real date")
    if order is not None:
        if order not in readings:
            # Valid only in the other order: the sheet broke its own convention, and guessing
            # would silently put the wrong date on an action.
            other = next(iter(readings))
            raise CellError(
                f"{text!r} is not a real date as {_ORDERS[order]}, the order this register uses"
                f" (as {_ORDERS[other]} it would be {PartialDate(readings[other], 'day')})"
            )
        return PartialDate(readings[order], "day")
    if len(set(readings.values())) > 1:
        raise AmbiguousDate(text, {o: PartialDate(d, "day") for o, d in readings.items()})
    return PartialDate(next(iter(readings.values())), "day")


def order_evidence(text: str) -> str | None:
    """'dmy' or 'mdy' when a numeric date text is a real date in exactly one order."""
    readings = _numeric_readings(" ".join(str(text).split()))
    if readings and len(readings) == 1:
        return next(iter(readings))
    return None


def infer_order(texts: Iterable[str]) -> tuple[str | None, dict[str, int]]:
    """The order most unambiguous date texts follow (None if none, or a tie), and the counts."""
    counts = {"dmy": 0, "mdy": 0}
    for text in texts:
        if (evidence := order_evidence(text)) is not None:
            counts[evidence] += 1
    if counts["dmy"] == counts["mdy"]:
        return None, counts
    return max(counts, key=counts.__getitem__), counts


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------

# Anything html5ever would treat as markup: a tag, closing tag, comment or declaration.
_TAG = re.compile(r"<[a-zA-Z/!?]")
_PARAGRAPH_TAGS = re.compile(
    r"<\s*/?\s*(?:p|div|tr|table|h[1-6]|ul|ol|blockquote)\b[^>]*>", re.IGNORECASE
)
_LINE_TAGS = re.compile(r"<\s*(?:br|li)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but a line break, including nbsp
_BLANK_LINES = re.compile(r"\n{3,}")
_MAX_ROUNDS = 10  # each round peels one layer of escaping; real text needs one or two


def _strip_markup(text: str) -> str:
    """One round: block tags become line breaks, every tag goes, entities are unescaped."""
    text = _PARAGRAPH_TAGS.sub("\n\n", text)
    text = _LINE_TAGS.sub("\n", text)
    # nh3 drops script/style elements with their content, comments and every other tag, and
    # escapes what is left; unescaping gives plain text back.
    return html.unescape(nh3.clean(text, tags=set()))


def clean_text(value) -> str:
    """Untrusted cell content as plain text: paragraphs separated by a blank line."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a text column: "3", not "3.0"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if _TAG.search(text):
        # In HTML a line break in the source is just a space; the tags say where lines end.
        text = " ".join(text.split())
    # Repeat until nothing changes, so that escaped markup ("&lt;script&gt;") cannot survive
    # as text that becomes markup when someone else unescapes it.
    for _ in range(_MAX_ROUNDS):
        stripped = _strip_markup(text)
        if stripped == text:
            break
        text = stripped
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------------------------------------
# Progress logs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    date: PartialDate | None
    raw_date: str | None  # as written, e.g. "08.09. 23"
    text: str


# A numeric date that may start a log entry: d.m.y or d/m/y, spaces allowed around the
# separators, or ISO. Never d-m-y, which looks too like a range ("5-10-15 minutes"). The
# look-arounds stop it matching inside refs and longer numbers ("3.1.2.1"). ISO months are only
# for LAPIS's own export and need a real month number, so that "2023-24" stays text.
_LOG_DATE = (
    r"(?<![\w./-])(?P<date>\d{4}-\d{2}-\d{2}|\d{4}-(?:0[1-9]|1[0-2])"
    r"|\d{1,2}\s*([./])\s*\d{1,2}\s*\2\s*(?:\d{4}|\d{2}))(?![\w.]?\d)"
)
_LOG_START = re.compile(_LOG_DATE + r"(?P<dash>[^\S\n]*[-–—]?)[^\S\n]*(?=\S)")
_SENTENCE_END = re.compile(r"[.!?][^\S\n]+$")


def _entry_starts(text: str) -> list[re.Match]:
    """Dates in cleaned text that begin a log entry."""
    starts = []
    for match in _LOG_START.finditer(text):
        # Cleaned text has single spaces within lines, so a few characters of context do.
        before = text[max(0, match.start() - 8): match.start()]
        at_line_start = match.start() == 0 or before.endswith("\n")
        has_dash = bool(match.group("dash").strip())
        after_sentence = bool(_SENTENCE_END.search(before))
        iso_month = re.fullmatch(r"\d{4}-\d{2}", match.group("date"))
        # An ISO month is only our own export's entry date ("2024-06 - text").
        if iso_month and not (at_line_start and has_dash):
            continue
        if at_line_start or has_dash or after_sentence:
            starts.append(match)
    return starts


def find_log_dates(text: str) -> list[str]:
    """The raw dates that start entries in a progress log, for inferring the date order."""
    return [m.group("date") for m in _entry_starts(clean_text(text))]


def split_progress_log(text: str, *, order: str | None) -> list[LogEntry]:
    """Split a progress-log cell into dated entries (an undated preamble has date None)."""
    cleaned = clean_text(text)
    if not cleaned:
        return []
    starts = _entry_starts(cleaned)
    entries = []
    preamble = cleaned[: starts[0].start()].strip() if starts else cleaned
    if preamble:
        entries.append(LogEntry(None, None, preamble))
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(cleaned)
        raw = match.group("date")
        # Undated paragraphs after a dated one belong to it: they are its continuation.
        body = cleaned[match.end():end].strip()
        entries.append(LogEntry(read_date(raw, order=order), raw, body))
    return entries


def format_progress_log(entries: Iterable[tuple[PartialDate | None, str]]) -> str:
    """Write entries as 'YYYY-MM-DD - text' paragraphs that split_progress_log reads back."""
    paragraphs = []
    for date, text in entries:
        paragraphs.append(f"{date.iso()} - {text}" if date else text)
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------------------------------------
# People and links
# ---------------------------------------------------------------------------------------------

# "&" and "and" join words inside one role ("Standards & Effectiveness Officer"), so only
# these separate people.
_PEOPLE_SEPARATORS = re.compile(r"[/;,\n]")


def _unique(items: Iterable[str]) -> list[str]:
    """Drop empties and case-insensitive repeats, keeping the first spelling."""
    seen, kept = set(), []
    for item in items:
        item = " ".join(item.split())
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            kept.append(item)
    return kept


def split_people(cell) -> list[str]:
    """Names in a lead cell: 'Steve Tomlinson/ Zoe Golding' -> two names."""
    return _unique(_PEOPLE_SEPARATORS.split(clean_text(cell)))


@dataclass(frozen=True)
class LinkToken:
    kind: str  # "sef" | "dbv" | "afi" | "ap" | "text"
    code: str  # "SEF", "AFI4", "AF12"; the strategy's name for text


# AFI (area for improvement) numbers are sometimes written "AF12" or "AFI 4".
_LINK_CODE = re.compile(r"SEF|DBV|AP|AFI\s*\d+|AF\s*\d+", re.IGNORECASE)
_LINK_SEPARATORS = re.compile(r"[/;,\n]")


def _link_codes(part: str) -> list[LinkToken] | None:
    """The codes in a part made only of codes, else None."""
    rest, tokens = part, []
    while rest:
        match = _LINK_CODE.match(rest)
        if not match or (match.end() < len(rest) and not rest[match.end()].isspace()):
            return None
        code = re.sub(r"\s+", "", match.group()).upper()
        kind = "afi" if code.startswith("AF") else code.lower()
        tokens.append(LinkToken(kind, code))
        rest = rest[match.end():].lstrip()
    return tokens


def parse_links(cell) -> list[LinkToken]:
    """Evidence links: codes such as SEF, DBV, AP, AFI4, or the name of a strategy."""
    tokens, seen = [], set()
    for part in _LINK_SEPARATORS.split(clean_text(cell)):
        part = " ".join(part.split())
        if not part:
            continue
        for token in _link_codes(part) or [LinkToken("text", part)]:
            key = (token.kind, token.code.casefold())
            if key not in seen:
                seen.add(key)
                tokens.append(token)
    return tokens


def format_links(tokens) -> str:
    """Inverse of parse_links: '/'-separated, as the council writes them."""
    return "/".join(token.code for token in tokens)


# ---------------------------------------------------------------------------------------------
# Governance boards
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardSplit:
    names: list[str]
    unsplit: list[str]  # pieces kept whole because they could not be split with confidence


_BOARD_ENDINGS = {
    "board", "group", "team", "forum", "partnership", "partnerships", "programme", "panel",
    "slt", "meeting", "meetings", "committee",
}
# ";" and line breaks separate boards; so does a sentence end ("meetings. SEND Delivery")
# and a trailing "?" or ".".
_BOARD_PIECES = re.compile(r"[;\n]|[.?!](?=\s|$)")


def _board_pieces(cell) -> list[list[str]]:
    pieces = _BOARD_PIECES.split(clean_text(cell))
    return [piece.split() for piece in pieces if piece.strip()]


def _ends_board(word: str) -> bool:
    return word.strip("()[]:,'\"").casefold() in _BOARD_ENDINGS


def _key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(word.casefold() for word in words)


def _standalone(words: list[str]) -> bool:
    """No board-ending word, or ending words only in one run at the end ("... Partnership
    Board"): such a piece names one board."""
    ends = [i for i, word in enumerate(words) if _ends_board(word)]
    return not ends or ends == list(range(ends[0], len(words)))


def known_board_names(cells: Iterable[str]) -> set[str]:
    """Names that stand alone in some cell, to recognise them in run-on cells."""
    candidates: dict[tuple[str, ...], str] = {}
    for cell in cells:
        for words in _board_pieces(cell):
            if _standalone(words):
                candidates.setdefault(_key(words), " ".join(words))
    # "SEND Delivery SEND Board" stands alone in form, but it starts with "SEND Delivery",
    # which stands alone elsewhere: it is two boards run together, not a name.
    runs_on = {
        key for key in candidates for other in candidates
        if len(other) < len(key) and key[: len(other)] == other
        and not _ends_board(key[len(other)])
    }
    return {name for key, name in candidates.items() if key not in runs_on}


def split_boards(cell, known: Iterable[str]) -> BoardSplit:
    """Split a governance cell into board names, using known names and board-ending words."""
    known_keys: dict[tuple[str, ...], str] = {}
    for name in known:
        known_keys.setdefault(_key(name.split()), " ".join(name.split()))
    longest = max(map(len, known_keys), default=0)
    names, unsplit = [], []
    for words in _board_pieces(cell):
        keys = _key(w.strip("()[]:,'\"") for w in words)
        i = 0
        while i < len(words):
            size = _known_at(keys, i, known_keys, longest)
            if size:
                names.append(known_keys[keys[i:i + size]])
                i += size
                continue
            end = next((j for j in range(i, len(words)) if _ends_board(words[j])), None)
            if end is None:
                names.append(" ".join(words[i:]))
                unsplit.append(names[-1])
                break
            # A run of ending words belongs to one name: "Learning Partnership Board".
            while end + 1 < len(words) and _ends_board(words[end + 1]):
                end += 1
            # A known name that ends the span ("Elected Members sign off Learning
            # Partnership") is split off; the words before it have no ending word, so they
            # are flagged as unsplit. One word before it is a qualifier, not a board ("SEND
            # DBV Steering Group").
            start = next((s for s in range(i + 2, end + 1)
                          if keys[s:end + 1] in known_keys), None)
            if start is not None:
                names.append(" ".join(words[i:start]))
                unsplit.append(names[-1])
                names.append(known_keys[keys[start:end + 1]])
            else:
                names.append(" ".join(words[i:end + 1]))
            i = end + 1
    return BoardSplit(_unique(names), _unique(unsplit))


def _known_at(keys: tuple[str, ...], i: int, known: dict, longest: int) -> int:
    """Length of the longest known name starting at word i, or 0."""
    for size in range(min(longest, len(keys) - i), 0, -1):
        if keys[i:i + size] in known:
            # "SEND Delivery" followed by "Board" is part of "SEND Delivery Board", not a
            # known name followed by something else.
            if i + size < len(keys) and keys[i + size] in _BOARD_ENDINGS:
                return 0
            return size
    return 0


# ---------------------------------------------------------------------------------------------
# Refs, headings and headers
# ---------------------------------------------------------------------------------------------

# "1.1", "3.11a", "1.1.1", optionally introduced by "Action" or "Ref".
REF_PATTERN = re.compile(
    r"(?:(?:action|ref)\s*(?:no\.?)?\s*[.:]?\s*)?(?P<ref>\d+(?:\.\d+)+[a-z]?)\.?", re.IGNORECASE
)
_HEADING = re.compile(
    r"priority\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b", re.IGNORECASE
)


def parse_ref(value) -> str | None:
    """An action's ref ('3.11a'), None for an empty cell."""
    if value is None or isinstance(value, bool):
        text = "" if value is None else str(value)
    elif isinstance(value, float):
        text = repr(value)  # a ref Excel stored as a number: 1.1 -> "1.1"
    else:
        text = " ".join(str(value).split())
    if not text:
        return None
    match = REF_PATTERN.fullmatch(text)
    if not match:
        raise CellError(f"{text!r} is not an action ref such as 1.1 or 3.11a")
    return match.group("ref").lower()


def priority_number(ref: str) -> int:
    """The priority an action belongs to: '3.11a' -> 3."""
    return int(re.match(r"\d+", ref).group())


def ref_sort_key(ref: str) -> tuple:
    """Sort refs as people read them: 3.2 < 3.2b < 3.10 < 3.11a."""
    parts = []
    for part in ref.split("."):
        match = re.fullmatch(r"(\d*)(.*)", part)
        parts.append((int(match.group(1) or 0), match.group(2).lower()))
    return tuple(parts)


def is_heading_text(value) -> bool:
    """A section row such as 'Priority one - closures. Link to change control register'."""
    return bool(_HEADING.match(clean_text(value)))


FIELDS: dict[str, str] = {
    "ref": "Ref",
    "priority": "Our improvement priority",
    "objective": "What do we want to achieve and what is needed to make this happen?",
    "description": "What is needed to make this happen and what we will do to achieve our "
                   "improvement ambition",
    "pillar": "SEND Reform Pillar",
    "outcomes": "Intended outcomes and Impact",
    "impact_measures": "Impact Measures",
    "sro": "Strategic Lead (SRO)",
    "leads": "Improvement Lead",
    "start": "Start Date",
    "due": "Due Date",
    "links": "SEF/DBV/AF I(no)/AP",
    "dependencies": "Inter/dependencies",
    "status": "Status (BRAG)",
    "progress": "Progress Update",
    "last_reviewed": "Last Reviewed date",
    "boards": "Governance reporting",
    "bau_location": "Moved from plan to continuous improvement - location (i.e. service plan)",
    "closed": "Closed",
}


def _squash(text: str) -> str:
    # Headers arrive with line breaks and even a space inside a word ("Our improve ment
    # priority"), so compare with all whitespace gone.
    return re.sub(r"\s+", "", text).lower()


_HEADER_ALIASES = {
    "ref": ["ref", "reference", "action ref", "action no"],
    "priority": ["our improvement priority", "priority", "workstream"],
    "objective": ["objective"],
    "description": ["description", "action description", "action"],
    "pillar": ["send reform pillar", "pillar"],
    "outcomes": ["intended outcomes and impact", "intended outcomes", "outcomes"],
    "impact_measures": ["impact measures", "impact measure", "measures of success"],
    "sro": ["strategic lead (sro)", "strategic lead", "sro"],
    "leads": ["improvement lead", "improvement leads", "improvement lead partner", "lead",
              "leads"],
    "start": ["start date", "start"],
    "due": ["due date", "due", "deadline"],
    "links": ["links", "evidence links"],
    "dependencies": ["inter/dependencies", "interdependencies", "dependencies"],
    "status": ["rag"],
    "progress": ["progress update", "progress updates", "progress"],
    "last_reviewed": ["last reviewed date", "last reviewed", "date last reviewed"],
    "boards": ["governance reporting", "governance", "boards"],
    "bau_location": ["bau location"],
    "closed": ["closed"],
}
_HEADERS = {_squash(alias): name for name, aliases in _HEADER_ALIASES.items()
            for alias in aliases}
# Long headers are truncated or reworded from sheet to sheet; their opening words are enough.
_HEADER_PREFIXES = {
    "whatdowewanttoachieve": "objective",
    "whatisneededtomakethishappenandwhatwewilldo": "description",
    "sef/dbv": "links",
    "status": "status",
    "movedfromplantocontinuousimprovement": "bau_location",
}


def match_header(text) -> str | None:
    """The field a column header names, or None."""
    if text is None:
        return None
    key = _squash(str(text))
    if key in _HEADERS:
        return _HEADERS[key]
    return next((name for prefix, name in _HEADER_PREFIXES.items()
                 if key.startswith(prefix)), None)


# ---------------------------------------------------------------------------------------------
# Formula neutralisation
# ---------------------------------------------------------------------------------------------

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Apostrophes then a trigger: a text neutralise must prefix, so that unneutralise can tell a
# prefix it added from an apostrophe that was already there ("'=1" -> "''=1" -> "'=1").
_NEUTRALISED = re.compile("'*[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")


def neutralise(value: str) -> str:
    """Prefix "'" so a spreadsheet will not run the text as a formula (OWASP CSV injection)."""
    return "'" + value if _NEUTRALISED.match(value) else value


def unneutralise(value: str) -> str:
    """Exact inverse of neutralise."""
    return value[1:] if value.startswith("'") and _NEUTRALISED.match(value, 1) else value
