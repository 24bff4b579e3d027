"""The SEF document, written from the records: HTML (also the source of the PDF) and DOCX.

`content(partnership)` gathers everything once: one section per framework area in framework
order, its big picture and judgement, numbered evidence with sources, improvement priorities
with their action refs and each action's *current* status from the plan, and the linked
indicators' latest values from `scorecard.queries.scorecard` (value, England, gap, quartile).
The PDF is WeasyPrint's rendering of the same HTML, as a tagged PDF/UA-1 document.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from lapis.scorecard.models import Area
from lapis.scorecard.queries import scorecard as scorecard_lines
from lapis.scorecard.queries import shown
from lapis.sef import queries

LANGUAGE = "en-GB"


class _Reader:
    """Commands have no signed-in user: the document reads as the system, for one area."""

    is_authenticated = True
    is_superuser = True


@dataclass
class PriorityRow:
    text: str
    actions: list[tuple[str, str]]  # (ref, current status label)


@dataclass
class IndicatorRow:
    name: str
    period: str
    value: str
    england: str
    gap: str
    quartile: str


@dataclass
class Section:
    number: int
    title: str
    judgement: str
    big_picture: list[str]
    strengths: list[tuple[str, str, str]] = field(default_factory=list)  # number, text, source
    developments: list[tuple[str, str, str]] = field(default_factory=list)
    priorities: list[PriorityRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def anchor(self):
        return f"area-{self.number}"


@dataclass
class Document:
    partnership: str
    framework: str
    generated: dt.date
    sections: list[Section]
    language: str = LANGUAGE

    @property
    def title(self):
        return f"{self.partnership} local area SEND self-evaluation"


def _source(item) -> str:
    parts = [item.get_source_kind_display()]
    if item.source:
        parts.append(item.source)
    if item.indicator_id:
        parts.append(f"{item.indicator.name}, {item.period}")
    return ": ".join(parts[:2]) + ("; " + parts[2] if len(parts) > 2 else "")


def _indicator_rows(indicators, partnership, user) -> list[IndicatorRow]:
    area = Area.objects.filter(code=partnership.la_code).first() if partnership.la_code else None
    if area is None or not indicators:
        return []
    rows = []
    for line in scorecard_lines(indicators, area, user=user, partnership=partnership):
        gap = "" if line.gap_england is None else f"{line.gap_england:+.1f}"
        rows.append(IndicatorRow(
            name=line.name, period=line.period or "no figures", value=shown(line.value,
                                                                          line.unit),
            england="" if line.england is None else shown(line.england, line.unit),
            gap=gap, quartile=line.quartile or ""))
    return rows


def content(partnership, *, user=None, today: dt.date | None = None) -> Document:
    user = user or _Reader()
    sections = []
    framework = None
    for sef_area in queries.areas(partnership):
        framework = sef_area.area.framework
        section = Section(number=sef_area.area.number, title=sef_area.area.title,
                          judgement=sef_area.get_judgement_display() or "Not yet judged",
                          big_picture=sef_area.paragraphs())
        cited = []
        for item in sef_area.evidence.all():
            row = (item.number, item.text, _source(item))
            (section.strengths if item.kind == "strength" else section.developments).append(row)
            if item.indicator_id and item.indicator not in cited:
                cited.append(item.indicator)
        for priority in sef_area.priorities.all():
            section.priorities.append(PriorityRow(priority.text, [
                (a.ref, a.status.label if a.status else "No status")
                for a in priority.actions.all()]))
            cited += [i for i in priority.indicators.all() if i not in cited]
        section.indicators = _indicator_rows(cited, partnership, user)
        sections.append(section)
    return Document(partnership=partnership.name,
                    framework=f"{framework.name} ({framework.version})" if framework else "",
                    generated=today or dt.date.today(), sections=sections)


def to_html(document: Document) -> str:
    return render_to_string("sef/document.html", {"doc": document})


def to_pdf(document: Document, *, uncompressed: bool = False) -> bytes:
    """A tagged PDF (PDF/UA-1: structure tree, document language, title shown)."""
    from weasyprint import HTML

    return HTML(string=to_html(document)).write_pdf(pdf_variant="pdf/ua-1",
                                                    uncompressed_pdf=uncompressed)


def to_docx(document: Document) -> bytes:
    from docx import Document as Docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    out = Docx()
    out.core_properties.title = document.title
    out.core_properties.language = document.language
    # The document language, on the default run style, so screen readers pronounce it.
    rpr = out.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), document.language)
    rpr.append(lang)

    def table(headers, rows, caption):
        out.add_paragraph(caption, style="Caption")
        grid = out.add_table(rows=1, cols=len(headers))
        grid.style = "Table Grid"
        header = grid.rows[0]
        trpr = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # a header row, repeated on each page
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)
        for cell, text in zip(header.cells, headers, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = str(text)

    out.add_heading(document.title, level=0)
    out.add_paragraph(f"Framework: {document.framework}. Generated from the LAPIS records on "
                      f"{document.generated:%-d %B %Y}.")
    out.add_heading("Contents", level=1)
    for section in document.sections:
        out.add_paragraph(f"{section.number}. {section.title}", style="List Number")
    for section in document.sections:
        out.add_heading(f"{section.number}. {section.title}", level=1)
        out.add_paragraph(f"Self-assessed judgement: {section.judgement}")
        out.add_heading("Big picture", level=2)
        for paragraph in section.big_picture or ["No content yet."]:
            out.add_paragraph(paragraph)
        for heading, rows in (("Strengths", section.strengths),
                              ("Areas for development", section.developments)):
            out.add_heading(heading, level=2)
            if rows:
                table(["Number", "Evidence", "Source"], rows, f"{heading}, area "
                      f"{section.number}")
            else:
                out.add_paragraph("None recorded.")
        out.add_heading("Improvement priorities", level=2)
        if section.priorities:
            table(["Priority", "Plan actions and current status"],
                  [(p.text, "; ".join(f"{ref}: {status}" for ref, status in p.actions)
                    or "No linked action") for p in section.priorities],
                  f"Improvement priorities, area {section.number}")
        else:
            out.add_paragraph("None recorded.")
        if section.indicators:
            out.add_heading("Indicators", level=2)
            table(["Indicator", "Period", "Value", "England", "Gap to England", "Quartile"],
                  [(r.name, r.period, r.value, r.england, r.gap, r.quartile)
                   for r in section.indicators], f"Latest values, area {section.number}")
    stream = io.BytesIO()
    out.save(stream)
    return stream.getvalue()
