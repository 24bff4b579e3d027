"""The risk register through HTTP and the `lapis` command, on the real Hull plan.

Alice (Hull's programme manager) edits; a viewer, a forum member and a lead read but get 403
on every write, and nothing changes; Charlie (another partnership) sees nothing of Hull's.
"""

import csv
import datetime as dt
import json
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from lapis.core.models import ChangeRecord
from lapis.demo import risks as demo
from lapis.partnership.models import Membership, Person, Role
from lapis.plans.models import Action
from lapis.risks.models import Risk
from lapis.risks.queries import risks_for_action
from tests.integration.helpers import lapis, lapis_fails

pytestmark = pytest.mark.django_db

HEADER = ["Risk ID", "Title", "Description", "Owner", "Inherent likelihood", "Inherent impact",
          "Residual likelihood", "Residual impact", "Response", "Trend", "Review date",
          "Linked actions", "Measures"]


@pytest.fixture
def register(hull):
    """Hull with the demo risk register loaded (R1 to R8)."""
    demo.load(hull)
    return hull


def member(partnership, username, role, person=None):
    user = get_user_model().objects.create_user(username, password="correct horse battery")
    Membership.objects.create(user=user, partnership=partnership, role=role, person=person)
    return user


@pytest.fixture
def readers(register):
    """A viewer, a forum member and a lead (Kelly Hare, who owns R1): all read-only here."""
    kelly = Person.objects.get(partnership=register, name="Kelly Hare")
    return [member(register, "vic", Role.VIEWER), member(register, "fran", Role.FORUM),
            member(register, "kelly", Role.LEAD, kelly),
            member(register, "bob", Role.BOARD_MEMBER)]


def form_data(**changes):
    data = {"code": "R9", "title": "Parent carer forum capacity to coproduce",
            "description": "Forum volunteers are stretched across workstreams.",
            "owner": "", "inherent_likelihood": "4", "inherent_impact": "3",
            "residual_likelihood": "3", "residual_impact": "3", "response": "treat",
            "trend": "stable", "review_day": "31", "review_month": "3", "review_year": "2027",
            "actions": "2.2, 2.7", "measures": "Funded forum participation", "status": "open"}
    data.update(changes)
    return data


def write_csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def snapshot():
    return (sorted(Risk.objects.values_list("code", "title", "version", "residual_impact")),
            ChangeRecord.objects.filter(model="risks.Risk").count())


# Pages ---------------------------------------------------------------------------------------

def test_pages_need_a_login(client, register):
    risk = Risk.objects.first()
    for url in ("/risks/", f"/risks/{risk.pk}/", "/risks/new/", f"/risks/{risk.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login")
    assert client.get("/api/risks").status_code == 401


def test_the_list_shows_the_heat_map_as_numbers_and_the_table(client, alice, register):
    client.force_login(alice)
    response = client.get("/risks/")
    page = response.content.decode()
    assert "Residual risk heat map" in page and "Showing 8 of 8 risks." in page
    grid = response.context["heat_rows"]
    assert [row["impact"] for row in grid] == [5, 4, 3, 2, 1]
    counts = {(c["cell"].likelihood, c["cell"].impact): c["cell"].count
              for row in grid for c in row["cells"]}
    assert counts[(4, 4)] == 2 and counts[(3, 3)] == 3 and sum(counts.values()) == 8
    # The count is text in the cell, its band is named for screen readers, headers are scoped.
    assert re.search(r'likelihood=4&amp;impact=4">2<span class="govuk-visually-hidden"> risks'
                     r'</span></a><span class="govuk-visually-hidden">, Very high \(score 16\)',
                     page)
    assert '<th scope="row" class="govuk-table__header">Impact 5' in page
    assert '<th scope="col" class="govuk-table__header">Likelihood 1' in page
    assert "<caption" in page
    codes = re.findall(r'href="/risks/\d+/">(R\d+)</a></th>', page)
    assert codes == [f"R{n}" for n in range(1, 9)]
    assert ">16 Very high</strong>" in page  # a rating is a number and a word, not a colour


