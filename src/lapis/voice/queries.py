"""Figures the pages, the API, the exports and the feed share (reads only)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from lapis.voice import rules
from lapis.voice.actions import settings_for
from lapis.voice.models import Answer, Complaint, Engagement, Survey


def complaints(partnership):
    return list(Complaint.objects.filter(partnership=partnership).order_by("-received",
                                                                              "reference"))


def theme_table(items) -> rules.ThemeTable:
    return rules.themes_by_quarter(rules.ComplaintFacts(c.received, tuple(c.themes))
                                   for c in items)


def with_timeliness(partnership, items, as_of: dt.date):
    standards = settings_for(partnership)
    return [(c, c.timeliness(standards.standard(c.stage), as_of)) for c in items]


@dataclass
class QuarterTimeliness:
    quarter: str
    received: int
    counted: int
    within: int
    pct: float | None


def timeliness_by_quarter(partnership, items, as_of: dt.date) -> list[QuarterTimeliness]:
    groups = defaultdict(list)
    for complaint, t in with_timeliness(partnership, items, as_of):
        groups[rules.quarter_of(complaint.received)].append(t)
    if not groups:
        return []
    quarters = rules.quarters_between(rules.quarter_start(min(groups)),
                                      rules.quarter_start(max(groups)))
    out = []
    for q in quarters:
        summary = rules.summarise_timeliness(groups.get(q, []))
        out.append(QuarterTimeliness(q, len(groups.get(q, [])), summary.counted,
                                     summary.within, summary.pct))
    return out


def survey_results(survey: Survey):
    """[(question, QuestionResult, free-text answers)] in question order."""
    answers = defaultdict(list)
    for question_id, value in Answer.objects.filter(question__survey=survey).values_list(
            "question_id", "value").order_by("pk"):
        answers[question_id].append(value)
    total = survey.responses.count()
    out = []
    for question in survey.questions.order_by("number"):
        given = answers.get(question.pk, [])
        result = rules.question_result(question.kind,
                                       given + [None] * (total - len(given)))
        out.append((question, result, given if question.kind == "free_text" else []))
    return out


@dataclass
class EngagementQuarter:
    quarter: str
    sessions: int
    meetings: int
    hours: Decimal
    participants: int
    groups: int


def engagement_by_quarter(items) -> list[EngagementQuarter]:
    groups = defaultdict(list)
    for e in items:
        groups[rules.quarter_of(e.held)].append(e)
    if not groups:
        return []
    quarters = rules.quarters_between(rules.quarter_start(min(groups)),
                                      rules.quarter_start(max(groups)))
    return [EngagementQuarter(
        q, len(groups.get(q, [])),
        sum(e.kind == "meeting" for e in groups.get(q, [])),
        sum((e.hours for e in groups.get(q, [])), Decimal(0)),
        sum(e.participants for e in groups.get(q, [])),
        len({e.group.casefold() for e in groups.get(q, [])})) for q in quarters]


def engagements(partnership):
    return list(Engagement.objects.filter(partnership=partnership)
                .prefetch_related("actions").order_by("-held", "pk"))
