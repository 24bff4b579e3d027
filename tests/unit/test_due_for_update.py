"""The due-for-update rules (lapis.governance.due): pure, no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapis.governance import due
from lapis.governance.due import DueFacts, Person, assess, due_for_update, letters
from lapis.plans.drift import DONE_FAMILIES, DueDate

MEETING = date(2025, 10, 14)
PREVIOUS = date(2025, 9, 9)


def facts(ref="1.1", *, updates=(), due_on=None, family="on_track", closed=False, crs=(),
          people=(1,)):
    return DueFacts(ref=ref, people=tuple(people), updates=tuple(updates), due=due_on,
                    status_family=family, closed=closed, pending_change_requests=tuple(crs))


def kinds(item):
    return [r.kind for r in item.reasons] if item else []


def month(year, number):
    return DueDate(date(year, number, 1), "month")


# -- no update since the last meeting ------------------------------------------------------

def test_never_updated_counts_as_no_update():
    item = assess(facts(), meeting=MEETING, previous=PREVIOUS)
    assert kinds(item) == ["no_update"]
    reason = item.reasons[0]
    assert reason.text == "no update since the last meeting on 9 September 2025"
    assert reason.facts == {"since": "2025-09-09", "last_update": None}


@pytest.mark.parametrize(("update", "flagged"), [
    (date(2025, 9, 8), True),    # before the last meeting
    (date(2025, 9, 9), True),    # on the day of the last meeting: reported there
    (date(2025, 9, 10), False),  # the day after
    (date(2025, 10, 13), False),
    (date(2025, 10, 14), False),  # on the meeting day itself
    (date(2025, 10, 15), True),   # after the meeting: did not exist before it
])
def test_an_update_counts_only_after_the_last_meeting_and_by_the_meeting(update, flagged):
    item = assess(facts(updates=[update]), meeting=MEETING, previous=PREVIOUS)
    assert (kinds(item) == ["no_update"]) is flagged


def test_the_latest_update_on_or_before_the_meeting_is_reported():
    item = assess(facts(updates=[date(2025, 1, 30), date(2025, 8, 1), date(2025, 11, 1)]),
                  meeting=MEETING, previous=PREVIOUS)
    assert item.reasons[0].facts["last_update"] == "2025-08-01"


def test_any_one_update_in_the_window_is_enough():
    item = assess(facts(updates=[date(2024, 1, 1), date(2025, 9, 20)]), meeting=MEETING,
                  previous=PREVIOUS)
    assert item is None


@pytest.mark.parametrize(("days_before", "flagged"), [
    (0, False), (1, False), (89, False), (90, False), (91, True), (400, True), (-1, True)])
def test_with_no_earlier_meeting_the_window_is_90_days(days_before, flagged):
    update = MEETING - timedelta(days=days_before)
    item = assess(facts(updates=[update]), meeting=MEETING, previous=None)
    assert (kinds(item) == ["no_update"]) is flagged
    if flagged:
        assert item.reasons[0].text == ("no update in the 90 days before the meeting "
                                        "(no earlier meeting)")
        assert item.reasons[0].facts["since"] == "2025-07-16"


def test_the_window_can_be_changed():
    update = MEETING - timedelta(days=20)
    assert assess(facts(updates=[update]), meeting=MEETING, previous=None, window_days=30) is None
    item = assess(facts(updates=[update]), meeting=MEETING, previous=None, window_days=10)
    assert "10 days" in item.reasons[0].text


# -- overdue (the drift rule, on the meeting day) -------------------------------------------

@pytest.mark.parametrize(("due_on", "meeting", "days"), [
    (month(2025, 9), date(2025, 9, 30), None),   # due by the end of September: not yet
    (month(2025, 9), date(2025, 10, 1), 1),
    (month(2025, 9), date(2025, 10, 14), 14),
    (month(2024, 2), date(2024, 3, 1), 1),       # leap year: February ends on the 29th
    (DueDate(date(2025, 10, 14), "day"), date(2025, 10, 14), None),  # due on the day
    (DueDate(date(2025, 10, 13), "day"), date(2025, 10, 14), 1),
    (None, date(2025, 10, 14), None),
])
def test_overdue_on_the_meeting_day(due_on, meeting, days):
    item = assess(facts(updates=[meeting], due_on=due_on), meeting=meeting,
                  previous=meeting - timedelta(days=5))
    if days is None:
        assert item is None
    else:
        assert kinds(item) == ["overdue"]
        assert item.reasons[0].facts == {"due": due_on.label(), "days_overdue": days}


def test_overdue_wording():
    by_month = assess(facts(updates=[MEETING], due_on=month(2025, 9)), meeting=MEETING,
                      previous=PREVIOUS)
    assert by_month.reasons[0].text == "overdue: due by the end of September 2025"
    by_day = assess(facts(updates=[MEETING], due_on=DueDate(date(2025, 3, 7), "day")),
                    meeting=MEETING, previous=PREVIOUS)
    assert by_day.reasons[0].text == "overdue: due on 7 March 2025"


def test_no_status_counts_as_open():
    item = assess(facts(family=None, due_on=month(2025, 1)), meeting=MEETING, previous=PREVIOUS)
    assert kinds(item) == ["no_update", "overdue"]


# -- done and closed actions, change requests -----------------------------------------------

@pytest.mark.parametrize("family", sorted(DONE_FAMILIES))
def test_done_actions_are_left_out(family):
    assert assess(facts(family=family, due_on=month(2020, 1)), meeting=MEETING,
                  previous=PREVIOUS) is None


@pytest.mark.parametrize("family", ["not_started", "on_track", "some_concerns", "off_track"])
def test_open_families_are_judged(family):
    item = assess(facts(family=family, due_on=month(2020, 1)), meeting=MEETING,
                  previous=PREVIOUS)
    assert kinds(item) == ["no_update", "overdue"]


def test_closed_actions_are_left_out_whatever_their_status():
    assert assess(facts(closed=True, due_on=month(2020, 1)), meeting=MEETING,
                  previous=PREVIOUS) is None


@pytest.mark.parametrize(("family", "closed"), [
    ("complete", False), ("embedded", False), ("closed", False), ("on_track", True)])
def test_done_or_closed_actions_still_show_pending_change_requests(family, closed):
    item = assess(facts(family=family, closed=closed, crs=[12], due_on=month(2020, 1)),
                  meeting=MEETING, previous=PREVIOUS)
    assert kinds(item) == ["change_request"]
    assert item.reasons[0].text == "pending change request CR-12"
    assert item.reasons[0].facts == {"change_request": "CR-12"}


def test_every_reason_in_order_one_per_change_request():
    item = assess(facts(crs=[7, 3], due_on=month(2025, 1)), meeting=MEETING, previous=PREVIOUS)
    assert kinds(item) == ["no_update", "overdue", "change_request", "change_request"]
    assert [r.text for r in item.reasons[2:]] == ["pending change request CR-7",
                                                  "pending change request CR-3"]


def test_an_up_to_date_open_action_with_a_change_request():
    item = assess(facts(updates=[date(2025, 10, 1)], crs=[5]), meeting=MEETING,
                  previous=PREVIOUS)
    assert kinds(item) == ["change_request"]


# -- the list -------------------------------------------------------------------------------

def test_the_list_keeps_input_order_and_leaves_out_up_to_date_actions():
    actions = [facts("3.2"), facts("1.10", updates=[date(2025, 10, 1)]), facts("1.2"),
               facts("2.1", family="complete")]
    found = due_for_update(actions, meeting=MEETING, previous=PREVIOUS)
    assert [i.ref for i in found] == ["3.2", "1.2"]
    assert due_for_update([], meeting=MEETING, previous=PREVIOUS) == []


def test_as_json():
    item = assess(facts("5.3", crs=[4], due_on=month(2025, 9)), meeting=MEETING,
                  previous=PREVIOUS)
    assert item.as_json() == {"ref": "5.3", "reasons": [
        {"kind": "no_update", "text": "no update since the last meeting on 9 September 2025",
         "since": "2025-09-09", "last_update": None},
        {"kind": "overdue", "text": "overdue: due by the end of September 2025",
         "due": "2025-09", "days_overdue": 14},
        {"kind": "change_request", "text": "pending change request CR-4",
         "change_request": "CR-4"},
    ]}
    data = item.as_json()
    data["reasons"][0]["since"] = "changed"
    assert item.reasons[0].facts["since"] == "2025-09-09"  # a copy


@pytest.mark.parametrize("previous", [MEETING, MEETING + timedelta(days=1)])
def test_the_previous_meeting_must_be_earlier(previous):
    with pytest.raises(ValueError, match="must be before"):
        assess(facts(), meeting=MEETING, previous=previous)
    with pytest.raises(ValueError, match="must be before"):
        due_for_update([], meeting=MEETING, previous=previous)


def test_the_window_must_be_at_least_a_day():
    with pytest.raises(ValueError, match="window_days"):
        due_for_update([], meeting=MEETING, previous=None, window_days=0)


# -- reminder letters ------------------------------------------------------------------------

PEOPLE = {1: Person(1, "Mary Meredith", "mary@example.org"),
          2: Person(2, "Kim Porter", "kim@example.org"),
          3: Person(3, "Mike Boddy", ""),
          4: Person(4, "Zoe Golding", "   ")}


def test_one_letter_per_person_listing_their_actions_and_reasons():
    items = due_for_update([
        facts("5.3", people=[1, 2], due_on=month(2025, 9)),
        facts("3.11b", people=[3, 1]),
        facts("6.3", people=[4, 4]),
        facts("2.1", people=[1], updates=[date(2025, 10, 1)]),  # up to date: no letter
    ], meeting=MEETING, previous=PREVIOUS)
    send, unsent = letters(items, PEOPLE, board="SEND Delivery Group", meeting=MEETING,
                           titles={"5.3": "Review the Local Offer"})
    assert [(x.person.name, [i.ref for i in x.items]) for x in send] == [
        ("Mary Meredith", ["5.3", "3.11b"]), ("Kim Porter", ["5.3"])]
    assert [(x.person.name, [i.ref for i in x.items]) for x in unsent] == [
        ("Mike Boddy", ["3.11b"]), ("Zoe Golding", ["6.3"])]
    mary = send[0]
    assert mary.subject == ("Update needed before the SEND Delivery Group meeting on "
                            "14 October 2025")
    assert mary.body.startswith("Dear Mary Meredith,\n")
    assert "- 5.3 Review the Local Offer\n" in mary.body
    assert "    overdue: due by the end of September 2025\n" in mary.body
    assert "- 3.11b\n    no update since the last meeting on 9 September 2025\n" in mary.body
    assert "6.3" not in mary.body


def test_no_items_no_letters():
    assert letters([], PEOPLE, board="B", meeting=MEETING) == ([], [])


def test_spoken_dates():
    assert due.spoken(date(2026, 3, 1)) == "1 March 2026"


# -- properties ------------------------------------------------------------------------------

days = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31))
families = st.sampled_from([None, "not_started", "on_track", "some_concerns", "off_track",
                            "complete", "embedded", "closed"])


@given(updates=st.lists(days, max_size=4), family=families, closed=st.booleans(),
       crs=st.lists(st.integers(1, 99), max_size=3, unique=True), meeting=days,
       gap=st.integers(1, 200), has_previous=st.booleans(),
       due_day=st.one_of(st.none(), days), by_month=st.booleans())
def test_the_rules_against_a_plain_oracle(updates, family, closed, crs, meeting, gap,
                                          has_previous, due_day, by_month):
    previous = meeting - timedelta(days=gap) if has_previous else None
    due_on = None
    if due_day is not None:
        due_on = DueDate(due_day.replace(day=1), "month") if by_month else DueDate(due_day, "day")
    item = assess(facts(updates=updates, family=family, closed=closed, crs=crs, due_on=due_on),
                  meeting=meeting, previous=previous)
    done = closed or family in {"complete", "embedded", "closed"}
    start = previous + timedelta(days=1) if previous else meeting - timedelta(days=90)
    updated = any(start <= d <= meeting for d in updates)
    expected = []
    if not done and not updated:
        expected.append("no_update")
    if not done and due_on is not None and due_on.end() < meeting:
        expected.append("overdue")
    expected += ["change_request"] * len(crs)
    assert kinds(item) == expected