def test_a_heat_map_cell_links_to_its_risks_and_the_toggle_shows_inherent(client, alice,
                                                                          register):
    client.force_login(alice)
    page = client.get(f"/risks/?partnership={register.pk}&kind=residual&likelihood=4"
                      "&impact=4").content.decode()
    assert "Showing 2 of 8 risks." in page
    assert set(re.findall(r">(R\d)</a></th>", page)) == {"R1", "R4"}
    response = client.get(f"/risks/?partnership={register.pk}&kind=inherent")
    assert "Inherent risk heat map" in response.content.decode()
    counts = {(c["cell"].likelihood, c["cell"].impact): c["cell"].count
              for row in response.context["heat_rows"] for c in row["cells"]}
    assert counts[(5, 4)] == 2 and counts[(4, 5)] == 1
    bands = {item["band"].key: item["count"] for item in response.context["bands"]}
    assert bands == {"low": 0, "medium": 0, "high": 3, "very_high": 5}


def test_list_filters_and_review_overdue_tag(client, alice, register):
    client.force_login(alice)
    Risk.objects.filter(code="R3").update(review_date=dt.date.today() - dt.timedelta(days=1))
    Risk.objects.exclude(code="R3").update(review_date=dt.date.today())
    Risk.objects.filter(code="R8").update(status="closed")
    base = f"/risks/?partnership={register.pk}"

    def codes(query):
        return re.findall(r">(R\d)</a></th>", client.get(base + query).content.decode())

    assert codes("") == ["R1", "R2", "R3", "R4", "R5", "R6", "R7"]  # open by default
    assert codes("&status=closed") == ["R8"]
    assert len(codes("&status=all")) == 8
    assert codes("&response=transfer") == ["R2"]
    assert codes("&trend=rising") == ["R4"]
    assert codes("&review=overdue") == ["R3"]
    assert codes("&band=very_high") == ["R1", "R4"]
    assert codes("&kind=inherent&band=very_high") == ["R1", "R2", "R4", "R6", "R7"]
    owner = Person.objects.get(name="David Pullen-Higham")
    assert codes(f"&owner={owner.pk}") == ["R4", "R5", "R6"]
    assert codes("&sort=residual")[:2] == ["R1", "R4"]
    page = client.get(base).content.decode()
    assert page.count(">Review overdue</strong>") == 1


def test_the_list_runs_the_same_queries_whatever_the_number_of_risks(client, alice, register):
    client.force_login(alice)
    client.get("/risks/")
    with CaptureQueriesContext(connection) as eight:
        client.get("/risks/")
    Risk.objects.filter(code__in=["R5", "R6", "R7", "R8"]).delete()
    with CaptureQueriesContext(connection) as four:
        client.get("/risks/")
    assert len(eight) == len(four)


def test_a_risk_page_links_its_actions_and_shows_history(client, alice, register):
    client.force_login(alice)
    risk = Risk.objects.get(code="R1")
    page = client.get(f"/risks/{risk.pk}/").content.decode()
    for ref in ("4.5", "4.6", "4.11"):
        action = Action.objects.get(ref=ref)
        assert f'href="/plan/actions/{action.pk}/">Action {ref}</a>' in page
    for text in ("Risk R1: New EHC plans not issued within 20 weeks", "Kelly Hare",
                 "20 Very high", "16 Very high", "Treat", "History of changes", "Created",
                 "import:hull-risks.csv", "Edit risk R1"):
        assert text in page, text


def test_risks_for_an_action_and_the_include(client, alice, register):
    action = Action.objects.get(ref="4.5")
    risks = risks_for_action(action, alice)
    assert [r.code for r in risks] == ["R1", "R2"]
    html = render_to_string("risks/_action_risks.html", {"action_risks": risks})
    assert "R2: Backlog of educational psychology advice" in html and "9 Medium" in html
    charlie_sees = risks_for_action(action, get_user_model().objects.create_user("eve"))
    assert charlie_sees == []
    assert "No risks in the register" in render_to_string("risks/_action_risks.html",
                                                          {"action_risks": []})


# Forms -----------------------------------------------------------------------------------------

