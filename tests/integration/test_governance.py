"""Boards, meetings and the due-for-update list on the real Hull data: pages, API, commands,
email reminders and permissions (alice edits Hull; victor only views it; charlie is elsewhere).
"""

import datetime as dt
import json
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from lapis.core.actors import System
from lapis.core.models import ChangeRecord
from lapis.demo import governance as demo
from lapis.governance import actions
from lapis.governance.models import Meeting
from lapis.governance.queries import board_fingerprint, due_list
from lapis.partnership.models import Board, Membership, Person, Role
from lapis.plans.models import Action, ChangeRequest, ProgressEntry
from tests.integration.helpers import lapis, lapis_fails

pytestmark = pytest.mark.django_db

DG, SB = "SEND Delivery Group", "SEND Strategic Board"


@pytest.fixture
def boards(hull):
    demo.load(hull)
    return {name: Board.objects.get(partnership=hull, name=name) for name in (DG, SB)}


def no_future_meetings():
    """Tests about the next meeting set their own (the demo adds meetings ahead of today)."""
    Meeting.objects.filter(date__gt=dt.date.today()).delete()


@pytest.fixture
def victor(hull):
    """Victor may view Hull's plan but not change it."""
    user = get_user_model().objects.create_user("victor", password="correct horse battery")
    Membership.objects.create(user=user, partnership=hull, role=Role.VIEWER)
    return user


@pytest.fixture
def emails(hull):
    """Give two of Hull's leads an email address; the rest have none (as in the workbook)."""
    for name, email in (("Mary Meredith", "mary@example.org"),
                        ("David Pullen-Higham", "david@example.org")):
        Person.objects.filter(partnership=hull, name=name).update(email=email)


def refs(board, day):
    meeting = Meeting.objects.get(board=board, date=day)
    return [action.ref for action, _ in due_list(board, meeting).rows]


def changes():
    return ChangeRecord.objects.count()


# -- the done-when: the list is right on the Hull demo data ---------------------------------
#
# Expected refs worked out by hand from the workbook (tests/fixtures), sheet "Improvement
# Plan", columns K (Due Date), N (Status), O (Last Reviewed date), P (Governance reporting):
# the rows naming "SEND Delivery Group" (not "Dfe SEND Delivery Group", row 4.6) are 1.5, 2.3,
# 2.4, 3.11a, 3.11b, 3.17, 3.18, 3.20, 4.11, 5.3, 5.5, 6.3, 6.4, 6.10. Completed or Embedded
# Sustained: 1.5, 2.3, 2.4, 3.11a, 3.17, 4.11, 5.5, 6.4, 6.10. Still open: 3.11b (Dec-25),
# 3.18 (Dec-26), 3.20 (Dec-26), 5.3 (Sep-25), 6.3 (Dec-25), each last reviewed 30/01/2025,
# with no progress log (only the Closures sheet has one). The demo calendar has Delivery
# Group meetings on 14 Jan, 11 Feb, ... 9 Sep and 14 Oct 2025.

def test_the_delivery_group_list_for_october_2025_is_right(boards):
    board = boards[DG]
    meeting = Meeting.objects.get(board=board, date=dt.date(2025, 10, 14))
    found = due_list(board, meeting)
    assert found.previous.date == dt.date(2025, 9, 9)
    reasons = {a.ref: [r.text for r in item.reasons] for a, item in found.rows}
    since = "no update since the last meeting on 9 September 2025"
    assert reasons == {
        "3.11b": [since],
        "3.18": [since],
        "3.20": [since],
        "5.3": [since, "overdue: due by the end of September 2025"],  # Sep-25 ended 30 Sep
        "6.3": [since],
    }


def test_reviews_on_30_january_count_for_february_but_not_for_january(boards):
    board = boards[DG]
    # 14 Jan 2025 is the first meeting: the reviews of 30 Jan came after it.
    assert refs(board, dt.date(2025, 1, 14)) == ["3.11b", "3.18", "3.20", "5.3", "6.3"]
    # 11 Feb 2025: every open action was reviewed on 30 Jan, after the 14 Jan meeting, and
    # nothing open was due yet (5.3, the earliest, is due in September 2025).
    assert refs(board, dt.date(2025, 2, 11)) == []
    # 11 Mar 2025: no update since 11 Feb.
    assert refs(board, dt.date(2025, 3, 11)) == ["3.11b", "3.18", "3.20", "5.3", "6.3"]


