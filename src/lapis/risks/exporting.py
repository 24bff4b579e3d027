"""Write the risk register out: JSON (the API's shape), CSV and .xlsx.

The CSV and the workbook have the columns `lapis import_risks` reads, so an export imports
back unchanged; the scores and ratings are added at the end for readers (an import ignores
them). Every text cell is neutralised so that a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import datetime as dt

from lapis.core import tables
from lapis.risks import rules
from lapis.risks.models import Risk

SHEET = "Risk register"
HEADERS = [*rules.COLUMNS.values(), "Inherent score", "Inherent rating", "Residual score",
           "Residual rating"]


def register(partnership) -> list[Risk]:
    return list(Risk.objects.filter(partnership=partnership).select_related("owner")
                .prefetch_related("actions").order_by("code_key"))


def _refs(risk: Risk) -> list[str]:
    return [a.ref for a in sorted(risk.actions.all(), key=lambda a: a.ref_key)]


def risk_json(risk: Risk, as_of: dt.date | None = None) -> dict:
    as_of = as_of or dt.date.today()
    return {
        "id": risk.pk,
        "code": risk.code,
        "title": risk.title,
        "description": risk.description,
        "owner": risk.owner.name if risk.owner else None,
        "inherent": {"likelihood": risk.inherent_likelihood, "impact": risk.inherent_impact,
                     "score": risk.inherent_score, "rating": risk.inherent_band.label},
        "residual": {"likelihood": risk.residual_likelihood, "impact": risk.residual_impact,
                     "score": risk.residual_score, "rating": risk.residual_band.label},
        "response": risk.response,
        "trend": risk.trend,
        "review_date": risk.review_date.isoformat() if risk.review_date else None,
        "review_overdue": risk.review_overdue(as_of),
        "actions": _refs(risk),
        "measures": risk.measures,
        "status": risk.status,
        "version": risk.version,
    }


def register_json(partnership, risks=None) -> dict:
    return {
        "partnership": partnership.name,
        "bands": [{"key": b.key, "label": b.label, "low": b.low, "high": b.high}
                  for b in rules.BANDS],
        "risks": [risk_json(r) for r in (risks if risks is not None else register(partnership))],
    }


def _row(risk: Risk) -> list:
    return [
        risk.code, risk.title, risk.description, risk.owner.name if risk.owner else "",
        risk.inherent_likelihood, risk.inherent_impact, risk.residual_likelihood,
        risk.residual_impact, rules.RESPONSES[risk.response], rules.TRENDS[risk.trend],
        risk.review_date, "; ".join(_refs(risk)), risk.measures, rules.STATUSES[risk.status],
        risk.inherent_score, risk.inherent_band.label, risk.residual_score,
        risk.residual_band.label,
    ]


def table(partnership) -> tables.Table:
    widths = {"code": 10, "title": 40, "description": 50, "measures": 50, "actions": 20}
    return tables.Table(SHEET, HEADERS, [_row(risk) for risk in register(partnership)],
                        widths=[widths.get(name, 14) for name in [*rules.COLUMNS, "a", "b",
                                                                  "c", "d"]],
                        freeze="B2", wrap=True)


def to_csv(partnership) -> str:
    return tables.csv_text(table(partnership))


def to_xlsx(partnership, stream) -> None:
    tables.write_xlsx(table(partnership), stream)