def test_alice_adds_a_risk(client, alice, register):
    client.force_login(alice)
    form = client.get("/risks/new/")
    assert form.status_code == 200 and "Add a risk" in form.content.decode()
    response = client.post("/risks/new/", form_data(owner=str(
        Person.objects.get(name="Taku Zvauya").pk), measures="<script>x()</script>Funded"))
    risk = Risk.objects.get(partnership=register, code="R9")
    assert response.status_code == 302 and response["Location"] == f"/risks/{risk.pk}/"
    assert risk.residual_score == 9 and risk.owner.name == "Taku Zvauya"
    assert risk.review_date == dt.date(2027, 3, 31)
    assert risk.measures == "Funded"  # markup from a form is stripped, as from a file
    assert [a.ref for a in risk.actions.order_by("ref_key")] == ["2.2", "2.7"]
    created = ChangeRecord.objects.get(model="risks.Risk", object_id=risk.pk)
    assert (created.field, created.by, created.source) == ("created", "alice", "web")


def test_form_errors_are_summarised_and_nothing_is_saved(client, alice, register):
    client.force_login(alice)
    before = snapshot()
    response = client.post("/risks/new/", form_data(
        code="r1", title="", actions="4.6, 9.99", review_day="31", review_month="2",
        inherent_likelihood="7", response=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Add a risk" in page
    assert 'class="govuk-error-summary"' in page
    for anchor, text in (("id_title", "Enter the risk&#x27;s title"),
                         ("id_inherent_likelihood", "Choose the inherent likelihood"),
                         ("id_response", "Choose a response"),
                         ("id_review_day", "Review date must be a real date"),
                         ("id_actions", "No action &#x27;9.99&#x27;")):
        assert re.search(f'<a href="#{anchor}">{text}', page), anchor
    assert snapshot() == before
    duplicate = client.post("/risks/new/", form_data(code="r1")).content.decode()
    assert "There is already a risk r1" in duplicate
    assert snapshot() == before


def test_alice_edits_a_risk_and_the_history_keeps_it(client, alice, register):
    client.force_login(alice)
    risk = Risk.objects.get(code="R2")
    form = client.get(f"/risks/{risk.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in form and 'value="4.5"' in form
    data = form_data(code="R2", title=risk.title, residual_likelihood="2", actions="4.5; 4.6",
                     version="1")
    response = client.post(f"/risks/{risk.pk}/edit/", data)
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.version == 2 and risk.residual_likelihood == 2
    fields = set(ChangeRecord.objects.filter(model="risks.Risk", object_id=risk.pk)
                 .values_list("field", flat=True))
    assert {"residual_likelihood", "actions", "response", "owner"} <= fields
    change = ChangeRecord.objects.get(model="risks.Risk", object_id=risk.pk, field="actions")
    assert (change.old, change.new, change.by) == ("4.5", "4.5, 4.6", "alice")


def test_a_stale_edit_gets_409_with_both_versions_and_loses_nothing(client, alice, register):
    client.force_login(alice)
    risk = Risk.objects.get(code="R5")
    # Someone else saves first (version 1 -> 2).
    client.post(f"/risks/{risk.pk}/edit/", form_data(code="R5", title="Someone else's title",
                                                     version="1"))
    before = snapshot()
    response = client.post(f"/risks/{risk.pk}/edit/", form_data(
        code="R5", title="My title", measures="My measures", version="1"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "<title>Error: Edit risk R5" in page
    assert "was changed by someone else" in page
    assert "My title" in page and "Someone else&#x27;s title" in page  # both versions
    assert 'value="My title"' in page and 'name="version" value="2"' in page  # form kept
    assert snapshot() == before
    # Sending it again, deliberately, saves it.
    again = client.post(f"/risks/{risk.pk}/edit/", form_data(code="R5", title="My title",
                                                             version="2"))
    assert again.status_code == 302
    assert Risk.objects.get(pk=risk.pk).title == "My title"


# Permissions ---------------------------------------------------------------------------------

def test_readers_see_the_register_but_every_write_is_refused(client, register, readers):
    risk = Risk.objects.get(code="R1")
    before = snapshot()
    for user in readers:
        client.force_login(user)
        page = client.get("/risks/").content.decode()
        assert "Showing 8 of 8 risks." in page and "Add a risk" not in page
        assert "Edit risk" not in client.get(f"/risks/{risk.pk}/").content.decode()
        assert client.get("/risks/new/").status_code == 403
        assert client.post("/risks/new/", form_data()).status_code == 403
        assert client.get(f"/risks/{risk.pk}/edit/").status_code == 403
        assert client.post(f"/risks/{risk.pk}/edit/",
                           form_data(code="R1", version="1")).status_code == 403
        api = client.post("/api/risks", {**_api_body(), "partnership": register.pk},
                          content_type="application/json")
        assert api.status_code == 403
        api = client.put(f"/api/risks/{risk.pk}", {**_api_body(code="R1"), "version": 1},
                         content_type="application/json")
        assert api.status_code == 403
        assert "Only programme managers" in api.json()["detail"]
    assert snapshot() == before


def test_charlie_sees_nothing_of_hulls(client, register, charlie):
    client.force_login(charlie)
    risk = Risk.objects.get(code="R1")
    page = client.get("/risks/").content.decode()
    assert "Elsewhere" in page and "Showing 0 of 0 risks." in page and "R1" not in page
    assert client.get(f"/risks/?partnership={register.pk}").status_code == 404
    assert client.get(f"/risks/{risk.pk}/").status_code == 404
    assert client.get(f"/risks/{risk.pk}/edit/").status_code == 404
    assert client.post(f"/risks/{risk.pk}/edit/", form_data(version="1")).status_code == 404
    assert client.get("/api/risks").json() == []
    assert client.get(f"/api/risks?partnership={register.pk}").status_code == 404
    assert client.get(f"/api/risks/{risk.pk}").status_code == 404
    assert client.get(f"/api/risks/heatmap?partnership={register.pk}").status_code == 404
    assert client.put(f"/api/risks/{risk.pk}", {**_api_body(), "version": 1},
                      content_type="application/json").status_code == 404
    assert client.post("/api/risks", {**_api_body(), "partnership": register.pk},
                       content_type="application/json").status_code == 404


def test_charlie_cannot_link_hulls_actions_to_his_own_risk(client, register, charlie):
    client.force_login(charlie)
    other = charlie.memberships.get().partnership
    response = client.post("/api/risks", {**_api_body(actions=["4.6"]),
                                          "partnership": other.pk},
                           content_type="application/json")
    assert response.status_code == 422
    assert "no action '4.6'" in response.json()["errors"]["actions"]
    page = client.post("/risks/new/", form_data(actions="4.6")).content.decode()
    assert "No action &#x27;4.6&#x27; in this partnership" in page
    assert not Risk.objects.filter(partnership=other).exists()


# API -----------------------------------------------------------------------------------------

def _api_body(**changes):
    body = {"code": "R9", "title": "Forum capacity", "inherent_likelihood": 4,
            "inherent_impact": 3, "residual_likelihood": 3, "residual_impact": 3,
            "response": "treat", "actions": ["2.2"], "owner": "Taku Zvauya",
            "review_date": "2027-03-31"}
    body.update(changes)
    return body


def test_api_reads(client, alice, register):
    client.force_login(alice)
    risks = client.get(f"/api/risks?partnership={register.pk}").json()
    assert [r["code"] for r in risks] == [f"R{n}" for n in range(1, 9)]
    first = client.get(f"/api/risks/{risks[0]['id']}").json()
    assert first["residual"] == {"likelihood": 4, "impact": 4, "score": 16,
                                 "rating": "Very high"}
    assert first["actions"] == ["4.5", "4.6", "4.11"] and first["owner"] == "Kelly Hare"
    assert first["history"][0]["field"] == "created"
    heat = client.get(f"/api/risks/heatmap?partnership={register.pk}&kind=inherent").json()
    assert heat["kind"] == "inherent" and heat["total"] == 8
    assert [row["impact"] for row in heat["rows"]] == [5, 4, 3, 2, 1]
    assert heat["rows"][1]["cells"][4] == {"likelihood": 5, "impact": 4, "count": 2,
                                           "score": 20, "rating": "Very high"}
    assert heat["by_rating"] == {"Low": 0, "Medium": 0, "High": 3, "Very high": 5}
    assert client.get("/api/risks/heatmap?kind=sideways").status_code == 422
    assert "/api/risks/heatmap" in client.get("/api/openapi.json").json()["paths"]


def test_api_writes_with_versions(client, alice, register):
    client.force_login(alice)
    created = client.post("/api/risks", {**_api_body(), "partnership": register.pk},
                          content_type="application/json")
    assert created.status_code == 201
    risk = created.json()
    assert risk["residual"]["score"] == 9 and risk["version"] == 1
    url = f"/api/risks/{risk['id']}"
    saved = client.put(url, {**_api_body(residual_impact=2, trend="falling"), "version": 1},
                       content_type="application/json")
    assert saved.status_code == 200
    assert saved.json()["version"] == 2 and set(saved.json()["changed"]) == {"residual_impact",
                                                                             "trend"}
    stale = client.put(url, {**_api_body(title="Stale"), "version": 1},
                       content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2 and stale.json()["current"]["title"] == (
        "Forum capacity")
    bad = client.put(url, {**_api_body(residual_impact=6), "version": 2},
                     content_type="application/json")
    assert bad.status_code == 422
    clash = client.post("/api/risks", {**_api_body(code="r1"), "partnership": register.pk},
                        content_type="application/json")
    assert clash.status_code == 422 and "already a risk" in clash.json()["errors"]["code"]
    unknown = client.post("/api/risks", {**_api_body(code="R10", owner="Nobody"),
                                         "partnership": register.pk},
                          content_type="application/json")
    assert unknown.status_code == 422 and "Nobody" in unknown.json()["errors"]["owner"]
    assert Risk.objects.get(pk=risk["id"]).title == "Forum capacity"


# Commands ------------------------------------------------------------------------------------

def test_import_risks_dry_run_then_for_real(hull, alice, tmp_path):
    out, _ = lapis("import_risks", str(demo.FILE), "--partnership", "Hull", "--dry-run")
    assert "Would import hull-risks.csv" in out and "8 new" in out
    assert not Risk.objects.exists()
    out, _ = lapis("import_risks", str(demo.FILE), "--partnership", "Hull", "--as", "alice")
    assert "8 risks read; 8 new, 0 updated, 0 unchanged" in out
    assert Risk.objects.filter(partnership=hull).count() == 8
    assert ChangeRecord.objects.filter(model="risks.Risk", by="alice").count() == 8
    out, _ = lapis("import_risks", str(demo.FILE), "--partnership", "Hull")
    assert "0 new, 0 updated, 8 unchanged" in out


def test_a_bad_file_names_every_problem_and_writes_nothing(register, tmp_path):
    path = write_csv(tmp_path / "risks.csv", [
        ["R1", "EHC timeliness", "", "Kelly Hare", 5, 4, 4, 4, "Treat", "", "", "4.6", ""],
        ["R20", "A", "", "", 6, 4, 4, 4, "Mitigate", "", "", "4.6; 9.99", ""],
        ["R21", "B", "", "", 3, "", 4, 4.5, "Treat", "sideways", "31/02/2027", "", ""],
        ["r1", "Duplicate", "", "", 1, 1, 1, 1, "Treat", "", "", "", ""],
    ])
    before = snapshot()
    _, err = lapis_fails("import_risks", str(path), "--partnership", "Hull")
    lines = err.splitlines()

    def has(*parts):
        assert any(all(p in line for p in parts) for line in lines), parts

    has("risks.csv", "sheet 'risks'", "row 3", "column E (Inherent likelihood)", "out of range")
    has("row 3", "column I (Response)", "unknown response 'Mitigate'")
    has("row 4", "column F (Inherent impact)", "missing")
    has("row 4", "column H (Residual impact)", "not a whole number")
    has("row 4", "column J (Trend)", "unknown trend 'sideways'")
    has("row 4", "column K (Review date)", "is not a date")
    has("row 5", "column A (Risk ID)", "already used on sheet 'risks' row 2")
    assert "nothing was imported" in err
    assert snapshot() == before
    # Rows that read cleanly are still checked against the plan: an unknown action ref.
    path = write_csv(tmp_path / "refs.csv", [
        ["R1", "EHC timeliness", "", "", 5, 4, 4, 4, "Treat", "", "", "4.6; 9.99", ""]])
    _, err = lapis_fails("import_risks", str(path), "--partnership", "Hull")
    assert "refs.csv, sheet 'refs', row 2, column L (Linked actions): no action '9.99'" in err
    assert snapshot() == before


def test_headers_are_matched_tolerantly_and_a_reimport_updates_with_history(register, alice,
                                                                           tmp_path):
    header = ["  risk id", "TITLE", "Owner", "inherent_likelihood", "Inherent Impact",
              "Residual\nLikelihood", "residual impact", "response", "Linked Actions",
              "Colour"]
    path = write_csv(tmp_path / "update.csv", [
        ["R2", "Backlog of EP advice", "Kelly Hare", 4, 4, 2, 3, "treat", "4.5;4.6", "red"],
        ["R10", "New risk", "A New Person", 2, 2, 1, 1, "tolerate", "", ""],
    ], header=header)
    out, err = lapis("import_risks", str(path), "--partnership", "Hull", "--as", "alice")
    assert "1 new, 1 updated" in out and "1 people new" in out
    assert "column 'Colour' is not one LAPIS reads" in err
    assert "Not in this file (kept as they were): R1, R3, R4, R5, R6, R7, R8" in out
    risk = Risk.objects.get(code="R2")
    assert (risk.title, risk.residual_likelihood, risk.response, risk.version) == (
        "Backlog of EP advice", 2, "treat", 2)
    changes = {c.field: (c.old, c.new) for c in ChangeRecord.objects.filter(
        model="risks.Risk", object_id=risk.pk, by="alice")}
    assert changes["residual_likelihood"] == ("3", "2")
    assert changes["actions"] == ("4.5", "4.5, 4.6")
    assert changes["trend"] == ("falling", "stable")  # a blank trend reads as stable


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_round_trips(register, tmp_path, fmt):
    Risk.objects.filter(code="R3").update(measures="=HYPERLINK(\"http://x\")", status="closed")
    path = tmp_path / f"risks.{fmt}"
    lapis("export_risks", "--partnership", "Hull", "--format", fmt, "-o", str(path))
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    else:
        rows = [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    assert rows[0][:13] == HEADER and rows[0][13] == "Status"
    r3 = next(r for r in rows if r[0] == "R3")
    assert r3[12].startswith("'=HYPERLINK")  # neutralised against formula injection
    before = snapshot()
    out, _ = lapis("import_risks", str(path), "--partnership", "Hull")
    assert "0 new, 0 updated, 8 unchanged" in out
    assert snapshot() == before


def test_export_json_is_the_api_shape(client, alice, register):
    out, _ = lapis("export_risks", "--partnership", "Hull", "--format", "json")
    data = json.loads(out)
    assert data["partnership"] == "Hull" and len(data["risks"]) == 8
    assert [b["low"] for b in data["bands"]] == [1, 5, 10, 15]
    client.force_login(alice)
    api = client.get(f"/api/risks?partnership={register.pk}").json()
    assert data["risks"] == api


def test_commands_refuse_unknown_partnerships_and_files(register, tmp_path):
    _, err = lapis_fails("export_risks", "--partnership", "Nowhere", "--format", "csv")
    assert "no partnership called 'Nowhere'" in err
    _, err = lapis_fails("export_risks", "--partnership", "Hull", "--format", "xlsx")
    assert "give -o FILE.xlsx" in err
    _, err = lapis_fails("import_risks", str(tmp_path / "missing.csv"), "--partnership", "Hull")
    assert "missing.csv: no such file" in err
    (tmp_path / "notes.txt").write_text("hello")
    _, err = lapis_fails("import_risks", str(tmp_path / "notes.txt"), "--partnership", "Hull")
    assert "is not a spreadsheet" in err
    path = write_csv(tmp_path / "noid.csv", [["x"]], header=["Title"])
    _, err = lapis_fails("import_risks", str(path), "--partnership", "Hull")
    assert "no header row with a 'Risk ID' column" in err


def test_the_demo_register_loads_into_the_hull_plan(register):
    risks = {r.code: r for r in Risk.objects.filter(partnership=register)}
    assert len(risks) == 8
    assert [a.ref for a in risks["R1"].actions.order_by("ref_key")] == ["4.5", "4.6", "4.11"]
    assert {r.response for r in risks.values()} >= {"treat", "transfer", "tolerate"}
    assert all(r.owner is not None for r in risks.values())
    again = demo.load(register)  # loading twice changes nothing
    assert again.created == [] and len(again.unchanged) == 8
