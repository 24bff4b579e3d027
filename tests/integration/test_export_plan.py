"""Export then import gives back the same plan; formula-like text is neutralised."""

import csv
import io
import json

import openpyxl
import pytest

from lapis.plans.models import Action
from tests.integration.helpers import lapis

pytestmark = pytest.mark.django_db


def _plan_json(partnership: str) -> dict:
    out, _ = lapis("export_plan", "--partnership", partnership, "--format", "json")
    data = json.loads(out)
    data.pop("plan")
    return data


def test_json_export_has_the_documented_shape(hull):
    data = json.loads(lapis("export_plan", "--format", "json")[0])
    assert data["plan"]["name"] == "Hull SEND improvement plan"
    assert len(data["actions"]) == 81
    keys = {"ref", "priority", "objective", "description", "pillar", "outcomes",
            "impact_measures", "sro", "leads", "start", "due", "links", "dependencies",
            "status", "last_reviewed", "boards", "bau_location", "closed", "progress"}
    first = data["actions"][0]
    assert keys <= set(first)
    assert first["ref"] == "1.1" and first["start"] == "2023-02" and first["due"] == "2025-02"
    assert first["last_reviewed"] == "2025-01-30" and first["status"] == "Completed"
    assert first["leads"] == ["Kelly Hare"] and first["sro"] == "Mary Meredith"
    closure = next(a for a in data["actions"] if a["ref"] == "1.3")
    assert closure["closed"] is True
    assert closure["progress"][0] == {"date": "2023-09-08", "text": closure["progress"][0]["text"]}
    refs = [a["ref"] for a in data["actions"]]
    assert refs.index("3.2") < refs.index("3.2b") < refs.index("3.10") < refs.index("3.11a")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_is_lossless(hull, tmp_path, fmt):
    exported = tmp_path / f"export.{fmt}"
    lapis("export_plan", "--partnership", "Hull", "--format", fmt, "-o", str(exported))
    lapis("import_plan", str(exported), "--partnership", "Copy", "--plan",
          "Hull SEND improvement plan")
    assert _plan_json("Copy") == _plan_json("Hull")


def test_xlsx_export_keeps_the_councils_layout(hull, tmp_path):
    exported = tmp_path / "export.xlsx"
    lapis("export_plan", "--format", "xlsx", "-o", str(exported))
    workbook = openpyxl.load_workbook(exported)
    assert workbook.sheetnames == ["Improvement Plan", "Closures"]
    sheet = workbook["Improvement Plan"]
    assert [c.value for c in sheet[1]][:4] == [
        "Ref", "Our improvement priority",
        "What do we want to achieve and what is needed to make this happen?",
        "What is needed to make this happen and what we will do to achieve our improvement "
        "ambition"]
    assert sheet["A2"].value == "1.1" and sheet["J2"].number_format == "mmm-yy"
    assert any(str(r).startswith("B2:") for r in sheet.merged_cells.ranges)
    assert workbook["Closures"].max_row == 8  # a header and seven closures


def test_formula_like_text_is_neutralised_in_exports(db, tmp_path):
    hostile = tmp_path / "hostile.csv"
    hostile.write_text('Ref,Description,Inter/dependencies\n'
                       '1.1,"=HYPERLINK(""http://x"",""y"")",+1+2\n')
    lapis("import_plan", str(hostile), "--partnership", "Hull")
    assert Action.objects.get(ref="1.1").description == '=HYPERLINK("http://x","y")'
    xlsx = tmp_path / "out.xlsx"
    lapis("export_plan", "--format", "xlsx", "-o", str(xlsx))
    cell = openpyxl.load_workbook(xlsx)["Improvement Plan"]["D2"]
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://x","y")'
    rows = list(csv.reader(io.StringIO(lapis("export_plan", "--format", "csv")[0])))
    assert rows[1][3] == '\'=HYPERLINK("http://x","y")' and rows[1][12] == "'+1+2"
    # and the neutralised file reads back to the original text
    lapis("import_plan", str(xlsx), "--partnership", "Back", "--plan", "P")
    assert Action.objects.get(plan__name="P", ref="1.1").description.startswith("=HYPERLINK")
