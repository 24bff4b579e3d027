"""Consistency checks for a SEF: plain data in, problems out (no database here).

`lapis.sef.queries.sef_facts` reads the records into these shapes; the command, the page and
the tests all judge them here. The checks:

- every action a priority or an AFI links to, or a text cites as "IP 4.6", exists in the plan;
- no cited action is closed without a closure record (an approved close or move-to-BAU change
  request, or the closed flag from the imported register);
- every indicator an evidence item cites has a value for the period it states, and the figure
  the text quotes matches that value to the precision it is quoted at;
- every area with content has evidence and at least one linked action (an area with no
  content yet is listed as not started, not as a problem);
- every area for improvement (AFI) maps to at least one action and one measure (indicator).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

CITED_REF = re.compile(r"\bIP\s*(\d+(?:\.\d+)*[a-z]?)", re.IGNORECASE)


@dataclass(frozen=True)
class ActionFact:
    ref: str
    closed_status: bool  # its status is in the "closed" family, or the closed flag is set
    closure_record: bool  # an approved close/BAU change request, or the import's closed flag


@dataclass(frozen=True)
class FigureFact:
    where: str  # "Evidence 1.7"
    indicator: str
    period: str
    figure: float | None
    value: float | None  # the indicator's value for the period; None when there is none


@dataclass(frozen=True)
class PriorityFact:
    where: str
    text: str
    linked: tuple[str, ...]  # refs of the linked actions


@dataclass(frozen=True)
class AreaFact:
    number: int
    title: str
    has_content: bool
    evidence: int
    priorities: tuple[PriorityFact, ...] = ()
    figures: tuple[FigureFact, ...] = ()
    cited_in_evidence: tuple[tuple[str, str], ...] = ()  # (where, text) of evidence items


@dataclass(frozen=True)
class AfiFact:
    code: str
    actions: tuple[str, ...]
    indicators: int


@dataclass(frozen=True)
class SefFacts:
    partnership: str
    actions: dict[str, ActionFact]  # every action of the partnership's plans, by ref
    areas: tuple[AreaFact, ...]
    afis: tuple[AfiFact, ...] = ()


@dataclass(frozen=True)
class Problem:
    kind: str
    where: str
    message: str


KINDS = {
    "missing_action": "Cites an action that is not in the plan",
    "closed_without_record": "Cites an action closed without a closure record",
    "no_value": "Cites an indicator with no value for the stated period",
    "figure_mismatch": "Quotes a figure that does not match the indicator",
    "no_evidence": "Area has no evidence",
    "no_action": "Area has no linked action",
    "afi_no_action": "Area for improvement has no action",
    "afi_no_measure": "Area for improvement has no measure",
}


@dataclass
class Report:
    partnership: str
    problems: list[Problem] = field(default_factory=list)
    not_started: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict:
        return {"partnership": self.partnership, "ok": self.ok,
                "problems": [asdict(p) for p in self.problems],
                "not_started": self.not_started}


def cited_refs(text: str) -> list[str]:
    """'... to 50% (IP 4.6)' -> ['4.6']"""
    return [m.group(1) for m in CITED_REF.finditer(text or "")]


def figure_matches(figure: float, value: float) -> bool:
    """Does the quoted figure equal the value rounded to the places the figure is quoted at?
    28 matches 27.6 and 28.4; 27.6 matches 27.63 but not 27.7."""
    places = max(0, -Decimal(repr(float(figure))).normalize().as_tuple().exponent)
    return abs(value - figure) <= 0.5 * 10 ** -places + 1e-9


def _action_problems(refs, where, actions) -> list[Problem]:
    problems = []
    for ref in refs:
        found = actions.get(ref)
        if found is None:
            problems.append(Problem("missing_action", where,
                                    f"{where} cites action {ref}, which is not in the plan"))
        elif found.closed_status and not found.closure_record:
            problems.append(Problem(
                "closed_without_record", where,
                f"{where} cites action {ref}, which is closed without a closure record "
                "(no approved change request to close it or move it to business as usual)"))
    return problems


def check(facts: SefFacts) -> Report:
    report = Report(facts.partnership)
    add = report.problems.extend
    for area in facts.areas:
        label = f"Area {area.number}"
        if not area.has_content:
            report.not_started.append(f"{label}. {area.title}")
            continue
        if area.evidence == 0:
            add([Problem("no_evidence", label, f"{label} has no evidence items")])
        if not any(p.linked for p in area.priorities):
            add([Problem("no_action", label,
                         f"{label} has no improvement priority linked to a plan action")])
        for priority in area.priorities:
            refs = list(dict.fromkeys([*priority.linked, *cited_refs(priority.text)]))
            add(_action_problems(refs, priority.where, facts.actions))
        for where, text in area.cited_in_evidence:
            add(_action_problems(list(dict.fromkeys(cited_refs(text))), where, facts.actions))
        for figure in area.figures:
            if figure.value is None:
                add([Problem("no_value", figure.where,
                             f"{figure.where} cites {figure.indicator} for "
                             f"{figure.period or 'no stated period'}, which has no value")])
            elif figure.figure is not None and not figure_matches(figure.figure, figure.value):
                add([Problem("figure_mismatch", figure.where,
                             f"{figure.where} quotes {figure.figure:g} but {figure.indicator} "
                             f"for {figure.period} is {figure.value:g}")])
    for afi in facts.afis:
        if not afi.actions:
            add([Problem("afi_no_action", afi.code, f"{afi.code} maps to no plan action")])
        add(_action_problems(afi.actions, afi.code, facts.actions))
        if not afi.indicators:
            add([Problem("afi_no_measure", afi.code, f"{afi.code} has no measure (indicator)")])
    return report


def as_text(report: Report) -> str:
    lines = [f"SEF check for {report.partnership}: "
             + ("no problems" if report.ok else f"{len(report.problems)} problem(s)")]
    lines += [f"- [{p.kind}] {p.message}" for p in report.problems]
    if report.not_started:
        lines.append(f"Not started ({len(report.not_started)} area(s) with no content yet):")
        lines += [f"- {name}" for name in report.not_started]
    return "\n".join(lines)
