"""`lapis qa_report`, the report page and the API, against the hand-worked example in
tests/fixtures/quality/EXPECTED.md (a re-audited plan, moderations, an empty quarter)."""

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from lapis.partnership.models import Membership, Person, Role
from lapis.quality.models import Audit, Finding, FollowUp, Theme
from tests.integration.helpers import lapis, lapis_fails

SMALL = Path(__file__).parent.parent / "fixtures" / "quality" / "audits-small.csv"
OTHERS = ["B", "C", "D", "G", "H1", "H2", "I", "J", "K"]

pytestmark = pytest.mark.django_db


def grades(outstanding=0, good=0, ri=0, inadequate=0):
    return {"Outstanding": outstanding, "Good": good, "Requires improvement": ri,
            "Inadequate": inadequate}


def section(audits, pct, good=None):
    return {"audits": audits, "good_or_better": good if good is not None else
            round((pct or 0) * audits / 100), "good_or_better_pct": pct}


@pytest.fixture
def loaded(hull):
    hull.la_code = "810"
    hull.save()
    lapis("import_audits", str(SMALL), partnership="Hull")
    themes = {name: Theme.objects.create(partnership=hull, name=name) for name in
              ("Health advice", "Social care input", "Preparation for adulthood")}
    for audit_id, theme in (("Q2-02", "Health advice"), ("Q2-06", "Health advice"),
                            ("Q1-02", "Social care input"), ("Q2-03", "Social care input"),
                            ("Q2-04", "Preparation for adulthood")):
        finding = Finding.objects.create(audit=Audit.objects.get(audit_id=audit_id),
                                         text="Finding", created_by="test")
        finding.themes.add(themes[theme])
    owner = Person.objects.create(partnership=hull, name="EHC team")
    for audit_id, due, done in (("Q2-03", "2024-07-01", None),
                                ("Q2-04", "2024-08-01", "2024-07-20"),
                                ("Q2-06", "2099-01-01", None)):
        FollowUp.objects.create(audit=Audit.objects.get(audit_id=audit_id), kind="amend",
                                description=f"Amend plan after {audit_id}", owner=owner,
                                due=dt.date.fromisoformat(due),
                                done=dt.date.fromisoformat(done) if done else None,
                                created_by="test")
    return hull


def test_the_2024q2_report_matches_the_hand_working(loaded):
    out, _ = lapis("qa_report", quarter="2024Q2", format="json", partnership="Hull")
    report = json.loads(out)
    assert report["quarter"] == "2024Q2"
    assert report["audits"] == 5
    assert report["overall"] == grades(outstanding=2, good=1, ri=1, inadequate=1)
    assert report["good_or_better_pct"] == 60.0
    assert report["sections"]["A"] == section(5, 60.0, 3)
    assert report["sections"]["E"] == section(5, 60.0, 3)
    assert report["sections"]["F"] == section(4, 75.0, 3)
    for code in OTHERS:
        assert report["sections"][code] == section(0, None, 0)
    assert list(report["sections"]) == ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I",
                                        "J", "K"]
    previous = report["previous"]
    assert previous["quarter"] == "2024Q1" and previous["audits"] == 2
    assert previous["overall"] == grades(good=1, ri=1)
    assert previous["good_or_better_pct"] == 50.0
    assert previous["sections"]["A"] == section(2, 100.0, 2)
    assert previous["sections"]["E"] == section(2, 0.0, 0)
    assert previous["sections"]["F"] == section(0, None, 0)
    assert report["change"]["good_or_better_points"] == 10.0
    assert report["change"]["sections"]["A"] == -40.0
    assert report["change"]["sections"]["E"] == 60.0
    assert report["change"]["sections"]["F"] is None
    assert report["agreement"] == {"moderated": 2, "agreed": 1, "agreement_pct": 50.0}
    assert report["by_agency"] == {"Education": section(3, 66.7, 2),
                                   "Health": section(1, 100.0, 1),
                                   "Social care": section(1, 0.0, 0)}
    assert report["by_phase"] == {"Primary": section(2, 50.0, 1),
                                  "Secondary": section(2, 50.0, 1),
                                  "Not recorded": section(1, 100.0, 1)}
    assert report["by_need"] == {"ASD": section(2, 50.0, 1), "SEMH": section(1, 100.0, 1),
                                 "SLCN": section(1, 0.0, 0),
                                 "Not recorded": section(1, 100.0, 1)}
    assert report["themes"] == [
        {"theme": "Health advice", "audits": 2, "previous_audits": 0, "recurring": True,
         "action": None},
        {"theme": "Preparation for adulthood", "audits": 1, "previous_audits": 0,
         "recurring": False, "action": None},
        {"theme": "Social care input", "audits": 1, "previous_audits": 1, "recurring": True,
         "action": None},
    ]
    follow = report["follow_ups"]
    assert (follow["total"], follow["done"], follow["open"], follow["overdue"]) == (3, 1, 2, 1)
    assert [(i["plan_id"], i["due"], i["overdue"]) for i in follow["items"]] == [
        ("P005", "2024-07-01", True), ("P007", "2099-01-01", False)]


