"""The SEF: framework loaded by migration, content per area, pages, checks and the document."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lapis.core.actors import System
from lapis.core.history import history
from lapis.demo import sef as demo
from lapis.plans.models import Action, ChangeKind, ChangeRequest, Decision, Family, Status
from lapis.scorecard.models import Indicator
from lapis.sef import actions, queries
from lapis.sef.models import Afi, EvidenceItem, Framework, FrameworkArea, SefArea, SourceKind
from tests.integration.helpers import lapis, lapis_fails

pytestmark = pytest.mark.django_db


@pytest.fixture
def hull_sef(hull):
    demo.load(hull)
    return hull


def test_the_migration_loads_twelve_areas_of_the_2023_framework(db):
    framework = Framework.objects.get(version="2023")
    titles = list(framework.areas.values_list("number", "title"))
    assert [n for n, _ in titles] == list(range(1, 13))
    assert titles[0][1].startswith("Children and young people's needs are identified")
    assert titles[10][1].startswith("Leaders create an environment for effective practice")
    assert "kept safe" in titles[11][1]


def test_a_later_framework_loads_beside_the_first(hull):
    later = Framework.objects.create(name="Next framework", version="2027",
                                     valid_from="2027-01-01")
    FrameworkArea.objects.create(framework=later, number=1, title="One area")
    assert Framework.objects.count() == 2
    assert len(actions.ensure_areas(partnership=hull)) == 12  # today's framework
    assert len(actions.ensure_areas(partnership=hull, framework=later)) == 1


def test_a_new_partnership_has_every_area_with_no_content(client, alice, hull):
    client.force_login(alice)
    page = client.get(reverse("sef:index"))
    assert page.status_code == 200
    assert SefArea.objects.filter(partnership=hull).count() == 12
    assert page.content.decode().count("No content yet") == 12


def test_the_demo_fills_areas_and_links_real_actions(hull_sef):
    area1 = SefArea.objects.get(partnership=hull_sef, area__number=1)
    assert area1.big_picture.startswith("The introduction of Progressive Provision Levels")
    refs = {a.ref for p in area1.priorities.all() for a in p.actions.all()}
    assert {"3.18", "3.19", "4.5", "4.6"} <= refs
    assert area1.evidence.filter(source_kind=SourceKind.INDICATOR, figure=385).exists()
    afi4 = Afi.objects.get(partnership=hull_sef, code="AFI4")
    assert {"1.4", "2.4", "3.2"} <= {a.ref for a in afi4.actions.all()}
    demo.load(hull_sef)  # again: nothing changes
    assert area1.evidence.count() == EvidenceItem.objects.filter(sef_area=area1).count() == 6


def test_the_area_page_shows_content_and_history(client, alice, hull_sef):
    client.force_login(alice)
    area = SefArea.objects.get(partnership=hull_sef, area__number=1)
    page = client.get(reverse("sef:area", args=[area.pk])).content.decode()
    assert "Progressive Provision Levels" in page
    assert "IP 4.6" in page and "History of changes" in page
    assert "evidence added" in page.lower()


def test_an_outsider_cannot_see_or_edit(client, charlie, hull_sef):
    client.force_login(charlie)
    area = SefArea.objects.get(partnership=hull_sef, area__number=1)
    assert client.get(reverse("sef:area", args=[area.pk])).status_code == 404
    assert client.post(reverse("sef:edit", args=[area.pk]), {}).status_code == 404


def test_a_viewer_may_read_but_not_edit(client, hull_sef):
    from lapis.partnership.models import Role
    from tests.conftest import _member

    viewer = _member("victor", hull_sef, Role.VIEWER)
    client.force_login(viewer)
    area = SefArea.objects.get(partnership=hull_sef, area__number=1)
    assert client.get(reverse("sef:area", args=[area.pk])).status_code == 200
    assert client.get(reverse("sef:edit", args=[area.pk])).status_code == 403
    assert client.post(reverse("sef:edit", args=[area.pk]),
                       {"big_picture": "x", "version": area.version}).status_code == 403
    assert client.post(reverse("sef:add_evidence", args=[area.pk]), {}).status_code == 403


def test_editing_the_big_picture_is_audited(client, alice, hull):
    client.force_login(alice)
    area = actions.ensure_areas(partnership=hull)[4]
    response = client.post(reverse("sef:edit", args=[area.pk]), {
        "big_picture": "Inclusion is improving.", "judgement": "good",
        "version": area.version})
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.big_picture, area.judgement, area.version) == ("Inclusion is improving.",
                                                                "good", 2)
    assert {c.field for c in history(area)} == {"big_picture", "judgement"}


def test_a_stale_edit_is_refused(client, alice, hull):
    client.force_login(alice)
    area = actions.ensure_areas(partnership=hull)[0]
    actions.edit_area(sef_area=area, by=System("bob"), version=1, big_picture="Bob's words")
    response = client.post(reverse("sef:edit", args=[area.pk]), {
        "big_picture": "Alice's words", "judgement": "", "version": 1})
    assert response.status_code == 409
    assert "Bob&#x27;s words" in response.content.decode()
    area.refresh_from_db()
    assert area.big_picture == "Bob's words"


def test_adding_evidence_and_a_priority_on_the_web(client, alice, hull):
    client.force_login(alice)
    area = actions.ensure_areas(partnership=hull)[1]
    action = Action.objects.get(plan__partnership=hull, ref="6.3")
    response = client.post(reverse("sef:add_evidence", args=[area.pk]), {
        "kind": "strength", "number": "2.1", "text": "Parents shape plans.",
        "source_kind": "audit", "source": "EHCP audit", "indicator": "", "period": "",
        "figure": ""})
    assert response.status_code == 302
    response = client.post(reverse("sef:add_priority", args=[area.pk]), {
        "text": "Support decision-making at 16 (IP 6.3)", "actions": [action.pk]})
    assert response.status_code == 302
    assert area.evidence.get().text == "Parents shape plans."
    assert list(area.priorities.get().actions.all()) == [action]


def test_indicator_evidence_needs_a_period(client, alice, hull_sef):
    client.force_login(alice)
    area = SefArea.objects.get(partnership=hull_sef, area__number=2)
    indicator = Indicator.objects.get(key="ey_health_visitor_notifications")
    response = client.post(reverse("sef:add_evidence", args=[area.pk]), {
        "kind": "strength", "number": "2.1", "text": "x", "source_kind": "indicator",
        "source": "", "indicator": indicator.pk, "period": "", "figure": "3"})
    assert response.status_code == 400
    assert "period" in response.content.decode()


# --- checks -----------------------------------------------------------------------------


def test_the_demo_has_no_problems(hull_sef):
    report = queries.check(hull_sef)
    assert report.problems == []
    assert len(report.not_started) == 9


def test_sef_check_command_on_the_demo(hull_sef):
    out, _ = lapis("sef_check", partnership="Hull")
    assert "no problems" in out
    out, _ = lapis("sef_check", partnership="Hull", format="json")
    assert json.loads(out)["ok"] is True


def _break(hull):
    """A purpose-built broken SEF: one of each kind of problem."""
    demo.load(hull)
    by = System("test")
    # closed without a closure record: action 3.7's status is set to a closed-family status
    closed = Status.objects.filter(family=Family.CLOSED).first() or Status.objects.create(
        scale=Action.objects.get(plan__partnership=hull, ref="3.7").plan.scale,
        label="Closed", colour="grey", family=Family.CLOSED, position=99)
    Action.objects.filter(plan__partnership=hull, ref="3.7").update(status=closed)
    # a cited action that is not in the plan (renumbered)
    area9 = SefArea.objects.get(partnership=hull, area__number=9)
    actions.add_priority(sef_area=area9, by=by, text="Improve something (IP 9.99)")
    # an indicator with no value for the period; a quoted figure that does not match
    indicator = Indicator.objects.get(key="ey_health_visitor_notifications")
    actions.add_evidence(sef_area=area9, by=by, number="9.20", text="400 notifications",
                         source_kind=SourceKind.INDICATOR, indicator=indicator,
                         period="2023/24", figure=400)
    actions.add_evidence(sef_area=area9, by=by, number="9.21", text="In 2022/23 ...",
                         source_kind=SourceKind.INDICATOR, indicator=indicator,
                         period="2022/23", figure=300)
    # an area with content but no evidence and no linked action
    area5 = SefArea.objects.get(partnership=hull, area__number=5)
    actions.edit_area(sef_area=area5, by=by, version=area5.version, big_picture="Started, no more.")
    # AFIs with no action and no measure
    actions.set_afi(partnership=hull, by=by, code="AFI9", text="No action, no measure")


def test_each_kind_of_problem_is_found(hull):
    _break(hull)
    report = queries.check(hull)
    kinds = {p.kind for p in report.problems}
    assert kinds == {"missing_action", "closed_without_record", "no_value", "figure_mismatch",
                     "no_evidence", "no_action", "afi_no_action", "afi_no_measure"}
    messages = " | ".join(p.message for p in report.problems)
    assert "action 9.99" in messages and "action 3.7" in messages
    assert "quotes 400 but" in messages and "2022/23" in messages


def test_an_approved_closure_request_clears_the_closed_problem(hull):
    _break(hull)
    action = Action.objects.get(plan__partnership=hull, ref="3.7")
    board = hull.boards.first()
    ChangeRequest.objects.create(action=action, kind=ChangeKind.CLOSE, reason="done",
                                 board=board, raised_by="alice",
                                 decision=Decision.APPROVED, decided_on="2025-01-30")
    kinds = {p.kind for p in queries.check(hull).problems}
    assert "closed_without_record" not in kinds


def test_sef_check_command_fails_on_problems(hull):
    _break(hull)
    out, err = lapis_fails("sef_check", partnership="Hull")
    assert "missing_action" in out and "problem" in err
    out, _ = lapis_fails("sef_check", partnership="Hull", format="json")
    assert json.loads(out)["ok"] is False


def test_the_check_page(client, alice, hull):
    _break(hull)
    client.force_login(alice)
    page = client.get(reverse("sef:check")).content.decode()
    assert "action 9.99" in page and "AFI9" in page


# --- the document -----------------------------------------------------------------------


def test_the_document_has_every_area_in_framework_order(hull_sef):
    from lapis.sef import document

    doc = document.content(hull_sef)
    assert [s.number for s in doc.sections] == list(range(1, 13))
    area1 = doc.sections[0]
    assert ("4.6", Action.objects.get(plan__partnership=hull_sef, ref="4.6").status.label) in [
        pair for p in area1.priorities for pair in p.actions]
    names = {row.name: row for row in area1.indicators}
    assert names["Statutory notifications from health visitors to the Early Years team"
                 ].value == "385"
    assert "New EHC plans issued within 20 weeks" in names


def test_the_status_shown_is_the_current_one(hull_sef):
    from lapis.sef import document

    action = Action.objects.get(plan__partnership=hull_sef, ref="4.6")
    other = action.plan.scale.statuses.exclude(pk=action.status_id).first()
    Action.objects.filter(pk=action.pk).update(status=other)
    area1 = document.content(hull_sef).sections[0]
    assert ("4.6", other.label) in [pair for p in area1.priorities for pair in p.actions]


def test_sef_docx_reads_back_with_headings_and_tables(hull_sef, tmp_path):
    import docx

    path = tmp_path / "sef.docx"
    out, _ = lapis("sef", format="docx", output=str(path), partnership="Hull")
    assert "12 areas" in out
    read = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in read.paragraphs
                if p.style.name.startswith(("Heading", "Title"))]
    level1 = [text for style, text in headings if style == "Heading 1"]
    assert level1[0] == "Contents"
    assert level1[1].startswith("1. Children and young people's needs are identified")
    assert len(level1) == 13 and level1[12].startswith("12. ")
    assert ("Heading 2", "Improvement priorities") in headings
    assert read.core_properties.language == "en-GB"
    first = read.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["Number", "Evidence", "Source"]
    assert first.rows[1].cells[0].text == "1.1"
    assert first.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    priorities = next(t for t in read.tables if t.rows[0].cells[0].text == "Priority")
    assert "4.6: " in " ".join(c.text for r in priorities.rows for c in r.cells)


def test_sef_html_is_structured(hull_sef, tmp_path):
    path = tmp_path / "sef.html"
    lapis("sef", format="html", output=str(path), partnership="Hull")
    html = path.read_text()
    assert '<html lang="en-GB">' in html
    assert html.count('<h2 id="area-') == 12
    assert '<th scope="col">Priority</th>' in html and "<caption>" in html


def test_sef_pdf_is_produced_and_tagged(hull_sef, tmp_path):
    import shutil
    import subprocess

    path = tmp_path / "sef.pdf"
    lapis("sef", format="pdf", output=str(path), partnership="Hull")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    from lapis.sef import document

    plain = document.to_pdf(document.content(hull_sef), uncompressed=True)
    assert b"/StructTreeRoot" in plain and b"/MarkInfo" in plain  # tagged
    assert b"/Lang (en-GB)" in plain
    assert b"pdfuaid" in plain  # declares PDF/UA-1
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Leaders evaluate services and make improvements" in text


def test_the_actions_refuse_anyone_who_may_not_edit_the_sef(personas, hull):
    """The check lives in the actions, not only in the pages that call them."""
    area = actions.ensure_areas(partnership=hull)[2]
    pm = personas["pm"]
    item = actions.add_evidence(sef_area=area, by=pm, number="3.1", text="A strength",
                                source_kind=SourceKind.AUDIT)
    first = actions.add_priority(sef_area=area, by=pm, text="First")
    second = actions.add_priority(sef_area=area, by=pm, text="Second")
    assert (first.position, second.position) == (1, 2)
    before = len(history(area))
    refused = [
        (actions.edit_area, {"sef_area": area, "version": area.version,
                             "big_picture": "Taken over"}),
        (actions.add_evidence, {"sef_area": area, "number": "3.2", "text": "x",
                                "source_kind": SourceKind.AUDIT}),
        (actions.remove_evidence, {"item": item}),
        (actions.add_priority, {"sef_area": area, "text": "x"}),
        (actions.remove_priority, {"priority": first}),
        (actions.set_afi, {"partnership": hull, "code": "AFI1", "text": "x"}),
    ]
    for who in ("lead", "board", "forum", "auditor", "viewer", "outsider"):
        for action, values in refused:
            with pytest.raises(PermissionDenied):
                action(by=personas[who], **values)
    assert len(history(area)) == before
    assert not Afi.objects.filter(partnership=hull, code="AFI1").exists()