def test_a_new_progress_entry_takes_an_action_off_the_list(boards):
    action = Action.objects.get(ref="3.18")
    ProgressEntry.objects.create(action=action, date=dt.date(2025, 9, 30), date_precision="day",
                                 text="Pathway review under way", position=0, recorded_by="t")
    assert refs(boards[DG], dt.date(2025, 10, 14)) == ["3.11b", "3.20", "5.3", "6.3"]
    # ... but not from a list for a meeting before it was written.
    assert "3.18" in refs(boards[DG], dt.date(2025, 9, 9))


def test_the_strategic_board_with_a_pending_change_request(boards, alice):
    # Workbook rows naming "SEND Strategic Board": 1.6, 2.1, 2.2, 2.3, 2.4, 3.2, 3.3, 3.4 and
    # closure 3.1; only 2.1 (On track no concerns, Apr-26, reviewed 30/01/2025) is open.
    board = boards[SB]
    assert refs(board, dt.date(2025, 12, 11)) == ["2.1"]
    done = Action.objects.get(ref="2.3")  # Completed: listed only for its change request
    request = ChangeRequest.objects.create(action=done, kind="close", reason="Done",
                                           board=board, raised_by="alice")
    ChangeRequest.objects.create(action=done, kind="bau", reason="x", board=boards[DG],
                                 raised_by="alice")  # another board's: not listed here
    ChangeRequest.objects.create(action=done, kind="scope", reason="x", board=board,
                                 raised_by="alice", decision="approved")  # decided
    meeting = Meeting.objects.get(board=board, date=dt.date(2025, 12, 11))
    found = due_list(board, meeting)
    assert [(a.ref, [r.text for r in i.reasons]) for a, i in found.rows] == [
        ("2.1", ["no update since the last meeting on 25 September 2025"]),
        ("2.3", [f"pending change request CR-{request.pk}"]),
    ]


def test_the_demo_load_is_idempotent_and_recorded(boards, hull):
    before = changes()
    demo.load(hull)
    assert changes() == before
    assert Meeting.objects.filter(board=boards[DG]).count() == 15  # monthly, Jan 25 - Mar 26
    assert Meeting.objects.filter(board=boards[SB]).count() == 5  # quarterly
    assert "Parent Carer Forum" in boards[SB].terms_of_reference
    assert boards[SB].members.filter(organisation__kind="forum").exists()
    assert ChangeRecord.objects.filter(model="governance.Meeting", field="created").count() == 20


# -- pages ------------------------------------------------------------------------------

