"""Board packs on the real Hull register: made by the command and the pages, stored, compared;
"a board pack generated twice with a change in between shows exactly that change"."""

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from lapis.boardpacks import actions as pack_actions
from lapis.boardpacks import queries
from lapis.boardpacks.actions import OPERATOR
from lapis.boardpacks.models import BoardPack
from lapis.core.dates import PartialDate
from lapis.core.models import ChangeRecord
from lapis.partnership.models import Board, Membership, Partnership, Role
from lapis.plans import actions as work
from lapis.plans.models import Action, ChangeRequest
from lapis.risks.models import Risk
from tests.integration.helpers import lapis, lapis_fails

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"
STRATEGIC = "SEND Strategic Board"


class Piped(io.StringIO):
    def isatty(self):
        return False


def make(username, role):
    lapis("createuser", username, "--role", role, "--partnership", "Hull",
          stdin=Piped(PASSWORD + "\n"))
    return get_user_model().objects.get(username=username)


def pack_json(tmp_path, name, *args):
    path = tmp_path / name
    _, err = lapis("board_pack", "--board", STRATEGIC, "--partnership", "Hull",
                   "--format", "json", "-o", str(path), *args)
    return json.loads(path.read_text()), err


def board(name=STRATEGIC):
    return Board.objects.get(name=name, partnership__name="Hull")


# --- done when -----------------------------------------------------------------------------


@pytest.mark.parametrize("governing", [False, True])
def test_a_pack_made_twice_shows_exactly_the_change_in_between(hull, tmp_path, governing):
    extra = ["--governing"] if governing else []
    first, err = pack_json(tmp_path, "first.json", *extra)
    assert "first pack for this board" in err
    assert first["changes"] is None and first["governing"] is governing
    assert len(first["actions"]) == (81 if governing else 9)

    make("pm", "programme_manager")
    out, _ = lapis("progress", "2.1", "--text", "Capacity in the team fell in the summer",
                   "--status", "On track some concerns", "--reason", "Two posts vacant",
                   "--as", "pm", "--partnership", "Hull")
    assert "status now On track some concerns" in out

    second, err = pack_json(tmp_path, "second.json")
    assert "1 change" not in err and "2 changes since the pack as of" in err
    entry = Action.objects.get(ref="2.1").progress.get(text__startswith="Capacity")
    today = dt.date.today().isoformat()
    assert second["changes"] == [
        {"kind": "update", "ref": "2.1", "id": entry.pk, "date": today,
         "text": "Capacity in the team fell in the summer",
         "status_from": "On track no concerns", "status_to": "On track some concerns"},
        {"kind": "status", "ref": "2.1", "old": "On track no concerns",
         "new": "On track some concerns"},
    ]
    assert second["previous"] == {"id": first["id"], "as_of": today}

    # The stored pack, its page and the compare page say the same.
    stored = BoardPack.objects.get(pk=second["id"])
    assert stored.changes == second["changes"]
    assert BoardPack.objects.filter(board=board()).count() == 2


def test_a_third_pack_with_nothing_in_between_has_no_changes(hull, tmp_path):
    pack_json(tmp_path, "one.json")
    again, err = pack_json(tmp_path, "two.json")
    assert again["changes"] == [] and "0 changes" in err


def test_a_due_date_moved_later_through_change_control_is_slippage(hull, alice, tmp_path):
    pack_json(tmp_path, "one.json")
    action = Action.objects.select_related("plan", "status").get(ref="2.1")
    admin = get_user_model().objects.create_user("ada", password=PASSWORD)
    Membership.objects.create(user=admin, partnership=hull, role=Role.ADMIN)
    request = work.raise_change_request(
        action=action, by=alice, kind="due_date", reason="Recruitment delayed", board=board(),
        new_due=PartialDate(dt.date(2026, 9, 1), "month"))
    work.decide(request=ChangeRequest.objects.get(pk=request.pk), by=admin, approve=True)
    after, _ = pack_json(tmp_path, "two.json")
    assert after["changes"] == [{"kind": "slipped", "ref": "2.1", "old": "2026-04",
                                 "new": "2026-09", "days": 153}]


# --- what a pack holds ----------------------------------------------------------------------


