"""Audits written out: JSON (the API's shape), CSV and .xlsx.

The CSV and the workbook have one row per grade, led by the columns `lapis import_audits`
reads (audit_id, plan_id, audit_date, auditor, agency, section, grade), then how the grade was
reached and the audit's other details. Scores are numbers, dates are dates, and every text
cell is neutralised so that a spreadsheet never runs it as a formula. Plan IDs are left empty
for someone who may not see them.
"""

from __future__ import annotations

import datetime as dt

from lapis.core import tables
from lapis.quality.actions import OVERALL, shown_score
from lapis.quality.models import Audit

SHEET = "Audits"
HEADERS = ["audit_id", "plan_id", "audit_date", "auditor", "agency", "section", "grade",
           "method", "score", "framework", "phase", "need", "team", "moderates"]


def _section_order(audit: Audit) -> dict[str, int]:
    return {s.code: n for n, s in enumerate(audit.framework.sections.all())}


def rows(audits, *, show_plan_ids: bool) -> list[list]:
    found = []
    for audit in audits:
        order = _section_order(audit)
        grades = sorted(audit.grades.all(),
                        key=lambda g: (g.section == OVERALL, order.get(g.section, 999)))
        for grade in grades:
            found.append([
                audit.audit_id, audit.plan_id if show_plan_ids else "", audit.audit_date,
                audit.auditor, audit.agency, grade.section, grade.grade, grade.method,
                float(grade.score) if grade.score is not None else None,
                str(audit.framework), audit.phase, audit.need, audit.team,
                audit.moderates.audit_id if audit.moderates_id else ""])
    return found


def for_export(queryset):
    return queryset.select_related("framework", "moderates").prefetch_related(
        "grades", "framework__sections")


def table(audits, *, show_plan_ids: bool) -> tables.Table:
    return tables.Table(SHEET, HEADERS, rows(audits, show_plan_ids=show_plan_ids),
                        widths=[24 if name == "framework" else 14 for name in HEADERS])


def to_csv(audits, *, show_plan_ids: bool) -> str:
    return tables.csv_text(table(audits, show_plan_ids=show_plan_ids))


def to_xlsx(audits, stream, *, show_plan_ids: bool) -> None:
    tables.write_xlsx(table(audits, show_plan_ids=show_plan_ids), stream)


def audit_json(audit: Audit, *, show_plan_ids: bool, detail: bool = False) -> dict:
    order = _section_order(audit)
    grades = sorted(audit.grades.all(),
                    key=lambda g: (g.section == OVERALL, order.get(g.section, 999)))
    data = {
        "id": audit.pk,
        "audit_id": audit.audit_id,
        "plan_id": audit.plan_id if show_plan_ids else None,
        "audit_date": audit.audit_date.isoformat(),
        "framework": {"id": audit.framework_id, "key": audit.framework.key,
                      "version": audit.framework.version},
        "auditor": audit.auditor,
        "agency": audit.agency,
        "phase": audit.phase,
        "need": audit.need,
        "team": audit.team,
        "sample": audit.sample_id,
        "moderates": audit.moderates_id,
        "grades": [{"section": g.section, "grade": g.grade, "method": g.method,
                    "score": float(g.score) if g.score is not None else None,
                    "score_shown": shown_score(g.score)} for g in grades],
        "version": audit.version,
    }
    if detail:
        data["notes"] = audit.notes
        data["scores"] = [{"criterion": s.criterion.code, "criterion_id": s.criterion_id,
                           "score": s.score,
                           "label": audit.framework.scale[s.score]
                           if s.score < len(audit.framework.scale) else ""}
                          for s in audit.scores.select_related("criterion")
                          .order_by("criterion__section__position", "criterion__position")]
        data["findings"] = [finding_json(f) for f in audit.findings.prefetch_related("themes")
                            .order_by("pk")]
        data["follow_ups"] = [follow_up_json(f) for f in audit.follow_ups.select_related(
            "owner")]
        data["moderations"] = [m.pk for m in audit.moderations.order_by("pk")]
    return data


def finding_json(finding) -> dict:
    return {"id": finding.pk, "audit": finding.audit_id, "section": finding.section,
            "kind": finding.kind, "text": finding.text,
            "themes": sorted(t.name for t in finding.themes.all())}


def follow_up_json(follow_up) -> dict:
    return {"id": follow_up.pk, "audit": follow_up.audit_id, "kind": follow_up.kind,
            "description": follow_up.description, "owner": follow_up.owner.name,
            "due": follow_up.due.isoformat(),
            "done": follow_up.done.isoformat() if follow_up.done else None,
            "overdue": follow_up.done is None and follow_up.due < dt.date.today(),
            "version": follow_up.version}
