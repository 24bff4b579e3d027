"""Drawing a month's sample of EHC plans to audit.

`draw` is pure: it filters the candidates by phase, need and team, puts them in plan ID order
and picks `size` of them with `random.Random(seed)`, so the same candidates and the same seed
always give the same sample (the seed is stored with the sample, so a draw can be checked).

The candidates come either from the partnership's case data (`live_plans`) or from a list
pasted by the auditor (`parse_pasted`, one plan a line: `plan_id,phase,need,team`).

A plan is live in a month when it started on or before the month's last day and did not
cease before the month's first day.

The phase rule (`phase_for`): a child's phase follows their age on 31 August at the start of
the academic year (1 September to 31 August) that holds the audited month, the age that places
a child in a school year group. Only the month of birth is known, which is enough: someone born
September to December of year Y is A - Y - 1 on 31 August of year A, someone born January to
August is A - Y.

    under 4        Early years  (before Reception)
    4 to 10        Primary      (Reception to Year 6)
    11 to 15       Secondary    (Years 7 to 11)
    16 to 18       Post-16      (Years 12 to 14)
    19 and over    Post-19      (to the end of the plan, at most 25)

The need is the person's primary need (rank 1 of SEN2's ranked needs), as its SEN2 code.
The case data holds no team, so a plan drawn from it has none; a pasted list may name one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EARLY_YEARS = "Early years"
PRIMARY = "Primary"
SECONDARY = "Secondary"
POST_16 = "Post-16"
POST_19 = "Post-19"
PHASES = (EARLY_YEARS, PRIMARY, SECONDARY, POST_16, POST_19)
PHASE_FROM = ((19, POST_19), (16, POST_16), (11, SECONDARY), (4, PRIMARY))  # highest first

MAX_SIZE = 500
MAX_PASTED = 5000


@dataclass(frozen=True)
class Candidate:
    plan_id: str
    phase: str = ""
    need: str = ""
    team: str = ""


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def academic_age(birth_month: dt.date, month: dt.date) -> int:
    """Age on 31 August at the start of the academic year that holds `month`."""
    year = month.year if month.month >= 9 else month.year - 1
    return year - birth_month.year - (1 if birth_month.month >= 9 else 0)


def phase_for(birth_month: dt.date | None, month: dt.date) -> str:
    """The phase of education in `month` of someone born in `birth_month` ("" if unknown)."""
    if birth_month is None:
        return ""
    age = academic_age(birth_month, month)
    for low, phase in PHASE_FROM:
        if age >= low:
            return phase
    return EARLY_YEARS


def is_live(start: dt.date, cease: dt.date | None, month: dt.date) -> bool:
    return start <= month_end(month) and (cease is None or cease >= month_start(month))


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def matching(candidates: Iterable[Candidate], *, phase: str = "", need: str = "",
             team: str = "") -> list[Candidate]:
    """The candidates that match every filter given (ignoring case), in plan ID order."""
    kept = [c for c in candidates
            if (not phase or _same(c.phase, phase)) and (not need or _same(c.need, need))
            and (not team or _same(c.team, team))]
    return sorted(kept, key=lambda c: c.plan_id)


def draw(candidates: Sequence[Candidate], size: int, seed: int, *, phase: str = "",
         need: str = "", team: str = "") -> list[Candidate]:
    """`size` candidates chosen at random with `seed` (all of them if there are fewer), in the
    order drawn. The same input and seed always give the same sample."""
    if size < 1:
        raise ValueError("a sample needs at least one plan")
    pool = matching(candidates, phase=phase, need=need, team=team)
    return random.Random(seed).sample(pool, min(size, len(pool)))


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)


def parse_pasted(text: str) -> tuple[list[Candidate], list[str]]:
    """Plans pasted one a line, `plan_id,phase,need,team` (only the plan ID is needed; a first
    line starting "plan_id" is a header). Returns the candidates and a message per bad line."""
    found: list[Candidate] = []
    problems: list[str] = []
    seen: set[str] = set()
    lines = (text or "").splitlines()
    if len(lines) > MAX_PASTED:
        return [], [f"Paste at most {MAX_PASTED} plans; there are {len(lines)} lines"]
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",")]
        if number == 1 and parts[0].casefold().replace(" ", "_") == "plan_id":
            continue
        if len(parts) > 4:
            problems.append(f"Line {number}: expected plan_id,phase,need,team but found "
                            f"{len(parts)} values")
            continue
        parts += [""] * (4 - len(parts))
        plan_id, phase, need, team = parts
        if not plan_id:
            problems.append(f"Line {number}: the plan ID is missing")
        elif len(plan_id) > 100:
            problems.append(f"Line {number}: the plan ID is longer than 100 characters")
        elif plan_id.casefold() in seen:
            problems.append(f"Line {number}: plan {plan_id} is listed twice")
        elif len(phase) > 40 or len(need) > 60 or len(team) > 100:
            problems.append(f"Line {number}: phase, need or team is too long")
        else:
            seen.add(plan_id.casefold())
            found.append(Candidate(plan_id, phase, need, team))
    if not found and not problems:
        problems.append("Paste at least one plan ID")
    return found, problems


def live_plans(partnership_id: int, month: dt.date) -> list[Candidate]:
    """The partnership's EHC plans live in `month`, from its case data, with phase and primary
    need (no team: the case data holds none)."""
    from lapis.cases.models import CaseNeed, CasePlan

    start, end = month_start(month), month_end(month)
    live = (CasePlan.objects.filter(partnership_id=partnership_id, start__lte=end)
            .exclude(cease__lt=start))
    plans = list(live.values_list("plan_id", "person_id", "person__birth_month"))
    needs = dict(CaseNeed.objects.filter(partnership_id=partnership_id, rank=1,
                                         person_id__in=live.values("person_id"))
                 .values_list("person_id", "sen_type"))
    return [Candidate(plan_id, phase_for(birth, month), needs.get(person, ""))
            for plan_id, person, birth in plans]
