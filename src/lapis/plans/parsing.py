"""Parse the cells of a council's SEND improvement-plan register.

Pure functions, no Django: the importer calls them cell by cell and turns a `CellError` into a
problem report naming the sheet, row and column, so every message here is written for the
person who keeps the spreadsheet. The generic cell readers (dates, text, neutralising) are in
`lapis.core.cells`; what is here knows the register's layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lapis.core.cells import clean_text, read_date
from lapis.core.dates import PartialDate
from lapis.core.errors import CellError

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
