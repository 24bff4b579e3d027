"""The rules of the voice of children, young people and families, as plain functions (no Django).

Working days
    Monday to Friday, less the bank holidays of England and Wales. The holidays are a typed
    table below (2020 to 2027), copied from GOV.UK's published list
    (https://www.gov.uk/bank-holidays, "england-and-wales"), including the one-off days (VE Day
    moved to 8 May 2020, the Platinum Jubilee 3 June 2022, the State Funeral 19 September 2022,
    the Coronation 8 May 2023). The maintained `holidays` package would do the same, but it
    is not a dependency of LAPIS. Outside 2020 to 2027 only weekends are skipped, and
    `holidays_known(year)` says so, so a page can warn.

Response time
    A complaint received on day D and answered on day R took `working_days_between(D, R)`
    working days: the working days after D up to and including R (answered the next working
    day is 1; answered the same day is 0). It is within the standard (20 working days for
    stage 1 unless the partnership sets another) when that is at most the standard. Its due
    date is `add_working_days(D, standard)`. An open complaint past its due date is overdue
    and counts as late; an open one not yet due is not counted either way.

Quarters
    Calendar quarters, labelled "2024 Q2" (April to June 2024). A complaint counts in the
    quarter it was received, once per theme it cites (a complaint citing communication and
    EHCP delay counts once under each).

Survey percentages
    Per question, the share of those who answered it (blank answers are not counted), to one
    decimal place. "% agree" is strongly agree plus agree over every answer on the scale,
    including "neither" and "don't know"; "% yes" is yes over every answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


class RuleError(ValueError):
    """A value the records cannot hold; the message is written for the person who typed it."""


# ---------------------------------------------------------------------------------------------
# Bank holidays and working days
# ---------------------------------------------------------------------------------------------

BANK_HOLIDAYS_SOURCE = "GOV.UK, UK bank holidays, England and Wales (www.gov.uk/bank-holidays)"
_D = dt.date
BANK_HOLIDAYS: frozenset[dt.date] = frozenset({
    # 2020
    _D(2020, 1, 1), _D(2020, 4, 10), _D(2020, 4, 13), _D(2020, 5, 8), _D(2020, 5, 25),
    _D(2020, 8, 31), _D(2020, 12, 25), _D(2020, 12, 28),
    # 2021
    _D(2021, 1, 1), _D(2021, 4, 2), _D(2021, 4, 5), _D(2021, 5, 3), _D(2021, 5, 31),
    _D(2021, 8, 30), _D(2021, 12, 27), _D(2021, 12, 28),
    # 2022
    _D(2022, 1, 3), _D(2022, 4, 15), _D(2022, 4, 18), _D(2022, 5, 2), _D(2022, 6, 2),
    _D(2022, 6, 3), _D(2022, 8, 29), _D(2022, 9, 19), _D(2022, 12, 26), _D(2022, 12, 27),
    # 2023
    _D(2023, 1, 2), _D(2023, 4, 7), _D(2023, 4, 10), _D(2023, 5, 1), _D(2023, 5, 8),
    _D(2023, 5, 29), _D(2023, 8, 28), _D(2023, 12, 25), _D(2023, 12, 26),
    # 2024
    _D(2024, 1, 1), _D(2024, 3, 29), _D(2024, 4, 1), _D(2024, 5, 6), _D(2024, 5, 27),
    _D(2024, 8, 26), _D(2024, 12, 25), _D(2024, 12, 26),
    # 2025
    _D(2025, 1, 1), _D(2025, 4, 18), _D(2025, 4, 21), _D(2025, 5, 5), _D(2025, 5, 26),
    _D(2025, 8, 25), _D(2025, 12, 25), _D(2025, 12, 26),
    # 2026
    _D(2026, 1, 1), _D(2026, 4, 3), _D(2026, 4, 6), _D(2026, 5, 4), _D(2026, 5, 25),
    _D(2026, 8, 31), _D(2026, 12, 25), _D(2026, 12, 28),
    # 2027
    _D(2027, 1, 1), _D(2027, 3, 26), _D(2027, 3, 29), _D(2027, 5, 3), _D(2027, 5, 31),
    _D(2027, 8, 30), _D(2027, 12, 27), _D(2027, 12, 28),
})
KNOWN_YEARS = range(2020, 2028)
DEFAULT_STANDARD_DAYS = {1: 20, 2: 20}  # working days, by complaint stage


def holidays_known(year: int) -> bool:
    return year in KNOWN_YEARS


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; negative if `end` is earlier."""
    if end < start:
        return -working_days_between(end, start)
    days = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        days += is_working_day(day)
    return days


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (0 gives `start` itself)."""
    if days < 0:
        raise RuleError("a number of working days cannot be negative")
    day = start
    while days:
        day += dt.timedelta(days=1)
        days -= is_working_day(day)
    return day


@dataclass(frozen=True)
class Timeliness:
    due: dt.date
    days_taken: int | None  # None while open
    within: bool | None  # None: open and not yet due
    overdue: bool  # open and past due

    @property
    def label(self) -> str:
        if self.overdue:
            return "Overdue"
        if self.within is None:
            return "Not yet due"
        return "Within the standard" if self.within else "Late"


def timeliness(received: dt.date, responded: dt.date | None, standard: int,
               as_of: dt.date) -> Timeliness:
    if standard < 1:
        raise RuleError("the response standard must be at least 1 working day")
    due = add_working_days(received, standard)
    if responded is None:
        overdue = as_of > due
        return Timeliness(due, None, False if overdue else None, overdue)
    if responded < received:
        raise RuleError("the response date is before the date the complaint was received")
    taken = working_days_between(received, responded)
    return Timeliness(due, taken, taken <= standard, False)


def percent(part: int, whole: int) -> float | None:
    """part/whole as a percentage to one decimal place; None when there is nothing to divide."""
    if whole <= 0:
        return None
    return round(100 * part / whole + 0.0, 1)


@dataclass(frozen=True)
class TimelinessSummary:
    counted: int  # answered, or open and overdue
    within: int

    @property
    def pct(self) -> float | None:
        return percent(self.within, self.counted)


def summarise_timeliness(items: Iterable[Timeliness]) -> TimelinessSummary:
    counted = within = 0
    for item in items:
        if item.within is None:
            continue
        counted += 1
        within += item.within
    return TimelinessSummary(counted, within)


# ---------------------------------------------------------------------------------------------
# Quarters and complaint themes
# ---------------------------------------------------------------------------------------------

THEMES = {
    "communication": "Communication",
    "ehcp_delay": "EHC plan delay",
    "assessment": "Assessment",
    "provision": "Provision",
    "placement": "School place",
    "transport": "Transport",
    "health": "Health services",
    "social_care": "Social care",
    "annual_review": "Annual review",
    "staff_conduct": "Staff conduct",
    "other": "Other",
}
_THEME_WORDS = {
    **{k: k for k in THEMES},
    **{v.casefold(): k for k, v in THEMES.items()},
    "comms": "communication", "communications": "communication",
    "ehcp delay": "ehcp_delay", "ehc plan delay": "ehcp_delay", "delay": "ehcp_delay",
    "timeliness": "ehcp_delay", "ehcp timeliness": "ehcp_delay",
    "school placement": "placement", "placement": "placement", "school place": "placement",
    "send transport": "transport", "home to school transport": "transport",
    "health": "health", "social care": "social_care", "annual reviews": "annual_review",
    "conduct": "staff_conduct",
}
CHANNELS = {
    "email": "Email", "phone": "Phone", "letter": "Letter", "online": "Online form",
    "in_person": "In person", "mp": "MP enquiry",
}
_CHANNEL_WORDS = {
    **{k: k for k in CHANNELS}, **{v.casefold(): k for k, v in CHANNELS.items()},
    "e-mail": "email", "telephone": "phone", "online": "online", "web": "online",
    "web form": "online", "mp": "mp", "member of parliament": "mp", "in-person": "in_person",
    "face to face": "in_person",
}
OUTCOMES = {
    "open": "Open", "upheld": "Upheld", "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld", "withdrawn": "Withdrawn",
}
_OUTCOME_WORDS = {
    **{k: k for k in OUTCOMES}, **{v.casefold(): k for k, v in OUTCOMES.items()},
    "partially upheld": "partly_upheld", "part upheld": "partly_upheld",
    "partly-upheld": "partly_upheld", "not-upheld": "not_upheld", "ongoing": "open",
}
STAGES = {1: "Stage 1", 2: "Stage 2"}


def quarter_of(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def quarter_start(label: str) -> dt.date:
    m = re.fullmatch(r"(\d{4}) Q([1-4])", label.strip())
    if not m:
        raise RuleError(f"{label!r} is not a quarter: use 2024 Q2")
    return dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)


def quarter_end(label: str) -> dt.date:
    start = quarter_start(label)
    following = (dt.date(start.year + 1, 1, 1) if start.month == 10
                 else dt.date(start.year, start.month + 3, 1))
    return following - dt.timedelta(days=1)


def quarters_between(first: dt.date, last: dt.date) -> list[str]:
    """Every quarter from the one holding `first` to the one holding `last`, in order."""
    out = []
    year, q = first.year, (first.month - 1) // 3
    while (year, q) <= (last.year, (last.month - 1) // 3):
        out.append(f"{year} Q{q + 1}")
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)
    return out


@dataclass(frozen=True)
class ComplaintFacts:
    received: dt.date
    themes: tuple[str, ...]


@dataclass
class ThemeTable:
    quarters: list[str]
    themes: list[str]  # theme keys, in THEMES order, only those that occur
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (theme, quarter) -> n
    totals: dict[str, int] = field(default_factory=dict)  # complaints per quarter

    def count(self, theme: str, quarter: str) -> int:
        return self.counts.get((theme, quarter), 0)

    def row(self, theme: str) -> list[int]:
        return [self.count(theme, q) for q in self.quarters]


def themes_by_quarter(complaints: Iterable[ComplaintFacts]) -> ThemeTable:
    """Complaints counted per theme per quarter received; every quarter between the first and
    the last is a column, even one with no complaints."""
    items = list(complaints)
    if not items:
        return ThemeTable([], [])
    quarters = quarters_between(min(c.received for c in items), max(c.received for c in items))
    counts: Counter = Counter()
    totals: Counter = Counter()
    for c in items:
        q = quarter_of(c.received)
        totals[q] += 1
        for theme in dict.fromkeys(c.themes):
            counts[theme, q] += 1
    seen = {theme for theme, _ in counts}
    order = [t for t in THEMES if t in seen] + sorted(seen - set(THEMES))
    return ThemeTable(quarters, order, dict(counts), {q: totals[q] for q in quarters})


# ---------------------------------------------------------------------------------------------
# Reading cells
# ---------------------------------------------------------------------------------------------

def _key(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().casefold()


def _choice(value, choices: dict, words: dict, what: str) -> str:
    key = _key(value)
    if key in words:
        return words[key]
    raise RuleError(f"unknown {what} {str(value or '').strip()!r}: use one of "
                    f"{', '.join(choices.values())}")


def read_channel(value) -> str:
    return _choice(value, CHANNELS, _CHANNEL_WORDS, "channel")


def read_outcome(value) -> str:
    """An outcome; blank means open."""
    if not _key(value):
        return "open"
    return _choice(value, OUTCOMES, _OUTCOME_WORDS, "outcome")


def read_stage(value) -> int:
    """1 or 2 ("Stage 1" too); blank means 1."""
    key = _key(value)
    if not key:
        return 1
    key = key.removeprefix("stage").strip()
    if key in ("1", "1.0", "one"):
        return 1
    if key in ("2", "2.0", "two"):
        return 2
    raise RuleError(f"unknown stage {str(value).strip()!r}: use 1 or 2")


def read_themes(value) -> list[str]:
    """Themes separated by commas, semicolons or line breaks, in THEMES order, once each."""
    found = []
    for part in re.split(r"[,;\n|]+", str(value or "")):
        key = _key(part)
        if not key:
            continue
        if key not in _THEME_WORDS:
            raise RuleError(f"unknown theme {part.strip()!r}: use one or more of "
                            f"{', '.join(THEMES.values())}")
        found.append(_THEME_WORDS[key])
    return [t for t in THEMES if t in found]


_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?.*)?")


def read_date(value, *, required: bool = False) -> dt.date | None:
    """A spreadsheet date, ISO text (2025-03-31, with or without a time) or UK text
    (31/03/2025)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RuleError("the date is missing")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if m := _DMY.fullmatch(text):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m := _ISO.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        pass
    raise RuleError(f"{text!r} is not a date: use 2025-03-31 or 31/03/2025")