def test_an_empty_quarter(loaded):
    out, _ = lapis("qa_report", quarter="2024Q3", format="json")
    report = json.loads(out)
    assert report["audits"] == 0
    assert report["overall"] == grades()
    assert report["good_or_better_pct"] is None
    assert all(s == section(0, None, 0) for s in report["sections"].values())
    assert report["previous"]["audits"] == 5 and report["previous"]["good_or_better_pct"] == 60.0
    assert report["change"]["good_or_better_points"] is None
    text, _ = lapis("qa_report", quarter="2024Q3")
    assert "No audits in this quarter." in text
    assert "No audits this quarter to compare with 2024Q2 (60.0%)." in text


def test_the_text_report_reads(loaded):
    text, _ = lapis("qa_report", quarter="2024q2", format="text")
    assert text.startswith("EHC plan audits, 2024Q2 (April to June 2024): Hull")
    assert "Plans audited: 5" in text
    assert "Good or better: 60.0% (3 of 5)" in text
    assert "Up 10.0 percentage points on 2024Q1 (50.0%)." in text
    assert "Moderation: 2 audits moderated, 1 agreed (50.0%)." in text
    assert "Health advice: 2, 0 (recurring)" in text


def test_the_pdf_and_an_output_file(loaded, tmp_path):
    path = tmp_path / "q2.pdf"
    _, err = lapis("qa_report", quarter="2024Q2", format="pdf", output=str(path))
    assert "Wrote the 2024Q2 QA report of Hull" in err
    assert path.read_bytes().startswith(b"%PDF")
    from lapis.quality import reports, rules

    plain = reports.to_pdf(reports.build(loaded, rules.Quarter(2024, 2)), uncompressed=True)
    assert b"/StructTreeRoot" in plain and b"/MarkInfo" in plain and b"/Lang" in plain
    out = tmp_path / "q2.json"
    lapis("qa_report", quarter="2024Q2", format="json", output=str(out))
    assert json.loads(out.read_text())["audits"] == 5


def test_bad_quarters_and_a_pdf_without_a_file(loaded):
    _, err = lapis_fails("qa_report", quarter="2024Q5")
    assert "'2024Q5' is not a quarter: write it like 2024Q2" in err
    _, err = lapis_fails("qa_report", quarter="2024Q2", format="pdf")
    assert "give --output FILE.pdf" in err


def test_publish_rewrites_the_scorecard(loaded):
    from lapis.scorecard.models import Observation

    Observation.objects.all().delete()
    _, err = lapis("qa_report", quarter="2024Q2", publish=True)
    assert "Scorecard: 7 quarterly figures written." in err
    assert Observation.objects.get(indicator__key="qa_good_or_better",
                                   period="2024Q2").value == 60.0


# --- the page and the API ---------------------------------------------------------------------

def member(partnership, role, name=None):
    user = get_user_model().objects.create_user(name or f"user-{role}", password="pw")
    Membership.objects.create(user=user, partnership=partnership, role=role)
    return user


def test_the_page_shows_the_report(loaded, client, alice):
    client.force_login(alice)
    response = client.get("/quality/reports/?quarter=2024Q2")
    assert response.status_code == 200
    page = response.content.decode()
    assert "5 plans audited; 60.0% good or better (3 of 5)." in page
    assert "Up 10.0 percentage points on 2024Q1 (50.0%)." in page
    assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page
    assert "A: The views, interests and aspirations" in page
    assert "P005 (audit Q2-03)" in page  # a programme manager sees the plan IDs
    assert '<option value="2024Q2" selected>' in page
    assert "2024Q2.xlsx?partnership=" in page


def test_the_page_defaults_to_the_latest_quarter_and_says_when_it_is_empty(loaded, client,
                                                                          alice):
    client.force_login(alice)
    assert "EHC plan audit report, 2024Q2" in client.get("/quality/reports/").content.decode()
    page = client.get("/quality/reports/?quarter=2024Q3").content.decode()
    assert "There were no audits in this quarter." in page
    assert "No audits this quarter to compare with 2024Q2 (60.0%)." in page
    bad = client.get("/quality/reports/?quarter=spring")
    assert bad.status_code == 400
    assert "There is a problem" in bad.content.decode()
    assert 'href="#quarter"' in bad.content.decode()


