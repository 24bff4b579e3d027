"""The inclusion scorecard through HTTP and the `lapis` command, on the Hull partnership with
the illustrative demo schools loaded: who sees the shared view, what it withholds, exports,
imports (all or nothing, with history), and that nobody else sees any of it."""

import csv
import io
import json

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from lapis.core.models import ChangeRecord
from lapis.demo import inclusion as demo
from lapis.inclusion.models import School, SchoolFigure
from lapis.partnership.models import Membership, Role
from tests.integration.helpers import lapis, lapis_fails

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"
AUTUMN = "2024/25 Autumn"
HEADER = "URN,School,Phase,Trust,Locality,Pupils,Measure,Period,Count,Denominator\n"


def member(username, partnership, role):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, partnership=partnership, role=role)
    return user


@pytest.fixture
def schools(hull):
    demo.load(hull)
    return hull


@pytest.fixture
def forum(hull):
    return member("fran", hull, Role.FORUM)


def signed_in(client, user):
    client.force_login(user)
    return client


def small_figure(measure="suspensions", period=AUTUMN):
    return (SchoolFigure.objects.filter(measure=measure, period=period, count__gte=1,
                                        count__lte=4).select_related("school")
            .order_by("school__name").first())


def page(client, **params):
    response = client.get("/inclusion/", params)
    assert response.status_code == 200
    return response.content.decode()


def row_of(html, name):
    start = html.index(f">{name}</a>")
    return html[start:html.index("</tr>", start)]


# --- the demo --------------------------------------------------------------------------------

def test_the_demo_loads_illustrative_schools_once(schools):
    assert School.objects.filter(partnership=schools).count() == 20
    assert SchoolFigure.objects.count() == 240
    assert all(s.name.startswith("Illustrative ") for s in School.objects.all())
    assert SchoolFigure.objects.filter(count__gte=1, count__lte=4).count() >= 10
    before = ChangeRecord.objects.count()
    result = demo.load(schools)
    assert result.figures_unchanged == 240 and ChangeRecord.objects.count() == before


# --- who sees which view ---------------------------------------------------------------------

def test_council_staff_see_every_figure_and_the_page_says_so(client, schools, alice):
    figure = small_figure()
    html = page(signed_in(client, alice), measure="suspensions", period=AUTUMN)
    assert "Council view" in html and "Do not share it outside the council" in html
    row = row_of(html, figure.school.name)
    assert f">{figure.count}<" in row and "fewer than 5" not in row
    assert "<svg" in html and "<title id=\"inclusion-chart-title\">" in html
    assert "Show the shared view" in html


def test_council_staff_can_choose_the_shared_view(client, schools, alice):
    figure = small_figure()
    html = page(signed_in(client, alice), measure="suspensions", period=AUTUMN, shared="1")
    assert "Shared view" in html and "fewer than 5" in html
    row = row_of(html, figure.school.name)
    assert "fewer than 5" in row and f">{figure.count}<" not in row
    assert "Show the council view" in html


@pytest.mark.parametrize("role", [Role.FORUM, Role.VIEWER])
def test_forum_members_and_viewers_always_get_the_shared_view(client, schools, role):
    user = member("outsider", schools, role)
    figure = small_figure()
    html = page(signed_in(client, user), measure="suspensions", period=AUTUMN, shared="0")
    assert "Shared view" in html and "you always see the shared view" in html
    assert "Show the council view" not in html and 'name="shared"' not in html
    row = row_of(html, figure.school.name)
    assert "fewer than 5" in row
    # nothing of 1 to 4 anywhere in the table or the chart
    table = html[html.index('id="figures"'):]
    for n in range(1, 5):
        assert f'numeric">{n}<' not in table


@pytest.mark.parametrize("by", ["trust", "locality"])
def test_totals_by_trust_and_locality_with_the_la_average(client, schools, alice, by):
    html = page(signed_in(client, alice), measure="suspensions", period=AUTUMN, by=by)
    names = {s.trust or "Maintained schools (no trust)" for s in School.objects.all()} \
        if by == "trust" else {s.locality for s in School.objects.all()}
    for name in names:
        assert f">{name}<" in html
    total = sum(SchoolFigure.objects.filter(measure="suspensions", period=AUTUMN)
                .values_list("count", flat=True))
    assert "Local authority average" in html and f">{total}<" in html


