"""The quarterly QA report from the database: the audits as plain records, the pure
computation in `lapis.quality.rules.quarter_report`, and the report as JSON, text, CSV, XLSX,
HTML and tagged PDF. The command, the page and the API all build it here, so they agree.

A quarter is a calendar quarter: "2024Q2" is April to June 2024. An audit counts in the
quarter of its audit date; a plan audited twice in a quarter counts once, with the grades of
its latest audit (by date, then audit_id); moderation gradings are left out of the counts and
used only for the agreement rate.
"""

from __future__ import annotations

import copy
import datetime as dt

from django.template.loader import render_to_string

from lapis.core import tables
from lapis.quality import frameworks, rules
from lapis.quality.models import Audit, FollowUp, Framework, Theme

KIND_LABELS = {"amend": "Amend the plan", "reaudit": "Re-audit", "training": "Training",
               "other": "Other"}
BREAKDOWNS = (("by_agency", "Agency"), ("by_phase", "Phase"), ("by_need", "Need"))


def framework_named(key: str | None, partnership=None) -> Framework | None:
    """A framework by key (default the EHC plan one), the partnership's own before a shared
    one, the latest version."""
    key = key or frameworks.EHC_PLAN_KEY
    found = Framework.objects.filter(key=key)
    own = found.filter(partnership=partnership).order_by("-version").first() \
        if partnership else None
    return own or found.filter(partnership=None).order_by("-version").first()


def audit_records(partnership, framework: Framework) -> list[rules.AuditRecord]:
    audits = (Audit.objects.filter(partnership=partnership, framework=framework)
              .select_related("moderates").prefetch_related("grades", "findings__themes"))
    return [rules.AuditRecord(
        audit_id=a.audit_id, plan_id=a.plan_id, audit_date=a.audit_date,
        grades={g.section: g.grade for g in a.grades.all()}, agency=a.agency, phase=a.phase,
        need=a.need, moderates=a.moderates.audit_id if a.moderates else None,
        themes=tuple(sorted({t.name for f in a.findings.all() for t in f.themes.all()})))
        for a in audits]


def follow_up_records(partnership, framework: Framework) -> list[rules.FollowUpRecord]:
    items = (FollowUp.objects.filter(audit__partnership=partnership,
                                     audit__framework=framework)
             .select_related("audit", "owner"))
    return [rules.FollowUpRecord(
        audit_id=f.audit.audit_id, plan_id=f.audit.plan_id, audit_date=f.audit.audit_date,
        kind=f.kind, description=f.description, owner=f.owner.name, due=f.due, done=f.done)
        for f in items]


def build(partnership, quarter: rules.Quarter, *, framework: Framework | None = None,
          as_of: dt.date | None = None) -> dict:
    """The report as JSON-ready data, for one partnership and quarter; with `as_of`, as it
    stood that day (audits dated later are left out, as in a board pack dated in the past)."""
    framework = framework or framework_named(None)
    sections = list(framework.sections.order_by("position").values_list("code", flat=True))
    records = [r for r in audit_records(partnership, framework)
               if as_of is None or r.audit_date <= as_of]
    report = rules.quarter_report(records, quarter, sections,
                                  follow_up_items=follow_up_records(partnership, framework),
                                  as_of=as_of)
    actions = {t.name: t.action for t in
               Theme.objects.filter(partnership=partnership).select_related("action")}
    for row in report["themes"]:
        action = actions.get(row["theme"])
        row["action"] = action.ref if action else None
    return {**report, "partnership": partnership.name,
            "framework": {"key": framework.key, "name": framework.name,
                          "version": framework.version},
            "section_titles": dict(framework.sections.values_list("code", "title"))}


def without_plan_ids(report: dict) -> dict:
    """The report for a member who may not see case-level data: follow-ups without their
    audit and plan IDs."""
    shown = copy.deepcopy(report)
    for item in shown["follow_ups"]["items"]:
        item.pop("plan_id", None)
        item.pop("audit_id", None)
    return shown


# ---------------------------------------------------------------------------------------------
# Presenting
# ---------------------------------------------------------------------------------------------

def _pct(value) -> str:
    return "no audits" if value is None else f"{value:.1f}%"


def context(report: dict) -> dict:
    """What the page, the PDF and the text need: rows ready to show, and the change in words."""
    previous = report["previous"]
    titles = report["section_titles"]
    sections = [{"code": code, "title": titles.get(code, code), **figures,
                 "previous": previous["sections"][code],
                 "change": report["change"]["sections"][code]}
                for code, figures in report["sections"].items()]
    breakdowns = [{"key": key, "label": label, "rows": [
        {"value": value, **figures} for value, figures in report[key].items()]}
        for key, label in BREAKDOWNS if report[key]]
    quarter = rules.Quarter.parse(report["quarter"])
    return {
        "r": report, "quarter": quarter, "months": quarter.months,
        "previous_quarter": quarter.previous(),
        "grades": [{"grade": g, "count": report["overall"][g],
                    "previous": previous["overall"][g]} for g in rules.GRADES],
        "sections": sections, "breakdowns": breakdowns,
        "change_words": rules.change_in_words(report["change"]["good_or_better_points"],
                                              previous["quarter"],
                                              previous["good_or_better_pct"]),
        "follow_up_items": [{**item, "kind_label": KIND_LABELS.get(item["kind"], item["kind"])}
                            for item in report["follow_ups"]["items"]],
        "plan_ids": any("plan_id" in item for item in report["follow_ups"]["items"]),
    }


