"""Working the plan together on the real Hull register: accounts and roles, progress updates,
change control, concurrent edits and the roll-up, through the commands, pages and API."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from lapis.core.models import ChangeRecord
from lapis.partnership.models import Board, Membership, Person, Role
from lapis.plans.models import Action, ChangeRequest
from tests.integration.helpers import lapis, lapis_fails

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


class Piped(io.StringIO):
    def isatty(self):
        return False


def make(username, role, person=None, boards=()):
    args = ["createuser", username, "--role", role, "--partnership", "Hull"]
    if person:
        args += ["--person", person]
    for board in boards:
        args += ["--board", board]
    out, _ = lapis(*args, stdin=Piped(PASSWORD + "\n"))
    return get_user_model().objects.get(username=username), out


def action(ref):
    return Action.objects.select_related("status", "sro").get(ref=ref)


def state(ref):
    """Everything about an action that a refused request must leave alone."""
    a = action(ref)
    return (a.status_id, a.last_reviewed, a.closed, a.due_date, a.description, a.sro_id,
            a.version, a.progress.count(), a.change_requests.count())


# --- accounts and roles --------------------------------------------------------------------


def test_createuser_links_a_lead_to_their_person_and_a_member_to_a_board(hull):
    kelly, out = make("kelly", "lead", person="Kelly Hare")
    assert "lead in Hull, as Kelly Hare" in out and "Password" not in out
    membership = Membership.objects.get(user=kelly)
    assert membership.role == Role.LEAD and membership.person.name == "Kelly Hare"
    assert kelly.check_password(PASSWORD)

    bea, _ = make("bea", "board_member", person="Bea Board", boards=["SEND Strategic Board"])
    assert Board.objects.get(name="SEND Strategic Board").members.filter(name="Bea Board").exists()
    assert Person.objects.get(name="Bea Board").partnership.name == "Hull"


def test_createuser_makes_a_board_member_not_named_in_the_plan_who_decides(hull):
    people = Person.objects.count()
    chair, out = make("chair", "board_member", boards=["SEND Strategic Board"])
    assert "board member in Hull." in out
    assert Membership.objects.get(user=chair).person is None
    assert Person.objects.count() == people  # not named in the plan
    make("pm", "programme_manager")
    out, _ = lapis("change_request", "4.6", "--kind", "close", "--reason", "Done",
                   "--board", "SEND Strategic Board", "--as", "pm")
    lapis("decide", out.strip(), "--approve", "--as", "chair")
    assert ChangeRequest.objects.get(pk=out.strip()).decision == "approved"
    assert action("4.6").closed


def test_createuser_generates_a_password_and_prints_it_once(hull):
    out, _ = lapis("createuser", "vic", "--role", "viewer", "--partnership", "Hull",
                   stdin=Piped(""))
    password = out.split("Password (shown once): ")[1].strip()
    assert len(password) >= 12
    assert get_user_model().objects.get(username="vic").check_password(password)


@pytest.mark.parametrize("args, message", [
    (["--role", "lead"], "--person: A lead needs the name they have in the plan"),
    (["--role", "board_member", "--person", "X", "--board", "No such board"],
     "no board called 'No such board'"),
    (["--role", "viewer", "--board", "SEND Strategic Board"],
     "--person: Boards have people as members"),
])
def test_createuser_refuses_bad_requests_and_creates_nothing(hull, args, message):
    _, error = lapis_fails("createuser", "someone", "--partnership", "Hull", *args,
                           stdin=Piped(PASSWORD))
    assert message in error
    assert not get_user_model().objects.filter(username="someone").exists()


def test_createuser_rejects_a_weak_piped_password(hull):
    _, error = lapis_fails("createuser", "weak", "--role", "viewer", "--partnership", "Hull",
                           stdin=Piped("abc"))
    assert "not good enough" in error
    assert not get_user_model().objects.filter(username="weak").exists()


# --- progress updates ----------------------------------------------------------------------


def test_a_lead_updates_their_own_action_and_it_counts_as_a_review(hull):
    make("kelly", "lead", person="Kelly Hare")  # SRO of 4.6
    before = action("4.6").progress.count()
    out, _ = lapis("progress", "4.6", "--text", "20-week timeliness at 31% in October.",
                   "--date", "2025-11-03", "--as", "kelly")
    assert "Update added to 4.6 on 2025-11-03" in out
    a = action("4.6")
    assert a.last_reviewed == dt.date(2025, 11, 3)
    assert a.progress.count() == before + 1
    entry = a.progress.last()
    assert (entry.text, entry.recorded_by, entry.status_to) == (
        "20-week timeliness at 31% in October.", "kelly", None)
    fields = set(ChangeRecord.objects.filter(object_id=a.pk, model="plans.Action",
                                             by="kelly").values_list("field", flat=True))
    assert fields == {"progress", "last_reviewed"}


def test_a_worse_status_needs_a_reason(hull):
    make("kelly", "lead", person="Kelly Hare")
    before = state("4.6")
    _, error = lapis_fails("progress", "4.6", "--text", "Slipping", "--status",
                           "Off track", "--as", "kelly")
    assert "reason: Say why the status moves from On track no concerns to Off track" in error
    assert state("4.6") == before
    lapis("progress", "4.6", "--text", "Slipping", "--status", "Off track", "--reason",
          "Two educational psychologists left in September", "--as", "kelly")
    a = action("4.6")
    assert a.status.label == "Off track"
    entry = a.progress.last()
    assert entry.status_from.label == "On track no concerns"
    assert entry.reason == "Two educational psychologists left in September"
    assert ChangeRecord.objects.get(object_id=a.pk, field="status", by="kelly").new == "Off track"


def test_a_better_status_needs_no_reason_but_completion_does(hull):
    make("pm", "programme_manager")
    lapis("progress", "4.10", "--text", "Back on track", "--status", "On track no concerns",
          "--as", "pm")
    assert action("4.10").status.label == "On track no concerns"
    _, error = lapis_fails("progress", "4.10", "--text", "Done", "--status", "Completed",
                           "--as", "pm")
    assert "Say why the status moves" in error


def test_a_lead_cannot_update_someone_elses_action(hull):
    make("kelly", "lead", person="Kelly Hare")  # not on 3.18
    before = state("3.18")
    _, error = lapis_fails("progress", "3.18", "--text", "Not mine", "--as", "kelly")
    assert "refused: You cannot update action 3.18" in error
    assert state("3.18") == before


def test_an_update_cannot_be_dated_in_the_future(hull):
    make("pm", "programme_manager")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    _, error = lapis_fails("progress", "4.6", "--text", "x", "--date", tomorrow, "--as", "pm")
    assert "cannot be in the future" in error


# --- change control ------------------------------------------------------------------------


def test_an_approved_closure_closes_the_action_which_stays_visible(client, hull):
    make("kelly", "lead", person="Kelly Hare")
    make("bea", "board_member", person="Bea Board", boards=["SEND Strategic Board"])
    out, _ = lapis("change_request", "4.6", "--kind", "close", "--reason",
                   "Timeliness above 50% for six months", "--board", "SEND Strategic Board",
                   "--as", "kelly")
    pk = int(out.strip())
    request = ChangeRequest.objects.get(pk=pk)
    assert (request.decision, request.raised_by, request.board.name) == (
        "pending", "kelly", "SEND Strategic Board")
    assert not action("4.6").closed

    out, _ = lapis("decide", str(pk), "--approve", "--date", "2025-11-20", "--as", "bea")
    assert f"CR-{pk} approved" in out
    a = action("4.6")
    assert a.closed
    request.refresh_from_db()
    assert (request.decision, request.decided_on, request.decided_by) == (
        "approved", dt.date(2025, 11, 20), "bea")
    history = list(ChangeRecord.objects.filter(model="plans.Action", object_id=a.pk,
                                               by="bea").values_list("field", "new"))
    assert ("closed", "yes") in history
    assert ("change_request", f"CR-{pk} approved by SEND Strategic Board on 2025-11-20") in history

    client.force_login(get_user_model().objects.get(username="kelly"))
    page = client.get(f"/plan/actions/{a.pk}/").content.decode()
    assert "Closed through change control" in page and f"CR-{pk}" in page
    assert "Approved" in page and "20 November 2025" in page
    register = client.get("/plan/").content.decode()
    assert f'href="/plan/actions/{a.pk}/">4.6</a>' in register


def test_a_rejected_request_changes_nothing_but_is_recorded(hull):
    make("kelly", "lead", person="Kelly Hare")
    make("bea", "board_member", person="Bea Board", boards=["SEND Strategic Board"])
    out, _ = lapis("change_request", "4.6", "--kind", "due_date", "--due", "2026-03",
                   "--reason", "EP capacity", "--board", "SEND Strategic Board", "--as", "kelly")
    pk = out.strip()
    before = state("4.6")
    lapis("decide", pk, "--reject", "--note", "Hold the date", "--as", "bea")
    assert state("4.6")[:-1] == before[:-1]
    assert ChangeRequest.objects.get(pk=pk).decision == "rejected"
    assert ChangeRecord.objects.filter(model="plans.ChangeRequest", object_id=pk,
                                       field="decision").exists()
    assert ChangeRecord.objects.filter(model="plans.Action", field="change_request",
                                       new__contains="rejected").exists()


def test_an_approved_due_date_change_shows_as_slippage(hull):
    make("bea", "board_member", person="Bea Board", boards=["SEND Strategic Board"])
    make("pm", "programme_manager")
    out, _ = lapis("change_request", "4.6", "--kind", "due_date", "--due", "2026-03",
                   "--reason", "EP capacity", "--board", "SEND Strategic Board", "--as", "pm")
    lapis("decide", out.strip(), "--approve", "--as", "bea")
    assert action("4.6").due.iso() == "2026-03"
    out, _ = lapis("drift", "--as-of", "2025-11-01", "--format", "json")
    item = next(i for i in json.loads(out) if i["ref"] == "4.6")
    assert item["slipped"] == {"original_due": "2025-10", "current_due": "2026-03",
                               "slippage_days": 151, "moves_later": 1}


def test_only_members_of_the_board_decide(hull):
    make("pm", "programme_manager")
    make("bea", "board_member", person="Bea Board", boards=["SEND Strategic Board"])
    make("dan", "board_member", person="Dan Delivery", boards=["SEND Delivery Group"])
    out, _ = lapis("change_request", "4.6", "--kind", "close", "--reason", "Done",
                   "--board", "SEND Strategic Board", "--as", "pm")
    for user in ("dan", "pm"):
        _, error = lapis_fails("decide", out.strip(), "--approve", "--as", user)
        assert "Only members of SEND Strategic Board" in error
    assert ChangeRequest.objects.get(pk=out.strip()).decision == "pending"
    assert not action("4.6").closed


def test_a_decided_request_cannot_be_decided_again(hull):
    make("pm", "programme_manager")
    make("bea", "board_member", person="Bea Board", boards=["SEND Strategic Board"])
    out, _ = lapis("change_request", "4.6", "--kind", "close", "--reason", "Done",
                   "--board", "SEND Strategic Board", "--as", "pm")
    lapis("decide", out.strip(), "--reject", "--as", "bea")
    _, error = lapis_fails("decide", out.strip(), "--approve", "--as", "bea")
    assert "was already rejected" in error
    assert not action("4.6").closed


@pytest.mark.parametrize("args, message", [
    (["--kind", "due_date"], "new_due: Enter the new due date"),
    (["--kind", "scope"], "new_text: Enter the new scope"),
    (["--kind", "bau"], "new_text: Enter where the work now sits"),
    (["--kind", "owner"], "new_owner: Choose the new owner"),
])
def test_a_change_request_must_say_what_changes(hull, args, message):
    make("pm", "programme_manager")
    _, error = lapis_fails("change_request", "4.6", "--reason", "r", "--board",
                           "SEND Strategic Board", "--as", "pm", *args)
    assert message in error
    assert not ChangeRequest.objects.exists()


def test_the_change_control_register_exports(client, hull, tmp_path):
    make("pm", "programme_manager")
    lapis("change_request", "4.6", "--kind", "scope", "--text", "=HYPERLINK(\"x\")",
          "--reason", "Narrow it", "--board", "SEND Strategic Board", "--as", "pm")
    out, _ = lapis("export_changes", "--format", "json")
    rows = json.loads(out)
    assert [(r["action"], r["kind"], r["decision"]) for r in rows] == [("4.6", "scope", "pending")]
    out, _ = lapis("export_changes", "--format", "csv")
    assert "'=HYPERLINK" in out  # neutralised: a spreadsheet shows it, never runs it
    path = tmp_path / "cc.xlsx"
    lapis("export_changes", "--format", "xlsx", "-o", str(path))
    sheet = openpyxl.load_workbook(path)["Change control"]
    assert sheet["B2"].value == "4.6" and sheet["F2"].value.startswith("'=")

    client.force_login(get_user_model().objects.get(username="pm"))
    page = client.get("/plan/changes/").content.decode()
    assert "1 change request" in page and "Change the scope" in page
    response = client.get("/plan/changes/?format=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="change-control.xlsx"'


# --- pages ---------------------------------------------------------------------------------


def test_a_lead_adds_an_update_through_the_page(client, hull):
    kelly, _ = make("kelly", "lead", person="Kelly Hare")
    client.force_login(kelly)
    a = action("4.6")
    page = client.get(f"/plan/actions/{a.pk}/").content.decode()
    assert "Add a progress update" in page and "Edit the details" not in page
    response = client.post(f"/plan/actions/{a.pk}/update/", {
        "date": "2025-11-03", "text": "", "status": "", "reason": ""})
    assert response.status_code == 400
    assert "Enter what has happened since the last update" in response.content.decode()
    worse = a.plan.scale.statuses.get(label="Off track").pk
    response = client.post(f"/plan/actions/{a.pk}/update/", {
        "date": "2025-11-03", "text": "Behind", "status": worse, "reason": ""})
    assert response.status_code == 400 and "Say why the status moves" in response.content.decode()
    response = client.post(f"/plan/actions/{a.pk}/update/", {
        "date": "2025-11-03", "text": "Behind", "status": worse, "reason": "Staffing"})
    assert response.status_code == 302
    assert action("4.6").status.label == "Off track"


def test_a_board_member_decides_through_the_page(client, hull):
    make("pm", "programme_manager")
    bea, _ = make("bea", "board_member", person="Bea Board", boards=["SEND Strategic Board"])
    out, _ = lapis("change_request", "4.6", "--kind", "bau", "--text", "Business as usual "
                   "in the SEND casework team", "--reason", "Embedded", "--board",
                   "SEND Strategic Board", "--as", "pm")
    client.force_login(bea)
    url = f"/plan/changes/{out.strip()}/"
    assert "Record the board's decision" in client.get(url).content.decode()
    response = client.post(url, {"decision": "approve", "date": "2025-11-20", "note": ""})
    assert response.status_code == 302
    a = action("4.6")
    assert a.closed and a.bau_location == "Business as usual in the SEND casework team"


def test_two_people_edit_one_action_and_the_second_is_refused(client, hull):
    pm, _ = make("pm", "programme_manager")
    a = action("4.6")
    form = {"version": a.version, "description": a.description, "pillar": a.pillar,
            "outcomes": a.outcomes, "impact_measures": a.impact_measures,
            "dependencies": a.dependencies, "sro": a.sro_id}
    client.force_login(pm)
    first = client.post(f"/plan/actions/{a.pk}/edit/", form | {"pillar": "Timeliness"})
    assert first.status_code == 302
    second = client.post(f"/plan/actions/{a.pk}/edit/", form | {"pillar": "Quality"})
    assert second.status_code == 409
    page = second.content.decode()
    assert "was changed by someone else while you were editing it" in page
    assert "Quality" in page and "Timeliness" in page  # both versions shown
    assert action("4.6").pillar == "Timeliness"
    assert ChangeRecord.objects.filter(object_id=a.pk, field="pillar").count() == 1


def test_the_roll_up_counts_the_hull_plan(client, alice):
    client.force_login(alice)
    response = client.get("/plan/rollup/")
    rows, total = response.context["rows"], response.context["total"]
    assert [r.total for r in rows] == [7, 11, 24, 12, 9, 18]
    assert total.total == 81
    # 17 Completed + 29 Embedded Sustained (the 7 closures are among them)
    assert total.done == 46 and total.percent_complete == 56.8
    assert total.on_time + total.late + total.unknown == 46
    assert "Realised on time" in response.content.decode()


def test_history_is_exportable_and_readable_through_the_api(client, hull):
    pm, _ = make("pm", "programme_manager")
    lapis("progress", "4.6", "--text", "An update", "--date", "2025-11-03", "--as", "pm")
    out, _ = lapis("export_history", "--ref", "4.6", "--since", "2000-01-01")
    lines = out.splitlines()
    assert lines[0] == "at,by,source,record,id,ref,field,old,new"
    assert any(",pm,command,plans.Action," in line and ",progress,," in line for line in lines)
    out, _ = lapis("export_history", "--record", "plans.Action", "--format", "json")
    assert {"progress", "last_reviewed", "created"} <= {r["field"] for r in json.loads(out)}
    client.force_login(pm)
    rows = json.loads(client.get("/api/history?ref=4.6&limit=3").content)
    assert len(rows) == 3 and rows[0]["by"] == "pm"