def test_the_shared_exports_withhold_what_the_page_withholds(client, schools, forum):
    figure = small_figure()
    client = signed_in(client, forum)
    response = client.get("/inclusion/", {"measure": "suspensions", "period": AUTUMN,
                                          "format": "csv"})
    assert response.status_code == 200
    assert "shared" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0][0].startswith("Suspensions, 2024/25 Autumn, by school: shared view")
    row = next(r for r in lines if r[0] == figure.school.name)
    assert row[4] == "fewer than 5" and row[6] == ""
    response = client.get("/inclusion/", {"measure": "suspensions", "period": AUTUMN,
                                          "format": "xlsx", "by": "school"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert cells[figure.school.name][4] == "fewer than 5"
    assert not any(isinstance(v, int) and 1 <= v <= 4
                   for r in sheet.iter_rows(min_row=3, values_only=True) for v in r[4:5])


def test_a_council_export_has_the_figures(client, schools, alice):
    figure = small_figure()
    response = signed_in(client, alice).get(
        "/inclusion/", {"measure": "suspensions", "period": AUTUMN, "format": "csv"})
    assert "council" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0][0].startswith("Suspensions, 2024/25 Autumn, by school: council view")
    assert next(r for r in lines if r[0] == figure.school.name)[4] == str(figure.count)


def test_a_school_page_shows_its_figures_over_time(client, schools, alice, forum):
    figure = small_figure()
    url = f"/inclusion/schools/{figure.school.pk}/"
    html = signed_in(client, alice).get(url).content.decode()
    assert figure.school.urn in html and "2024/25 Spring" in html and "Council view" in html
    assert html.count('scope="row"') == 12  # six measures, two terms
    client.logout()
    html = signed_in(client, forum).get(url).content.decode()
    assert "Shared view" in html and "fewer than 5" in html


def test_the_page_runs_the_same_queries_however_many_schools(client, schools, alice,
                                                             django_assert_max_num_queries):
    client = signed_in(client, alice)
    page(client, measure="attendance")
    with django_assert_max_num_queries(12):
        page(client, measure="attendance", by="school")


# --- the API ---------------------------------------------------------------------------------

def test_the_api_gives_forum_members_the_shared_view(client, schools, forum):
    figure = small_figure()
    data = signed_in(client, forum).get(
        "/api/inclusion", {"measure": "suspensions", "period": AUTUMN,
                           "shared": "false"}).json()
    assert data["shared"] is True and data["view"].startswith("Shared view")
    row = next(r for r in data["rows"] if r["name"] == figure.school.name)
    assert row["count"] == "fewer than 5" and row["value"] is None
    assert row["withheld"] == "small" and row["urn"] == figure.school.urn


def test_the_api_gives_council_staff_either_view(client, schools, alice):
    figure = small_figure()
    client = signed_in(client, alice)
    data = client.get("/api/inclusion", {"measure": "suspensions", "period": AUTUMN}).json()
    assert data["shared"] is False and data["periods"] == ["2024/25 Autumn", "2024/25 Spring"]
    row = next(r for r in data["rows"] if r["name"] == figure.school.name)
    assert row["count"] == figure.count and row["value"] == round(figure.value, 2)
    data = client.get("/api/inclusion", {"measure": "suspensions", "period": AUTUMN,
                                         "by": "trust", "shared": "true"}).json()
    assert data["shared"] is True and {r["name"] for r in data["rows"]} >= {
        "Illustrative Learning Trust", "Maintained schools (no trust)"}
    assert data["la"]["schools"] == 20


# --- other partnerships see nothing ----------------------------------------------------------

def test_another_partnership_sees_nothing(client, schools, charlie):
    client = signed_in(client, charlie)
    html = page(client, measure="suspensions")
    assert "Illustrative" not in html and "There are no suspensions figures yet" in html
    school = School.objects.first()
    assert client.get(f"/inclusion/schools/{school.pk}/").status_code == 404
    assert client.get("/inclusion/", {"partnership": schools.pk}).status_code == 404
    data = client.get("/api/inclusion").json()
    assert data["rows"] == [] and data["period"] is None
    assert client.get("/api/inclusion", {"partnership": schools.pk}).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, schools):
    response = client.get("/inclusion/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- loading figures on the page -------------------------------------------------------------

def _upload(text, name="figures.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.mark.parametrize("role", [Role.FORUM, Role.VIEWER, Role.LEAD, Role.BOARD_MEMBER])
def test_only_editors_load_figures_and_a_refusal_changes_nothing(client, schools, role):
    user = member("someone", schools, role)
    client = signed_in(client, user)
    before = (SchoolFigure.objects.count(), ChangeRecord.objects.count())
    assert client.get("/inclusion/load/").status_code == 403
    row = "900001,Illustrative Primary A,Primary,,East Hull,350,Suspensions,2024/25 Autumn,99,\n"
    response = client.post("/inclusion/load/", {"file": _upload(HEADER + row)})
    assert response.status_code == 403
    assert (SchoolFigure.objects.count(), ChangeRecord.objects.count()) == before
    assert "Load figures" not in page(client)


def test_an_editor_loads_a_file_and_the_change_is_kept(client, schools, alice):
    client = signed_in(client, alice)
    assert client.get("/inclusion/load/").status_code == 200
    row = ("900001,Illustrative Primary A,Primary,Illustrative Learning Trust,East Hull,350,"
           "Suspensions,2024/25 Autumn,17,\n")
    response = client.post("/inclusion/load/", {"file": _upload(HEADER + row)})
    assert response.status_code == 302
    figure = SchoolFigure.objects.get(school__urn="900001", measure="suspensions",
                                      period=AUTUMN)
    assert figure.count == 17 and figure.value == pytest.approx(100 * 17 / 350)
    change = ChangeRecord.objects.get(model="inclusion.SchoolFigure", object_id=figure.pk,
                                      field="count")
    assert change.by == "alice" and change.new == "17" and change.source == "import:figures.csv"


def test_a_bad_upload_is_refused_whole_naming_row_and_column(client, schools, alice):
    client = signed_in(client, alice)
    before = (SchoolFigure.objects.count(), ChangeRecord.objects.count())
    rows = ("900001,Illustrative Primary A,Primary,Illustrative Learning Trust,East Hull,350,"
            "Suspensions,2024/25 Autumn,17,\n"
            "900099,New School,Primary,,East Hull,100,Exclusions,2024/25 Autumn,2,\n")
    response = client.post("/inclusion/load/", {"file": _upload(HEADER + rows)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Load inclusion figures" in html and 'href="#file"' in html
    assert "figures.csv, sheet &#x27;figures&#x27;, row 3, column G (Measure)" in html
    assert (SchoolFigure.objects.count(), ChangeRecord.objects.count()) == before
    assert SchoolFigure.objects.get(school__urn="900001", measure="suspensions",
                                    period=AUTUMN).count != 17


# --- the commands ----------------------------------------------------------------------------

def test_import_refuses_a_user_who_may_not_edit_and_changes_nothing(schools, forum, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + "900001,A,Primary,,East,10,Suspensions,2024/25 Autumn,9,\n")
    before = (SchoolFigure.objects.count(), ChangeRecord.objects.count())
    _, err = lapis_fails("import_inclusion", str(path), "--partnership", "Hull", "--as", "fran")
    assert "refused: fran cannot load inclusion figures" in err
    assert (SchoolFigure.objects.count(), ChangeRecord.objects.count()) == before


def test_import_names_every_problem_and_writes_nothing(schools, tmp_path):
    path = tmp_path / "bad.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Autumn"
    sheet.append(["  urn ", "SCHOOL name", "phase", "Trust", "locality", "pupils on roll",
                  "measure", "PERIOD", "count", "denominator"])
    sheet.append([900001, "Illustrative Primary A", "Primary", "Illustrative Learning Trust",
                  "East Hull", 350, "Suspensions", "2024/25 Autumn", 18, None])
    sheet.append(["12", "Tiny", "Infant", "", "East Hull", 10, "Attendance", "2024/26",
                  -1, None])
    sheet.append([900003, "Illustrative Primary C", "Primary", "Illustrative Community Trust",
                  "West Hull", 210, "Attendance", "2024/25 Autumn", 999, 100])
    workbook.save(path)
    before = (SchoolFigure.objects.count(), ChangeRecord.objects.count())
    _, err = lapis_fails("import_inclusion", str(path), "--partnership", "Hull")
    assert "bad.xlsx, sheet 'Autumn', row 3, column A (URN): '12' is not a URN" in err
    assert "row 3, column C (Phase): 'Infant' is not a phase" in err
    assert "row 3, column H (Period)" in err and "row 3, column I (Count)" in err
    assert "row 4, column I (Count): 999 sessions attended is more than the 100" in err
    assert "nothing was imported" in err
    assert (SchoolFigure.objects.count(), ChangeRecord.objects.count()) == before


def test_reimport_updates_and_keeps_history_and_dry_run_writes_nothing(schools, alice,
                                                                       tmp_path):
    path = tmp_path / "update.csv"
    path.write_text(HEADER + "900001,Illustrative Primary A,Primary,Illustrative Learning "
                    "Trust,East Hull,360,Suspensions,2024/25 Autumn,21,\n")
    before = ChangeRecord.objects.count()
    out, _ = lapis("import_inclusion", str(path), "--partnership", "Hull", "--dry-run")
    assert out.startswith("Would import update.csv") and ChangeRecord.objects.count() == before
    out, _ = lapis("import_inclusion", str(path), "--partnership", "Hull", "--as", "alice")
    assert "1 updated" in out and "URN 900001: changed pupils" in out
    school = School.objects.get(urn="900001")
    figure = school.figures.get(measure="suspensions", period=AUTUMN)
    assert school.pupils == 360 and figure.count == 21 and figure.denominator == 360
    fields = set(ChangeRecord.objects.filter(by="alice").values_list("field", flat=True))
    assert fields == {"pupils", "count", "denominator"}


def test_export_round_trips_and_shared_export_withholds(schools, tmp_path):
    figure = small_figure()
    out, _ = lapis("export_inclusion", "--partnership", "Hull", "--format", "csv")
    path = tmp_path / "all.csv"
    path.write_text(out)
    before = ChangeRecord.objects.count()
    imported, _ = lapis("import_inclusion", str(path), "--partnership", "Hull")
    assert "240 unchanged" in imported and ChangeRecord.objects.count() == before
    shared, _ = lapis("export_inclusion", "--partnership", "Hull", "--format", "json",
                      "--shared", "--measure", "suspensions", "--period", "2024/25 autumn")
    data = json.loads(shared)
    assert data["shared"] is True and len(data["figures"]) == 20
    mine = next(f for f in data["figures"] if f["urn"] == figure.school.urn)
    assert mine["count"] == "fewer than 5" and mine["value"] is None
    _, err = lapis_fails("export_inclusion", "--partnership", "Hull", "--format", "xlsx")
    assert "give -o FILE.xlsx" in err
    book = tmp_path / "shared.xlsx"
    lapis("export_inclusion", "--partnership", "Hull", "--format", "xlsx", "--shared",
          "-o", str(book))
    rows = list(openpyxl.load_workbook(book).active.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 240 and not any(isinstance(r[8], int) and 1 <= r[8] <= 4 for r in rows)


def test_exported_text_is_neutralised(schools, tmp_path):
    School.objects.filter(urn="900001").update(name="=HYPERLINK(\"x\")")
    out, _ = lapis("export_inclusion", "--partnership", "Hull", "--format", "csv")
    assert "'=HYPERLINK" in out
