"""The voice pages, exports, API and public page through Django's test client, with the demo
records loaded."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from lapis.core.models import ChangeRecord
from lapis.demo import voice as demo
from lapis.partnership.models import Membership, Person, Role
from lapis.voice.models import Complaint, Compliment, Engagement, Survey, YouSaid

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(hull, alice):
    demo.load_demo(hull, by="alice")
    return hull


def _user(name, partnership, role):
    user = get_user_model().objects.create_user(name, password="x")
    Membership.objects.create(user=user, partnership=partnership, role=role)
    return user


def test_the_demo_is_labelled_complete_and_loads_once(loaded):
    assert Survey.objects.get().title.endswith("(invented demo data)")
    complaints = Complaint.objects.filter(partnership=loaded)
    assert 50 <= complaints.count() <= 90
    assert all(c.reference.startswith("DEMO-") for c in complaints)
    span = max(c.received for c in complaints) - min(c.received for c in complaints)
    assert span.days > 330
    assert Compliment.objects.count() == 6 and Engagement.objects.count() == 8
    items = YouSaid.objects.prefetch_related("actions")
    assert 6 <= items.count() <= 8
    assert all(y.said.startswith("Invented example") for y in items)
    refs = {a.ref for y in items for a in y.actions.all()}
    assert {"1.1", "1.4", "4.6"} <= refs
    before = (Complaint.objects.count(), YouSaid.objects.count(), ChangeRecord.objects.count())
    assert demo.load_demo(loaded, by="alice") == {
        "survey": 0, "complaints": 0, "compliments": 0, "engagement": 0, "you_said": 0}
    assert (Complaint.objects.count(), YouSaid.objects.count(),
            ChangeRecord.objects.count()) == before


def test_the_landing_page_shows_the_headlines_and_themes_by_quarter(loaded, alice, client):
    client.force_login(alice)
    page = client.get("/voice/").content.decode()
    assert "Complaint themes by quarter" in page
    for quarter in ("2024 Q2", "2024 Q3", "2024 Q4", "2025 Q1"):
        assert quarter in page
    assert "Communication" in page and "Answered within the standard" in page
    assert "You said: Invented example" in page
    assert 'href="/plan/actions/' in page
    assert "Parent carer survey (invented demo data)" in page


def test_the_survey_page_shows_results_and_free_text_only_to_editors(loaded, alice, client):
    survey = Survey.objects.get()
    client.force_login(alice)
    page = client.get(f"/voice/surveys/{survey.pk}/").content.decode()
    assert "% agree or strongly agree" in page and "% yes" in page
    assert "free-text answers (editors only)" in page
    assert "One named contact" in page or "Shorter waits" in page
    forum = _user("fiona", loaded, Role.FORUM)
    client.force_login(forum)
    page = client.get(f"/voice/surveys/{survey.pk}/").content.decode()
    assert "% agree or strongly agree" in page
    assert "One named contact" not in page and "Shorter waits for therapy" not in page
    assert "Save indicator" not in page


def test_an_editor_names_a_survey_indicator_and_a_wrong_kind_is_refused(loaded, alice, client):
    survey = Survey.objects.get()
    client.force_login(alice)
    q2 = survey.questions.get(number=2)
    response = client.post(f"/voice/surveys/{survey.pk}/", {
        "question": q2.pk, f"q{q2.pk}-indicator_name": "% of parents who feel listened to"})
    assert response.status_code == 302
    q2.refresh_from_db()
    assert q2.indicator_name == "% of parents who feel listened to"
    q4 = survey.questions.get(number=4)
    response = client.post(f"/voice/surveys/{survey.pk}/", {
        "question": q4.pk, f"q{q4.pk}-indicator_name": "Nope"})
    assert response.status_code == 404 or "Only an agree-scale" in response.content.decode()
    q4.refresh_from_db()
    assert q4.indicator_name == ""


def test_complaints_filter_by_theme_quarter_and_outcome(loaded, alice, client):
    client.force_login(alice)
    everything = list(Complaint.objects.filter(partnership=loaded))
    page = client.get("/voice/complaints/?theme=communication&quarter=2024+Q2").content
    expected = [c for c in everything if "communication" in c.themes
                and dt.date(2024, 4, 1) <= c.received <= dt.date(2024, 6, 30)]
    assert f"Showing {len(expected)} of {len(everything)} complaints." in page.decode()
    page = client.get("/voice/complaints/?outcome=open").content.decode()
    shown = re.findall(r">(DEMO-C-\d+)<", page)
    assert sorted(shown) == sorted(c.reference for c in everything if c.outcome == "open")


def test_adding_and_editing_a_complaint_keeps_history(loaded, alice, client):
    client.force_login(alice)
    data = {"reference": "C-NEW-1", "received": "03/03/2025", "channel": "email",
            "service": "SEND casework", "themes": ["communication", "transport"], "stage": "1",
            "outcome": "open", "responded": ""}
    response = client.post(f"/voice/complaints/new/?partnership={loaded.pk}", data)
    assert response.status_code == 302
    complaint = Complaint.objects.get(reference="C-NEW-1")
    assert complaint.themes == ["communication", "transport"]
    page = client.get(f"/voice/complaints/{complaint.pk}/").content.decode()
    assert "Due by" in page and "31 Mar 2025" in page and "History of changes" in page
    data.update(outcome="upheld", responded="2025-03-20", version=complaint.version)
    response = client.post(f"/voice/complaints/{complaint.pk}/edit/", data)
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.outcome == "upheld" and complaint.version == 2
    assert {r.field for r in ChangeRecord.objects.filter(object_id=complaint.pk,
                                                        model="voice.Complaint")} >= {
        "created", "outcome", "responded"}
    # A stale edit is refused, nothing changes.
    data.update(outcome="not_upheld", version=1)
    response = client.post(f"/voice/complaints/{complaint.pk}/edit/", data)
    assert response.status_code == 409
    complaint.refresh_from_db()
    assert complaint.outcome == "upheld"


def test_the_complaint_form_names_every_error(loaded, alice, client):
    client.force_login(alice)
    response = client.post(f"/voice/complaints/new/?partnership={loaded.pk}", {
        "reference": "DEMO-C-001", "received": "31/02/2025", "channel": "",
        "outcome": "upheld", "stage": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "<title>Error:" in page
    assert "There is already a complaint DEMO-C-001" in page
    assert "Date received must be a real date" in page
    assert "Choose at least one theme" in page
    assert 'href="#id_themes_0"' in page


def test_you_said_items_link_to_plan_actions_and_a_bad_ref_is_named(loaded, alice, client):
    client.force_login(alice)
    response = client.post(f"/voice/you-said/new/?partnership={loaded.pk}", {
        "said": "We want shorter forms", "source": "forum", "said_on": "2025-03-01",
        "did": "", "status": "listening", "action_refs": "1.1, 9.99"})
    assert response.status_code == 400
    assert "No action &#x27;9.99&#x27;" in response.content.decode()
    response = client.post(f"/voice/you-said/new/?partnership={loaded.pk}", {
        "said": "We want shorter forms", "source": "forum", "said_on": "2025-03-01",
        "did": "", "status": "listening", "action_refs": "1.1"})
    item = YouSaid.objects.get(said="We want shorter forms")
    assert [a.ref for a in item.actions.all()] == ["1.1"]
    page = client.get(f"/voice/you-said/{item.pk}/").content.decode()
    action = item.actions.get()
    assert f'href="/plan/actions/{action.pk}/"' in page


def test_a_forum_member_adds_what_families_said_but_not_what_we_did(loaded, client):
    forum = _user("fiona", loaded, Role.FORUM)
    client.force_login(forum)
    page = client.get(f"/voice/you-said/new/?partnership={loaded.pk}").content.decode()
    assert 'name="said"' in page and 'name="did"' not in page and 'name="publish"' not in page
    response = client.post(f"/voice/you-said/new/?partnership={loaded.pk}", {
        "said": "Forum heard: more drop-ins", "source": "forum", "said_on": "2025-03-01",
        "did": "Sneaky", "publish": "on", "status": "done"})
    assert response.status_code == 302
    item = YouSaid.objects.get(said="Forum heard: more drop-ins")
    assert (item.did, item.publish, item.status) == ("", False, "listening")
    # ...and sees "we did" on the list and the item.
    page = client.get("/voice/you-said/").content.decode()
    assert "Every family now gets a named caseworker" in page


def test_another_partnership_sees_none_of_it(loaded, charlie, client):
    client.force_login(charlie)
    complaint = Complaint.objects.first()
    item = YouSaid.objects.first()
    survey = Survey.objects.get()
    for url in (f"/voice/complaints/{complaint.pk}/", f"/voice/you-said/{item.pk}/",
                f"/voice/surveys/{survey.pk}/", f"/voice/?partnership={loaded.pk}",
                f"/voice/surveys/{survey.pk}/results.csv"):
        assert client.get(url).status_code == 404, url
    assert "DEMO-C" not in client.get("/voice/complaints/").content.decode()
    assert client.get(f"/api/voice/complaints/{complaint.pk}").status_code == 404
    assert client.get("/api/voice/complaints").json() == []


@pytest.mark.parametrize("url", ["/voice/export/complaints.xlsx",
                                 "/voice/export/engagement.xlsx",
                                 "/voice/export/you-said.xlsx", "survey.xlsx"])
def test_xlsx_exports_have_numbers_and_dates_as_themselves(loaded, alice, client, url):
    client.force_login(alice)
    if url == "survey.xlsx":
        url = f"/voice/surveys/{Survey.objects.get().pk}/results.xlsx"
    response = client.get(url)
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) > 5
    typed = [v for row in rows[1:] for v in row if isinstance(v, int | float | dt.datetime)]
    assert typed
    assert not [v for row in rows[1:] for v in row
                if isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", v)]


def test_csv_exports_neutralise_formulas_and_hold_no_free_text(loaded, alice, client):
    client.force_login(alice)
    Compliment.objects.update(theme="=HYPERLINK(1)")
    YouSaid.objects.filter(pk=YouSaid.objects.first().pk).update(said="=cmd|' /C calc'!A0")
    text = client.get("/voice/export/you-said.csv").content.decode()
    assert "'=cmd" in text
    survey = Survey.objects.get()
    text = client.get(f"/voice/surveys/{survey.pk}/results.csv").content.decode()
    assert "(free text, not exported)" in text and "One named contact" not in text
    assert client.get("/voice/export/secrets.csv").status_code == 404
    assert client.get("/voice/export/complaints.pdf").status_code == 404


def test_the_api_reads_writes_and_refuses_a_stale_version(loaded, alice, client):
    client.force_login(alice)
    listed = client.get(f"/api/voice/complaints?partnership={loaded.pk}").json()
    assert len(listed) == Complaint.objects.count()
    response = client.post("/api/voice/complaints", {
        "partnership": loaded.pk, "reference": "API-1", "received": "2025-03-03",
        "channel": "phone", "themes": ["communication"], "stage": 1, "outcome": "open"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["due"] == "2025-03-31"
    assert (made["within_standard"], made["overdue"]) == (False, True)  # open, long past due
    response = client.put(f"/api/voice/complaints/{made['id']}", {
        "version": made["version"], "outcome": "upheld", "responded": "2025-03-04"},
        content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["changed"] == ["outcome", "responded"]
    assert response.json()["working_days"] == 1
    response = client.put(f"/api/voice/complaints/{made['id']}", {
        "version": made["version"], "outcome": "not_upheld"}, content_type="application/json")
    assert response.status_code == 409
    assert Complaint.objects.get(pk=made["id"]).outcome == "upheld"
    response = client.post("/api/voice/complaints", {
        "partnership": loaded.pk, "reference": "API-2", "received": "nope",
        "channel": "pigeon"}, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["errors"]) >= {"received", "channel", "themes"}
    detail = client.get(f"/api/voice/complaints/{made['id']}").json()
    assert [h["field"] for h in detail["history"]][:1] == ["created"]


def test_the_api_you_said_links_actions_and_summary_counts(loaded, alice, client):
    client.force_login(alice)
    response = client.post("/api/voice/you-said", {
        "partnership": loaded.pk, "said": "API said", "source": "survey",
        "said_on": "2025-01-01", "did": "API did", "status": "done", "publish": True,
        "actions": ["1.4"]}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["actions"] == ["1.4"] and response.json()["publish"] is True
    summary = client.get(f"/api/voice/summary?partnership={loaded.pk}").json()
    assert sum(summary["complaints_per_quarter"].values()) == Complaint.objects.count()
    assert "communication" in summary["themes"]
    surveys = client.get("/api/voice/surveys").json()
    assert surveys[0]["questions"][0]["headline"] is not None
    assert "free_text" not in surveys[0]["questions"][4]
    one = client.get(f"/api/voice/surveys/{surveys[0]['id']}").json()
    assert one["questions"][4]["free_text"]


def test_standards_change_the_verdicts(loaded, alice, client):
    client.force_login(alice)
    response = client.post(f"/voice/standards/?partnership={loaded.pk}", {
        "stage_1_working_days": "10", "stage_2_working_days": "25"})
    assert response.status_code == 302
    assert client.get("/api/voice/standards").json()["stage_1_working_days"] == 10
    assert ChangeRecord.objects.filter(field="stage_1_working_days", new="10").exists()
    response = client.post(f"/voice/standards/?partnership={loaded.pk}", {
        "stage_1_working_days": "0", "stage_2_working_days": "25"})
    assert response.status_code == 400


# --- The public page -------------------------------------------------------------------------

def test_the_public_page_needs_a_public_partnership(loaded, client):
    assert client.get(f"/public/{loaded.pk}/you-said-we-did/").status_code == 404
    assert client.get(f"/api/voice/public/{loaded.pk}").status_code == 404


def test_the_public_page_shows_no_names_and_no_count_below_5(loaded, client):
    loaded.public = True
    loaded.save()
    Person.objects.get_or_create(partnership=loaded, name="Zebedee Quarrington")
    names = list(Person.objects.filter(partnership=loaded).values_list("name", flat=True))
    assert names
    # A name typed into an unpublished item stays off the page.
    YouSaid.objects.filter(publish=False).update(said="Zebedee Quarrington said this")
    response = client.get(f"/public/{loaded.pk}/you-said-we-did/")
    assert response.status_code == 200
    page = response.content.decode()
    main = page[page.index("<main"):page.index("</main>")]
    assert "We did" in main and "action 1.1" in main
    for name in names:
        assert name not in page, name
    counts = [int(n) for n in re.findall(r":\s*(\d+)\.", main[main.index('id="counts"'):])]
    assert all(n >= 5 for n in counts)
    assert "fewer than 5" in main
    # No survey free text, no complaint references.
    assert "DEMO-C-" not in page and "One named contact" not in page
    published = YouSaid.objects.filter(publish=True).count()
    assert f"Items shown: {published}." in main
    api = client.get(f"/api/voice/public/{loaded.pk}").json()
    assert api["items_shown"] == str(published)
    assert all("Zebedee" not in item["said"] for item in api["items"])


def test_the_public_page_counts_small_numbers_in_words(loaded, client):
    loaded.public = True
    loaded.save()
    YouSaid.objects.exclude(pk=YouSaid.objects.filter(publish=True).first().pk).update(
        publish=False)
    page = client.get(f"/public/{loaded.pk}/you-said-we-did/").content.decode()
    assert "Items shown: fewer than 5." in page
    assert not re.search(r"Items shown: \d", page)