def to_text(report: dict) -> str:
    c = context(report)
    lines = [f"EHC plan audits, {report['quarter']} ({c['months']}): {report['partnership']}",
             f"Framework: {report['framework']['name']} ({report['framework']['version']})", ""]
    if not report["audits"]:
        lines.append("No audits in this quarter.")
    else:
        lines.append(f"Plans audited: {report['audits']}")
        lines.append(f"Good or better: {_pct(report['good_or_better_pct'])} "
                     f"({report['good_or_better']} of {sum(report['overall'].values())})")
    lines.append(c["change_words"])
    lines += ["", "Overall grades (this quarter, previous quarter):"]
    lines += [f"  {g['grade']:<22} {g['count']:>5} {g['previous']:>5}" for g in c["grades"]]
    lines += ["", "Sections (plans graded, % good or better, previous %):"]
    for s in c["sections"]:
        lines.append(f"  {s['code']:<4} {s['title'][:48]:<48} {s['audits']:>4} "
                     f"{_pct(s['good_or_better_pct']):>10} "
                     f"{_pct(s['previous']['good_or_better_pct']):>10}")
    a = report["agreement"]
    lines += ["", f"Moderation: {a['moderated']} audits moderated, {a['agreed']} agreed "
                  f"({_pct(a['agreement_pct'])})."]
    for b in c["breakdowns"]:
        lines += ["", f"By {b['label'].lower()} (plans, % good or better):"]
        lines += [f"  {row['value'][:40]:<40} {row['audits']:>4} "
                  f"{_pct(row['good_or_better_pct']):>10}" for row in b["rows"]]
    lines += ["", "Themes of findings (audits this quarter, previous quarter):"]
    if not report["themes"]:
        lines.append("  none recorded")
    for t in report["themes"]:
        mark = " (recurring)" if t["recurring"] else ""
        action = f", action {t['action']}" if t["action"] else ""
        lines.append(f"  {t['theme']}: {t['audits']}, {t['previous_audits']}{mark}{action}")
    f = report["follow_ups"]
    lines += ["", f"Follow-ups: {f['total']}, {f['done']} done, {f['open']} open, "
                  f"{f['overdue']} overdue (as of {f['as_of']})."]
    for item in c["follow_up_items"]:
        plan = f" plan {item['plan_id']}," if "plan_id" in item else ""
        late = " OVERDUE" if item["overdue"] else ""
        lines.append(f"  due {item['due']}{late}:{plan} {item['kind_label']}: "
                     f"{item['description']} ({item['owner']})")
    return "\n".join(lines) + "\n"


def table_rows(report: dict) -> list[list]:
    """The report as one table (for CSV and XLSX): measure, group, quarter and previous
    figures, numbers as numbers."""
    previous = report["previous"]
    quarter, before = report["quarter"], previous["quarter"]
    rows = [["Measure", "Group", f"{quarter} plans", f"{quarter} % good or better",
             f"{before} plans", f"{before} % good or better", "Change (points)"]]
    rows.append(["Overall", "All plans", report["audits"], report["good_or_better_pct"],
                 previous["audits"], previous["good_or_better_pct"],
                 report["change"]["good_or_better_points"]])
    for grade in rules.GRADES:
        rows.append(["Overall grade", grade, report["overall"][grade], None,
                     previous["overall"][grade], None, None])
    for code, figures in report["sections"].items():
        rows.append(["Section", f"{code}: {report['section_titles'].get(code, code)}",
                     figures["audits"], figures["good_or_better_pct"],
                     previous["sections"][code]["audits"],
                     previous["sections"][code]["good_or_better_pct"],
                     report["change"]["sections"][code]])
    for key, label in BREAKDOWNS:
        for value, figures in report[key].items():
            rows.append([label, value, figures["audits"], figures["good_or_better_pct"],
                         None, None, None])
    agreement = report["agreement"]
    rows.append(["Moderation agreement", f"{agreement['agreed']} of {agreement['moderated']}",
                 agreement["moderated"], agreement["agreement_pct"], None, None, None])
    for theme in report["themes"]:
        rows.append(["Theme" + (" (recurring)" if theme["recurring"] else ""), theme["theme"],
                     theme["audits"], None, theme["previous_audits"], None, None])
    follow = report["follow_ups"]
    rows.append(["Follow-ups open", f"{follow['overdue']} overdue", follow["open"], None,
                 None, None, None])
    return rows


def table(report: dict) -> tables.Table:
    header, *rows = table_rows(report)
    # Percentages and changes to one decimal place.
    return tables.Table(f"QA {report['quarter']}", header, rows,
                        widths=[22, 60, 12, 14, 12, 14, 12],
                        number_formats={3: "0.0", 5: "0.0", 6: "0.0"})


def to_csv(report: dict) -> str:
    return tables.csv_text(table(report))


def to_xlsx(report: dict, stream) -> None:
    tables.write_xlsx(table(report), stream)


def to_html(report: dict) -> str:
    """A standalone, accessible document (what the PDF is made from)."""
    return render_to_string("quality/report_document.html", context(report))


def to_pdf(report: dict, *, uncompressed: bool = False) -> bytes:
    """A tagged PDF (PDF/UA-1: structure tags, title, language), as the board packs do."""
    from weasyprint import HTML

    return HTML(string=to_html(report)).write_pdf(pdf_variant="pdf/ua-1",
                                                  uncompressed_pdf=uncompressed)