def test_the_pack_holds_every_section(hull, alice):
    strategic = board()
    action = Action.objects.select_related("plan", "status").get(ref="1.6")
    request = work.raise_change_request(action=action, by=alice, kind="close",
                                        reason="Embedded in BAU", board=strategic,
                                        evidence="Audit 2025")
    for n, residual in enumerate([(2, 2), (5, 5), (4, 4), (3, 3), (1, 1), (5, 4), (2, 3)]):
        Risk.objects.create(partnership=hull, code=f"R{n + 1}", title=f"Risk {n + 1}",
                            inherent_likelihood=5, inherent_impact=5,
                            residual_likelihood=residual[0], residual_impact=residual[1],
                            response="treat")
    Risk.objects.create(partnership=hull, code="R99", title="Closed one", status="closed",
                        inherent_likelihood=5, inherent_impact=5, residual_likelihood=5,
                        residual_impact=5, response="treat")
    snapshot = queries.snapshot(strategic, dt.date(2025, 10, 1))
    assert sorted(snapshot["actions"]) == ["1.6", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2",
                                           "3.3", "3.4"]
    assert snapshot["rollup"]["plan"]["total"] == 9
    assert [r["label"] for r in snapshot["rollup"]["priorities"]] == [
        "Priority 1", "Priority 2", "Priority 3"]
    assert [c["code"] for c in snapshot["change_requests"]] == [request.code]
    assert [r["code"] for r in snapshot["risks"]] == ["R2", "R6", "R3", "R4", "R7"]
    assert snapshot["risks"][0]["residual"] == 25
    assert snapshot["scorecard"] is None
    assert snapshot["due"]["planned"] is False and snapshot["due"]["meeting"] == "2025-10-01"
    for row in snapshot["drift"]:
        assert set(row["flags"]) <= {"overdue", "stale"} and row["ref"] in snapshot["actions"]
    json.dumps(snapshot)  # plain JSON-ready data


def test_progress_dated_after_the_as_of_date_is_left_out(hull, alice):
    action = Action.objects.select_related("plan", "status").get(ref="2.1")
    work.add_progress(action=action, by=alice, text="Later news", on=dt.date(2025, 11, 5))
    early = queries.snapshot(board(), dt.date(2025, 11, 4))["actions"]["2.1"]["progress"]
    late = queries.snapshot(board(), dt.date(2025, 11, 5))["actions"]["2.1"]["progress"]
    assert "Later news" not in [e["text"] for e in early]
    assert "Later news" in [e["text"] for e in late]


def test_the_previous_pack_is_the_latest_dated_on_or_before(hull):
    strategic = board()
    old = pack_actions.create_pack(board=strategic, as_of=dt.date(2025, 1, 1), by=OPERATOR)
    later = pack_actions.create_pack(board=strategic, as_of=dt.date(2025, 6, 1), by=OPERATOR)
    between = pack_actions.create_pack(board=strategic, as_of=dt.date(2025, 3, 1), by=OPERATOR)
    assert between.snapshot["previous"]["id"] == old.pk
    assert later.snapshot["previous"]["id"] == old.pk


# --- who may make one -----------------------------------------------------------------------


def test_the_command_as_an_editor_records_who_and_audits_it(hull, alice, tmp_path):
    pack, _ = pack_json(tmp_path, "pack.json", "--as", "alice")
    stored = BoardPack.objects.get(pk=pack["id"])
    assert stored.created_by == "alice"
    assert ChangeRecord.objects.filter(model="boardpacks.BoardPack", object_id=stored.pk,
                                       field="created", by="alice").exists()


def test_the_command_refuses_a_non_editor_and_stores_nothing(hull, tmp_path):
    make("vic", "viewer")
    _, error = lapis_fails("board_pack", "--board", STRATEGIC, "--partnership", "Hull",
                           "--as", "vic", "-o", str(tmp_path / "x.pdf"))
    assert "refused" in error
    assert not BoardPack.objects.exists() and not (tmp_path / "x.pdf").exists()


def test_the_command_names_the_boards_when_one_is_unknown(hull, tmp_path):
    _, error = lapis_fails("board_pack", "--board", "No such board", "--partnership", "Hull",
                           "-o", str(tmp_path / "x.pdf"))
    assert "no board called 'No such board'" in error and STRATEGIC in error


