"""Voice records out as tables, which `lapis.core.tables` writes as CSV and .xlsx: numbers and
dates as themselves, every text cell neutralised so a spreadsheet never runs it as a formula.

The complaints export has the columns `lapis import_complaints` reads (plus working days and
whether within the standard, which an import ignores), so it imports back unchanged. Survey
results hold counts and percentages only: free-text answers are never exported.
"""

from __future__ import annotations

import datetime as dt

from lapis.core.tables import Table
from lapis.voice import queries, rules
from lapis.voice.importing import COMPLAINT_COLUMNS
from lapis.voice.models import YouSaid

WHATS = ("complaints", "engagement", "you-said")


def complaints_table(partnership, items, as_of: dt.date) -> Table:
    headers = [*COMPLAINT_COLUMNS.values(), "Working days", "Within standard"]
    rows = []
    for c, t in queries.with_timeliness(partnership, items, as_of):
        rows.append([c.reference, c.received, rules.CHANNELS[c.channel], c.service,
                     "; ".join(rules.THEMES.get(x, x) for x in c.themes), c.stage,
                     rules.OUTCOMES[c.outcome], c.responded, t.days_taken, t.label])
    return Table("Complaints", headers, rows)


def survey_table(survey) -> Table:
    headers = ["Question number", "Question", "Kind", "Answer", "Count", "Percent",
               "Answered", "Blank", "Headline"]
    rows = []
    for question, result, _ in queries.survey_results(survey):
        base = [question.number, question.text, rules.KINDS[question.kind]]
        if not result.counts:
            rows.append([*base, "(free text, not exported)" if question.kind == "free_text"
                         else "", None, None, result.answered, result.blank, None])
        for count in result.counts:
            rows.append([*base, count.answer, count.count, count.pct, result.answered,
                         result.blank, result.headline])
    return Table("Survey results", headers, rows)


def engagement_table(items) -> Table:
    headers = ["Group", "Date", "Kind", "Hours", "Participants", "Topic", "Linked actions"]
    rows = [[e.group, e.held, e.get_kind_display(), e.hours, e.participants, e.topic,
             ", ".join(a.ref for a in sorted(e.actions.all(), key=lambda a: a.ref_key))]
            for e in items]
    return Table("Engagement", headers, rows)


def you_said_table(items) -> Table:
    headers = ["You said", "Source", "Date said", "We did", "Date done", "Status",
               "Published", "Linked actions"]
    rows = [[y.said, y.get_source_display(), y.said_on, y.did, y.did_on,
             y.get_status_display(), y.publish,
             ", ".join(a.ref for a in sorted(y.actions.all(), key=lambda a: a.ref_key))]
            for y in items]
    return Table("You said, we did", headers, rows)


def table(what: str, partnership, as_of: dt.date) -> Table:
    if what == "complaints":
        return complaints_table(partnership, queries.complaints(partnership), as_of)
    if what == "engagement":
        return engagement_table(queries.engagements(partnership))
    if what == "you-said":
        return you_said_table(YouSaid.objects.filter(partnership=partnership)
                              .prefetch_related("actions").order_by("-said_on", "pk"))
    raise ValueError(f"unknown export {what!r}: use one of {', '.join(WHATS)}")