@pytest.mark.parametrize("role, sees_ids", [
    (Role.ADMIN, True), (Role.PROGRAMME_MANAGER, True), (Role.AUDITOR, True),
    (Role.LEAD, False), (Role.BOARD_MEMBER, False), (Role.FORUM, False), (Role.VIEWER, False),
])
def test_every_member_sees_the_counts_and_only_some_the_plan_ids(loaded, client, role,
                                                                 sees_ids):
    client.force_login(member(loaded, role))
    page = client.get("/quality/reports/?quarter=2024Q2").content.decode()
    assert "5 plans audited" in page
    assert ("P005" in page) is sees_ids
    api = client.get("/api/quality/reports/2024Q2").json()
    assert api["audits"] == 5
    assert ("plan_id" in api["follow_ups"]["items"][0]) is sees_ids
    assert ("P005" in json.dumps(api)) is sees_ids
    csv_text = client.get(f"/quality/reports/2024Q2.csv?partnership={loaded.pk}")
    assert csv_text.status_code == 200 and "P005" not in csv_text.content.decode()


def test_the_api_returns_the_commands_json(loaded, client, alice):
    client.force_login(alice)
    api = client.get(f"/api/quality/reports/2024Q2?partnership={loaded.pk}")
    assert api.status_code == 200
    out, _ = lapis("qa_report", quarter="2024Q2", format="json")
    command = json.loads(out)
    assert api.json() == command
    assert client.get("/api/quality/reports/2024Q3").json()["good_or_better_pct"] is None
    assert client.get("/api/quality/reports/nonsense").status_code == 422


def test_another_partnership_sees_nothing(loaded, client, charlie):
    client.force_login(charlie)
    assert client.get(f"/quality/reports/?partnership={loaded.pk}").status_code == 404
    assert client.get(f"/api/quality/reports/2024Q2?partnership={loaded.pk}"
                      ).status_code == 404
    assert client.get(f"/quality/reports/2024Q2.csv?partnership={loaded.pk}"
                      ).status_code == 404
    own = client.get("/api/quality/reports/2024Q2").json()  # charlie's own partnership
    assert own["partnership"] == "Elsewhere" and own["audits"] == 0


def test_signed_out(loaded, client):
    assert client.get("/quality/reports/").status_code == 302
    assert client.get("/api/quality/reports/2024Q2").status_code == 401


def test_the_downloads(loaded, client, alice):
    client.force_login(alice)
    base = f"/quality/reports/2024Q2.%s?partnership={loaded.pk}"
    csv_response = client.get(base % "csv")
    assert csv_response["Content-Disposition"] == 'attachment; filename="qa-report-2024Q2.csv"'
    lines = csv_response.content.decode().splitlines()
    assert lines[0] == ("Measure,Group,2024Q2 plans,2024Q2 % good or better,2024Q1 plans,"
                        "2024Q1 % good or better,Change (points)")
    assert lines[1] == "Overall,All plans,5,60.0,2,50.0,10.0"
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(base % "xlsx").content))
    ws = workbook.active
    assert [c.value for c in ws[2]] == ["Overall", "All plans", 5, 60.0, 2, 50.0, 10.0]
    section_a = next(row for row in ws.iter_rows(values_only=True)
                     if str(row[1]).startswith("A: "))
    assert section_a[2:] == (5, 60.0, 2, 100.0, -40.0)
    pdf = client.get(base % "pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(base % "doc").status_code == 404


def test_a_formula_in_a_theme_is_neutralised_in_the_downloads(loaded, client, alice):
    theme = Theme.objects.create(partnership=loaded, name="=HYPERLINK(\"x\")")
    finding = Finding.objects.create(audit=Audit.objects.get(audit_id="Q2-01"), text="x",
                                     created_by="test")
    finding.themes.add(theme)
    client.force_login(alice)
    text = client.get(f"/quality/reports/2024Q2.csv?partnership={loaded.pk}").content.decode()
    assert "'=HYPERLINK" in text


def test_someone_in_no_partnership(db, client):
    user = get_user_model().objects.create_user("nobody", password="pw")
    client.force_login(user)
    page = client.get("/quality/reports/")
    assert page.status_code == 200
    assert "You are not a member of a partnership yet" in page.content.decode()
    assert client.get("/api/quality/reports/2024Q2").status_code == 404