def test_the_command_writes_a_pdf_and_html(hull, tmp_path):
    lapis("board_pack", "--board", STRATEGIC, "--partnership", "Hull", "-o",
          str(tmp_path / "pack.pdf"))
    assert (tmp_path / "pack.pdf").read_bytes()[:5] == b"%PDF-"
    out, _ = lapis("board_pack", "--board", STRATEGIC, "--partnership", "Hull",
                   "--format", "html")
    assert '<html lang="en-GB">' in out and "<h2" in out and 'scope="col"' in out
    assert "Changed since the last pack" in out


# --- pages and API ------------------------------------------------------------------------


def test_an_editor_makes_packs_on_the_page_and_compares_them(client, hull, alice):
    client.force_login(alice)
    strategic = board()
    response = client.post(f"/board-packs/boards/{strategic.pk}/make/",
                           {"as_of": "2025-10-01"})
    first = BoardPack.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/board-packs/{first.pk}/"
    action = Action.objects.select_related("plan", "status").get(ref="2.1")
    work.add_progress(action=action, by=alice, text="Panel met", on=dt.date(2025, 10, 20))
    client.post(f"/board-packs/boards/{strategic.pk}/make/", {"as_of": "2025-11-01"})
    second = BoardPack.objects.exclude(pk=first.pk).get()

    page = client.get(f"/board-packs/{second.pk}/").content.decode()
    assert "Changed since the last pack" in page and "2.1 update (2025-10-20): Panel met" in page
    assert "1 change (1 progress update)" in page
    listing = client.get("/board-packs/").content.decode()
    assert f"/board-packs/{first.pk}/" in listing and f"/board-packs/{second.pk}/" in listing
    compare = client.get(f"/board-packs/{first.pk}/compare/{second.pk}/").content.decode()
    assert "Panel met" in compare and "1 change" in compare
    pdf = client.get(f"/board-packs/{second.pk}/pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    assert "attachment" in pdf["Content-Disposition"]


def test_a_bad_date_on_the_page_makes_nothing(client, hull, alice):
    client.force_login(alice)
    response = client.post(f"/board-packs/boards/{board().pk}/make/", {"as_of": "1 Octob"},
                           follow=True)
    assert "real date" in response.content.decode() and not BoardPack.objects.exists()


def test_making_a_pack_or_a_governing_board_is_for_editors(client, hull):
    viewer = make("vic", "viewer")
    client.force_login(viewer)
    strategic = board()
    assert client.post(f"/board-packs/boards/{strategic.pk}/make/").status_code == 403
    assert client.post(f"/board-packs/boards/{strategic.pk}/governing/").status_code == 403
    assert not BoardPack.objects.exists()
    assert "Make a pack" not in client.get("/board-packs/").content.decode()
    assert client.get("/board-packs/").status_code == 200


def test_the_governing_board_is_set_on_the_page(client, hull, alice):
    client.force_login(alice)
    client.post(f"/board-packs/boards/{board().pk}/governing/")
    assert queries.governing_board(hull.pk) == board()
    assert "The governing board is <strong>SEND Strategic Board</strong>" in client.get(
        "/board-packs/").content.decode()


def test_another_partnership_sees_no_pack(client, hull, charlie):
    pack = pack_actions.create_pack(board=board(), as_of=dt.date(2025, 10, 1), by=OPERATOR)
    other = pack_actions.create_pack(board=board(), as_of=dt.date(2025, 11, 1), by=OPERATOR)
    client.force_login(charlie)
    for url in (f"/board-packs/{pack.pk}/", f"/board-packs/{pack.pk}/pdf",
                f"/board-packs/{pack.pk}/compare/{other.pk}/",
                f"/api/board-packs/{pack.pk}"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/board-packs/boards/{board().pk}/make/").status_code == 404
    assert client.get("/api/board-packs").json() == []
    assert "SEND Strategic Board" not in client.get("/board-packs/").content.decode()


def test_packs_of_different_boards_are_not_compared(client, hull, alice):
    client.force_login(alice)
    one = pack_actions.create_pack(board=board(), as_of=dt.date(2025, 10, 1), by=OPERATOR)
    two = pack_actions.create_pack(board=board("SEND Delivery Board"),
                                   as_of=dt.date(2025, 10, 1), by=OPERATOR)
    assert client.get(f"/board-packs/{one.pk}/compare/{two.pk}/").status_code == 404


def test_the_api_lists_shows_compares_and_makes_packs(client, hull, alice):
    client.force_login(alice)
    made = client.post("/api/board-packs", {"board": board().pk, "as_of": "2025-10-01"},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["changes"] is None
    first = made.json()["id"]
    second = client.post("/api/board-packs", {"board": board().pk},
                         content_type="application/json").json()["id"]
    listed = client.get(f"/api/board-packs?partnership={hull.pk}").json()
    assert [p["id"] for p in listed] == [second, first]
    assert client.get(f"/api/board-packs/{first}").json()["board"]["name"] == STRATEGIC
    compared = client.get(f"/api/board-packs/{second}/compare/{first}").json()
    assert compared["from"] == first and compared["to"] == second


def test_the_api_refuses_a_viewer(client, hull):
    client.force_login(make("vic", "viewer"))
    response = client.post("/api/board-packs", {"board": board().pk},
                           content_type="application/json")
    assert response.status_code == 403 and not BoardPack.objects.exists()


def test_a_partnership_with_no_boards_has_an_empty_list(client, charlie):
    client.force_login(charlie)
    page = client.get("/board-packs/").content.decode()
    assert "No boards yet" in page and Partnership.objects.filter(name="Elsewhere").exists()


def test_the_pack_reports_plan_quality_and_the_voice_of_families(client, hull, alice):
    """The latest quarter's EHC plan audits (the hand-worked set in tests/fixtures/quality,
    EXPECTED.md) and complaints (tests/fixtures/voice) reach the board, with no plan ID."""
    from tests.conftest import FIXTURES

    strategic = board()
    empty = queries.snapshot(strategic, dt.date(2025, 1, 15))
    assert empty["quality"] is None and empty["voice"] == {"complaints": [], "you_said": []}
    lapis("import_audits", str(FIXTURES / "quality" / "audits-small.csv"),
          "--partnership", "Hull")
    lapis("import_complaints", str(FIXTURES / "voice" / "complaints.csv"),
          "--partnership", "Hull")
    snapshot = queries.snapshot(strategic, dt.date(2025, 1, 15))
    quality = snapshot["quality"]
    assert quality["quarter"] == "2024Q2" and quality["audits"] == 5
    assert quality["overall"] == {"Outstanding": 2, "Good": 1, "Requires improvement": 1,
                                  "Inadequate": 1}
    assert quality["good_or_better_pct"] == 60.0
    assert quality["change"] == "Up 10.0 percentage points on 2024Q1 (50.0%)."
    # Dated before the June audits, the pack sees the same quarter with fewer plans.
    assert queries.snapshot(strategic, dt.date(2024, 5, 1))["quality"]["audits"] == 2
    complaints = {q["quarter"]: (q["received"], q["within"], q["counted"])
                  for q in snapshot["voice"]["complaints"]}
    assert complaints == {"2024 Q2": (3, 2, 3), "2024 Q3": (0, 0, 0), "2024 Q4": (2, 1, 2)}
    text = json.dumps(snapshot)
    assert "P00" not in text  # no plan ID in a pack
    client.force_login(alice)
    made = pack_actions.create_pack(board=strategic, as_of=dt.date(2025, 1, 15), by=alice)
    page = client.get(f"/board-packs/{made.pk}/").content.decode()
    assert "Quality of EHC plans" in page and "60.0% good or better" in page
    assert "The voice of families" in page and "66.7% (2 of 3)" in page


def test_the_actions_refuse_anyone_who_may_not_make_packs(personas, hull):
    """The check lives in the actions, not only in the pages, API and command."""
    for who in ("lead", "board", "forum", "auditor", "viewer", "outsider"):
        with pytest.raises(PermissionDenied):
            pack_actions.create_pack(board=board(), as_of=dt.date(2025, 10, 1),
                                     by=personas[who])
        with pytest.raises(PermissionDenied):
            pack_actions.set_governing(board=board(), by=personas[who])
    assert not BoardPack.objects.exists()
    made = pack_actions.create_pack(board=board(), as_of=dt.date(2025, 10, 1), by=OPERATOR)
    assert made.created_by == "operator"