def test_pages_need_a_login(client, boards):
    board = boards[DG]
    for url in ("/boards/", f"/boards/{board.pk}/", f"/boards/{board.pk}/due/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_board_list(client, alice, boards):
    no_future_meetings()
    soon = dt.date.today() + dt.timedelta(days=10)
    actions.add_meeting(board=boards[DG], date=soon, by=System("t"), source="test")
    client.force_login(alice)
    page = client.get("/boards/").content.decode()
    assert "36 boards" in page
    row = re.search(r">SEND Delivery Group</a></th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', row, re.S)
    members = boards[DG].members.count()
    assert cells[0] == str(members) and cells[1] == "14"
    assert f"?meeting={soon.isoformat()}" in cells[2]
    assert "None planned" in page  # the other boards have no meeting


def test_the_board_page(client, alice, boards):
    client.force_login(alice)
    board = boards[DG]
    page = client.get(f"/boards/{board.pk}/").content.decode()
    assert "<h1 class=\"govuk-heading-l\">SEND Delivery Group</h1>" in page
    assert "Meets: monthly" in page
    assert "Hull Parent Carer Forum representative" in page
    assert "<td class=\"govuk-table__cell\">Hull Parent Carer Forum</td>" in page
    assert "14 Oct 2025" in page and "SEND Delivery Group: October 2025" in page
    action = Action.objects.get(ref="3.11b")
    assert f'href="/plan/actions/{action.pk}/">3.11b</a>' in page
    assert "Add a meeting" in page and "Edit terms of reference and members" in page


def test_a_viewer_sees_no_edit_buttons(client, victor, boards):
    client.force_login(victor)
    page = client.get(f"/boards/{boards[DG].pk}/").content.decode()
    assert "Add a meeting" not in page and "Edit terms of reference" not in page
    due = client.get(f"/boards/{boards[DG].pk}/due/?meeting=2025-10-14").content.decode()
    assert "Send reminders" not in due


def test_the_due_page(client, alice, boards, emails):
    client.force_login(alice)
    board = boards[DG]
    page = client.get(f"/boards/{board.pk}/due/?meeting=2025-10-14").content.decode()
    assert "Due for update before 14 October 2025" in page
    assert "5 actions due for update" in page
    shown = re.findall(r'href="/plan/actions/\d+/">([^<]+)</a></th>', page)
    assert shown == ["3.11b", "3.18", "3.20", "5.3", "6.3"]
    assert "Overdue: due by the end of September 2025" in page
    assert "mary@example.org" in page
    assert page.count("Not reminded: no email address") == 5  # Mike, Kim, Steve, Nikki, Zoe
    assert "Send reminders" in page


def test_the_due_page_defaults_to_the_next_meeting(client, alice, boards):
    client.force_login(alice)
    board = boards[DG]
    no_future_meetings()
    page = client.get(f"/boards/{board.pk}/due/").content.decode()
    assert "No meeting is planned after today" in page
    soon = dt.date.today() + dt.timedelta(days=3)
    actions.add_meeting(board=board, date=soon, by=System("t"), source="test")
    actions.add_meeting(board=board, date=soon + dt.timedelta(days=30), by=System("t"),
                        source="test")
    page = client.get(f"/boards/{board.pk}/due/").content.decode()
    assert f"Due for update before {soon.day} {soon:%B %Y}" in page
    assert client.get(f"/boards/{board.pk}/due/?meeting=2025-10-15").status_code == 404
    assert client.get(f"/boards/{board.pk}/due/?meeting=soon").status_code == 404


def test_send_reminders_emails_each_lead_once(client, alice, boards, emails, mailoutbox):
    client.force_login(alice)
    board = boards[DG]
    url = f"/boards/{board.pk}/due/"
    response = client.post(url, {"meeting": "2025-10-14"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{url}?meeting=2025-10-14"
    page = response.content.decode()
    assert "Sent 2 reminder emails. 5 not reminded: no email address." in page
    assert sorted(m.to[0] for m in mailoutbox) == ["david@example.org", "mary@example.org"]
    david = next(m for m in mailoutbox if m.to == ["david@example.org"])
    assert david.subject == ("Update needed before the SEND Delivery Group meeting on "
                             "14 October 2025")
    for ref in ("3.11b", "3.18", "3.20"):
        assert f"- {ref} " in david.body
    assert "5.3" not in david.body and "6.3" not in david.body
    mary = next(m for m in mailoutbox if m.to == ["mary@example.org"])
    assert "- 5.3 " in mary.body and "overdue: due by the end of September 2025" in mary.body
    record = ChangeRecord.objects.get(field="reminders")
    assert record.by == "alice" and record.source == "web"
    assert "emailed 2: David Pullen-Higham <david@example.org>" in record.new
    assert "Reminders sent" in page


def test_a_viewer_may_not_send_reminders(client, victor, boards, emails, mailoutbox):
    client.force_login(victor)
    before = changes()
    response = client.post(f"/boards/{boards[DG].pk}/due/", {"meeting": "2025-10-14"})
    assert response.status_code == 403
    assert mailoutbox == [] and changes() == before


def test_edit_the_board(client, alice, boards):
    client.force_login(alice)
    board = boards[SB]
    form = client.get(f"/boards/{board.pk}/edit/").context["form"]
    kim = Person.objects.get(name="Kim Porter")
    members = [p.pk for p in board.members.all()] + [kim.pk]
    response = client.post(f"/boards/{board.pk}/edit/", {
        "terms_of_reference": "Meets quarterly.", "members": members,
        "fingerprint": form.initial["fingerprint"]})
    assert response.status_code == 302
    board.refresh_from_db()
    assert board.terms_of_reference == "Meets quarterly."
    assert board.members.filter(pk=kim.pk).exists()
    fields = set(ChangeRecord.objects.filter(model="partnership.Board", object_id=board.pk,
                                             by="alice").values_list("field", flat=True))
    assert fields == {"terms_of_reference", "members"}


def test_a_stale_board_edit_is_refused_and_loses_nothing(client, alice, boards):
    client.force_login(alice)
    board = boards[SB]
    stale = board_fingerprint(board)
    actions.edit_board(board=board, fingerprint=stale, terms_of_reference="Bob's text",
                       members=list(board.members.all()), by=System("bob"), source="web")
    before = changes()
    response = client.post(f"/boards/{board.pk}/edit/", {
        "terms_of_reference": "Alice's text", "members": [], "fingerprint": stale})
    assert response.status_code == 409
    page = response.content.decode()
    assert "<title>Error: " in page and "changed by someone else" in page
    assert "Bob&#x27;s text" in page and "Alice&#x27;s text" in page  # both versions shown
    board.refresh_from_db()
    assert board.terms_of_reference == "Bob's text" and changes() == before
    # Saving again, having seen Bob's version, succeeds.
    fingerprint = response.context["form"].data["fingerprint"]
    response = client.post(f"/boards/{board.pk}/edit/", {
        "terms_of_reference": "Alice's text", "members": [], "fingerprint": fingerprint})
    assert response.status_code == 302


def test_add_and_edit_a_meeting(client, alice, boards):
    client.force_login(alice)
    board = boards[SB]
    url = f"/boards/{board.pk}/meetings/add/"
    response = client.post(url, {"date_day": "18", "date_month": "6", "date_year": "2026",
                                 "title": "Extraordinary meeting", "notes": "",
                                 "minutes_url": ""})
    assert response.status_code == 302
    meeting = Meeting.objects.get(board=board, date=dt.date(2026, 6, 18))
    assert meeting.title == "Extraordinary meeting" and meeting.version == 1
    assert ChangeRecord.objects.filter(model="governance.Meeting", object_id=meeting.pk,
                                       field="created", by="alice").exists()
    edit = f"/boards/{board.pk}/meetings/{meeting.pk}/edit/"
    response = client.post(edit, {"date_day": "18", "date_month": "6", "date_year": "2026",
                                  "title": "Extraordinary meeting", "notes": "Budget",
                                  "minutes_url": "https://example.org/m", "version": "1"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.minutes_url, meeting.version) == (
        "Budget", "https://example.org/m", 2)
    # A second edit from the same (now stale) form is refused, shown side by side.
    response = client.post(edit, {"date_day": "19", "date_month": "6", "date_year": "2026",
                                  "title": "Moved", "notes": "", "minutes_url": "",
                                  "version": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed by someone else" in page and "2026-06-19" in page and "Budget" in page
    assert 'value="Moved"' in page  # the editor's text is kept in the form
    meeting.refresh_from_db()
    assert meeting.title == "Extraordinary meeting"


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Enter the date of the meeting"),
    ({"date_day": "31", "date_month": "2", "date_year": "2026"}, "must be a real date"),
    ({"date_day": "x", "date_month": "2", "date_year": "2026"}, "in numbers"),
    ({"date_day": "11", "date_month": "12", "date_year": "2025"},
     "already has a meeting on 11 December 2025"),
    ({"date_day": "1", "date_month": "7", "date_year": "2026", "minutes_url": "not a url"},
     "Enter a web address"),
])
def test_a_bad_meeting_is_not_saved(client, alice, boards, data, message):
    client.force_login(alice)
    board = boards[SB]
    before = (Meeting.objects.count(), changes())
    response = client.post(f"/boards/{board.pk}/meetings/add/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: Add a meeting" in page
    assert "govuk-error-summary" in page and message in page
    assert '<a href="#id_' in page
    assert (Meeting.objects.count(), changes()) == before


def test_a_viewer_may_not_change_boards_or_meetings(client, victor, boards):
    client.force_login(victor)
    board = boards[SB]
    meeting = board.meetings.first()
    before = (changes(), Meeting.objects.count(), board.terms_of_reference)
    for url in (f"/boards/{board.pk}/edit/", f"/boards/{board.pk}/meetings/add/",
                f"/boards/{board.pk}/meetings/{meeting.pk}/edit/"):
        assert client.get(url).status_code == 403
        assert client.post(url, {"terms_of_reference": "x", "fingerprint": "x",
                                 "date_day": "1", "date_month": "1", "date_year": "2027",
                                 "version": "1"}).status_code == 403
    board.refresh_from_db()
    assert (changes(), Meeting.objects.count(), board.terms_of_reference) == before


def test_another_partnership_sees_nothing(client, boards, charlie, emails, mailoutbox):
    client.force_login(charlie)
    board = boards[DG]
    meeting = board.meetings.first()
    assert "No boards yet" in client.get("/boards/").content.decode()
    assert client.get(f"/boards/?partnership={board.partnership_id}").status_code == 404
    before = changes()
    for url in (f"/boards/{board.pk}/", f"/boards/{board.pk}/due/?meeting=2025-10-14",
                f"/boards/{board.pk}/edit/", f"/boards/{board.pk}/meetings/add/",
                f"/boards/{board.pk}/meetings/{meeting.pk}/edit/"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"meeting": "2025-10-14"}).status_code == 404, url
    assert mailoutbox == [] and changes() == before


# -- API --------------------------------------------------------------------------------------

def test_the_api(client, alice, boards):
    no_future_meetings()
    client.force_login(alice)
    board = boards[DG]
    listed = client.get(f"/api/boards?partnership={board.partnership_id}").json()
    assert len(listed) == 36
    row = next(b for b in listed if b["name"] == DG)
    assert row == {"id": board.pk, "name": DG, "partnership": board.partnership_id,
                   "members": board.members.count(), "actions": 14, "next_meeting": None}
    data = client.get(f"/api/boards/{board.pk}").json()
    assert [a["ref"] for a in data["actions"]][:3] == ["1.5", "2.3", "2.4"]
    assert len(data["meetings"]) == 15 and data["meetings"][0]["date"] == "2025-01-14"
    assert {"name": "Hull Parent Carer Forum representative",
            "organisation": "Hull Parent Carer Forum"} in data["members"]
    found = client.get(f"/api/boards/{board.pk}/due?meeting=2025-10-14").json()
    assert [a["ref"] for a in found["actions"]] == ["3.11b", "3.18", "3.20", "5.3", "6.3"]
    out, _ = lapis("due_for_update", "--board", DG, "--meeting", "2025-10-14",
                   "--format", "json")
    assert json.loads(out) == found
    assert client.get(f"/api/boards/{board.pk}/due?meeting=2025-10-15").status_code == 404
    assert client.get(f"/api/boards/{board.pk}/due").status_code == 404  # none planned


def test_the_api_for_another_partnership(client, boards, charlie):
    client.force_login(charlie)
    board = boards[DG]
    assert client.get("/api/boards").json() == []
    assert client.get(f"/api/boards?partnership={board.partnership_id}").status_code == 404
    assert client.get(f"/api/boards/{board.pk}").status_code == 404
    assert client.get(f"/api/boards/{board.pk}/due?meeting=2025-10-14").status_code == 404
    client.logout()
    assert client.get("/api/boards").status_code == 401


# -- commands ---------------------------------------------------------------------------------

def test_due_for_update_command(boards):
    out, _ = lapis("due_for_update", "--board", "send delivery group", "--meeting",
                   "2025-10-14")
    assert out.splitlines()[0] == ("Due for update before the SEND Delivery Group meeting on "
                                   "14 October 2025 (last meeting 9 September 2025): 5 actions")
    assert "5.3      Mary Meredith, Kim Porter\n" in out
    assert "         overdue: due by the end of September 2025\n" in out
    assert "Not reminded: no email address: Zoe Golding" in out
    assert "no board called 'Nope'" in lapis_fails("due_for_update", "--board", "Nope")[1]
    assert "no meeting on 2025-10-15" in lapis_fails(
        "due_for_update", "--board", DG, "--meeting", "2025-10-15")[1]
    no_future_meetings()
    assert "no meeting planned after today" in lapis_fails("due_for_update", "--board", DG)[1]
    assert "is not a date" in lapis_fails("due_for_update", "--board", DG, "--meeting",
                                          "14/10/2025")[1]


def test_remind_command(boards, alice, victor, emails, mailoutbox):
    args = ("remind", "--board", DG, "--meeting", "2025-10-14")
    out, _ = lapis(*args, "--as", "alice", "--dry-run")
    assert out.startswith("Would email 2 leads about 5 actions")
    assert mailoutbox == [] and not ChangeRecord.objects.filter(field="reminders").exists()
    before = changes()
    assert "victor may not send reminders" in lapis_fails(*args, "--as", "victor")[1]
    assert "no user called 'nobody'" in lapis_fails(*args, "--as", "nobody")[1]
    assert mailoutbox == [] and changes() == before
    out, _ = lapis(*args, "--as", "alice")
    assert out.startswith("Emailed 2 leads about 5 actions")
    assert "  Mary Meredith <mary@example.org>: 5.3\n" in out
    assert "  Not reminded: no email address: Kim Porter: 5.3\n" in out
    assert len(mailoutbox) == 2
    assert ChangeRecord.objects.get(field="reminders").source == "command:remind"


def test_import_meetings_csv_and_export_round_trip(boards, alice, tmp_path):
    path = tmp_path / "meetings.csv"
    path.write_text("Board,Date,Title,Minutes\n"
                    "SEND Delivery Group,2026-04-14,April 2026,\n"
                    "send strategic board,2026-06-25,June 2026,https://example.org/june\n"
                    "SEND Delivery Group,2025-10-14,Renamed,\n", encoding="utf-8")
    out, _ = lapis("import_meetings", str(path), "--as", "alice", "--dry-run")
    assert "Would import meetings.csv into Hull: 3 meetings read; 2 new, 1 updated" in out
    assert Meeting.objects.count() == 20
    out, _ = lapis("import_meetings", str(path), "--as", "alice")
    assert "2 new, 1 updated, 0 unchanged" in out
    assert Meeting.objects.get(board=boards[SB], date="2026-06-25").minutes_url == (
        "https://example.org/june")
    changed = Meeting.objects.get(board=boards[DG], date="2025-10-14")
    assert changed.title == "Renamed" and changed.version == 2
    assert ChangeRecord.objects.filter(source="import:meetings.csv", field="title").exists()
    exported, _ = lapis("export_meetings", "--format", "csv")
    assert exported.splitlines()[0] == "Board,Date,Title,Notes,Minutes"
    assert len(exported.splitlines()) == 23
    back = tmp_path / "back.csv"
    back.write_text(exported, encoding="utf-8")
    out, _ = lapis("import_meetings", str(back), "--as", "alice")
    assert "22 meetings read; 0 new, 0 updated, 22 unchanged" in out
    data = json.loads(lapis("export_meetings", "--format", "json")[0])
    assert data[0] == {"board": DG, "date": "2025-01-14", "title": "SEND Delivery Group: "
                       "January 2025", "notes": "", "minutes": ""}


def test_export_neutralises_formulas_and_import_reads_them_back(boards, alice, tmp_path):
    actions.add_meeting(board=boards[DG], date=dt.date(2026, 5, 12), title="=HYPERLINK(1)",
                        by=System("t"), source="test")
    exported, _ = lapis("export_meetings", "--format", "csv")
    assert "2026-05-12,'=HYPERLINK(1)," in exported
    path = tmp_path / "again.csv"
    path.write_text(exported, encoding="utf-8")
    out, _ = lapis("import_meetings", str(path), "--as", "alice")
    assert "0 new, 0 updated, 21 unchanged" in out
    assert Meeting.objects.get(date="2026-05-12").title == "=HYPERLINK(1)"


def test_import_meetings_xlsx_errors_name_file_sheet_row_column(boards, alice, tmp_path):
    path = tmp_path / "calendar.xlsx"
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Dates"
    ws.append(["Board", "Date", "Title"])
    ws.append(["SEND Delivery Group", dt.datetime(2026, 4, 14), "Fine"])
    ws.append(["Made-up Board", dt.datetime(2026, 4, 15), ""])
    ws.append(["SEND Delivery Group", "14/05/2026", ""])
    ws.append(["SEND Delivery Group", dt.datetime(2026, 4, 14), "Twice"])
    ws.append([None, None, "x" * 201])
    workbook.save(path)
    before = (Meeting.objects.count(), changes())
    _, err = lapis_fails("import_meetings", str(path), "--as", "alice")
    assert ("calendar.xlsx, sheet 'Dates', row 3, column A (Board): no board called "
            "'Made-up Board' in Hull") in err
    assert ("calendar.xlsx, sheet 'Dates', row 4, column B (Date): '14/05/2026' is not a "
            "date: use YYYY-MM-DD") in err
    assert "row 5, column B (Date): SEND Delivery Group already has a meeting on 2026-04-14 "\
        "at row 2" in err
    assert "row 6, column A (Board): no board named" in err
    assert "row 6, column C (Title): a title is at most 200 characters" in err
    assert "calendar.xlsx: 6 error(s); nothing was imported" in err
    assert (Meeting.objects.count(), changes()) == before


def test_import_meetings_refuses_bad_files_and_non_editors(boards, alice, victor, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("When,What\n2026-01-01,x\n", encoding="utf-8")
    assert "row 1: no Board or Date column" in lapis_fails(
        "import_meetings", str(path), "--as", "alice")[1]
    text = tmp_path / "m.txt"
    text.write_text("x")
    assert "is not a spreadsheet" in lapis_fails("import_meetings", str(text), "--as",
                                                 "alice")[1]
    path.write_text("Board,Date,Title\nSEND Delivery Group,2026-04-14,x\n", encoding="utf-8")
    assert "victor may not change Hull's boards" in lapis_fails(
        "import_meetings", str(path), "--as", "victor")[1]
    assert Meeting.objects.count() == 20


def test_the_shipped_demo_calendar_imports_through_the_command(hull, alice):
    out, _ = lapis("import_meetings", str(demo.MEETINGS), "--as", "alice")
    assert "20 meetings read; 20 new" in out


def test_the_actions_refuse_anyone_who_may_not_edit_boards(personas, boards):
    """The check lives in the actions, not only in the pages and commands that call them."""
    board = boards[SB]
    meeting = Meeting.objects.filter(board=board).order_by("date").first()
    before = changes()
    for who in ("lead", "board", "forum", "auditor", "viewer", "outsider"):
        by = personas[who]
        with pytest.raises(PermissionDenied):
            actions.add_meeting(board=board, date=dt.date(2026, 5, 12), by=by, source="test")
        with pytest.raises(PermissionDenied):
            actions.edit_meeting(meeting=meeting, version=meeting.version, by=by,
                                 source="test", title="Taken over")
        with pytest.raises(PermissionDenied):
            actions.edit_board(board=board, fingerprint=board_fingerprint(board),
                               terms_of_reference="Taken over", members=[], by=by,
                               source="test")
        with pytest.raises(PermissionDenied):
            actions.send_reminders(due=due_list(board, meeting), by=by, source="test")
    assert changes() == before
    made = actions.add_meeting(board=board, date=dt.date(2026, 5, 12), by=personas["pm"],
                               source="test")
    assert ChangeRecord.objects.filter(object_id=made.pk, model="governance.Meeting",
                                       by="persona-pm").exists()