# ---------------------------------------------------------------------------------------------
# Personal data in a survey export
# ---------------------------------------------------------------------------------------------

# A column whose header (ignoring case, spaces and punctuation) is one of these is personal
# data: the import drops it, with a warning naming the column, and holds nothing from it.
_PERSONAL_HEADER = re.compile(
    r"(respondent'?s? |complainant'?s? |your |child'?s |parent'?s |carer'?s |pupil'?s "
    r"|young person'?s |contact )?"
    r"((first |last |full |given |family |sur)?name|e ?mail( address)?|"
    r"(phone|telephone|mobile)( number)?|(home )?address)|"
    r"post ?code|date of birth|dob|ip address|contact details|nhs number|upn"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def is_personal_header(header) -> bool:
    text = re.sub(r"[^a-z0-9' ]+", " ", _key(header))
    return bool(_PERSONAL_HEADER.fullmatch(re.sub(r"\s+", " ", text).strip()))


def holds_email(value) -> bool:
    return bool(_EMAIL.search(str(value or "")))


_ID_HEADERS = {"respondent id", "respondentid", "response id", "responseid", "id",
               "respondent", "response number", "submission id"}
_TIME_HEADERS = {"timestamp", "submitted", "submitted at", "date submitted", "start date",
                 "end date", "completed", "completion time", "start time", "date"}


def header_role(header) -> str:
    """"id", "timestamp", "personal" or "question"."""
    key = _key(header)
    if key in _ID_HEADERS:
        return "id"
    if key in _TIME_HEADERS:
        return "timestamp"
    if is_personal_header(header):
        return "personal"
    return "question"


# ---------------------------------------------------------------------------------------------
# Survey questions and results
# ---------------------------------------------------------------------------------------------

KINDS = {"agree": "Agree scale", "yes_no": "Yes or no", "choice": "Choice",
         "free_text": "Free text"}
AGREE_SCALE = ("Strongly agree", "Agree", "Neither agree nor disagree", "Disagree",
               "Strongly disagree", "Don't know")
YES_NO = ("Yes", "No", "Don't know")
_AGREE_WORDS = {
    "strongly agree": "Strongly agree", "agree": "Agree", "somewhat agree": "Agree",
    "tend to agree": "Agree", "neither agree nor disagree": "Neither agree nor disagree",
    "neither agree or disagree": "Neither agree nor disagree",
    "neither": "Neither agree nor disagree", "neutral": "Neither agree nor disagree",
    "disagree": "Disagree", "somewhat disagree": "Disagree", "tend to disagree": "Disagree",
    "strongly disagree": "Strongly disagree", "don't know": "Don't know",
    "dont know": "Don't know", "do not know": "Don't know", "not sure": "Don't know",
    "n/a": "Don't know",
}
_YES_WORDS = {"yes": "Yes", "y": "Yes", "no": "No", "n": "No", "don't know": "Don't know",
              "dont know": "Don't know", "not sure": "Don't know", "unsure": "Don't know"}
AGREEING = ("Strongly agree", "Agree")
MAX_CHOICES = 12  # more distinct answers than this is free text
MAX_CHOICE_LENGTH = 80
DETECT_SHARE = 0.8  # a column is a scale when this share of its answers are on the scale


def _norm_answer(value) -> str:
    return _key(value).replace("’", "'")


def canonical(kind: str, value) -> str | None:
    """The answer as the results show it, or None when it is not an answer of that kind."""
    if kind == "agree":
        return _AGREE_WORDS.get(_norm_answer(value))
    if kind == "yes_no":
        return _YES_WORDS.get(_norm_answer(value))
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None


def detect_kind(answers: Iterable[str]) -> str:
    """The kind of a question from its non-blank answers: a scale when at least 80% of them
    are on it (the rest are then errors to fix), else choice when there are at most 12
    distinct short answers and some repeat, else free text."""
    values = [a for a in answers if str(a).strip()]
    if not values:
        return "free_text"
    for kind in ("yes_no", "agree"):
        fitting = sum(canonical(kind, v) is not None for v in values)
        if fitting / len(values) >= DETECT_SHARE:
            return kind
    distinct = {_norm_answer(v) for v in values}
    if (len(distinct) <= MAX_CHOICES and len(distinct) < len(values)
            and all(len(str(v)) <= MAX_CHOICE_LENGTH for v in values)):
        return "choice"
    return "free_text"


def allowed_answers(kind: str) -> tuple[str, ...]:
    return {"agree": AGREE_SCALE, "yes_no": YES_NO}.get(kind, ())


@dataclass(frozen=True)
class AnswerCount:
    answer: str
    count: int
    pct: float | None


@dataclass(frozen=True)
class QuestionResult:
    kind: str
    answered: int
    blank: int
    counts: tuple[AnswerCount, ...]
    headline: float | None  # % agree or strongly agree, or % yes; None for other kinds

    @property
    def headline_label(self) -> str:
        return {"agree": "% agree or strongly agree", "yes_no": "% yes"}.get(self.kind, "")


def question_result(kind: str, answers: Iterable[str | None]) -> QuestionResult:
    """Counts and percentages of one question's answers. Scale answers are listed in scale
    order, every point shown even at 0; choices most common first (then alphabetically); free
    text is counted, never listed. Choices differing only in case are one choice, shown as first
    typed."""
    if kind not in KINDS:
        raise RuleError(f"unknown question kind {kind!r}: use one of {', '.join(KINDS)}")
    given, blank = [], 0
    spelling: dict[str, str] = {}  # a choice typed in another case is the same choice
    for raw in answers:
        if raw is None or not str(raw).strip():
            blank += 1
            continue
        value = canonical(kind, raw)
        if value is None:
            raise RuleError(f"{raw!r} is not an answer to a {KINDS[kind].lower()} question")
        if kind == "choice":
            value = spelling.setdefault(value.casefold(), value)
        given.append(value)
    n = len(given)
    tally = Counter(given)
    if kind in ("agree", "yes_no"):
        order = list(allowed_answers(kind))
    elif kind == "choice":
        order = sorted(tally, key=lambda a: (-tally[a], a.casefold(), a))
    else:
        order = []
    counts = tuple(AnswerCount(a, tally[a], percent(tally[a], n)) for a in order)
    headline = None
    if kind == "agree":
        headline = percent(sum(tally[a] for a in AGREEING), n)
    elif kind == "yes_no":
        headline = percent(tally["Yes"], n)
    return QuestionResult(kind, n, blank, counts, headline)
