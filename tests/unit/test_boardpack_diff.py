"""The board pack's "changed since": every kind of change, and only what changed."""

import pytest

from lapis.boardpacks.diff import KINDS, describe, diff, ref_order, summary


def entry(id, date="2025-01-10", text="Met the forum", status_from=None, status_to=None):
    return {"id": id, "date": date, "text": text, "status_from": status_from,
            "status_to": status_to}


def due(label, end):
    return {"label": label, "end": end}


def action(ref="1.1", status="On track", closed=False, due_=None, progress=(), **extra):
    return {"ref": ref, "description": f"Action {ref}", "status": status, "closed": closed,
            "due": due_, "progress": list(progress), **extra}


def snap(*actions):
    return {"actions": {a["ref"]: a for a in actions}, "rollup": {}, "changes": None}


def test_identical_snapshots_have_no_changes():
    one = snap(action("1.1", progress=[entry(1)]), action("2.1", due_=due("2025-02",
                                                                          "2025-02-28")))
    assert diff(one, one) == []


def test_none_and_empty_snapshots():
    assert diff(None, None) == []
    assert diff(snap(), snap()) == []
    assert [c["kind"] for c in diff(None, snap(action("1.1")))] == ["added"]


def test_a_new_update_with_a_status_move_is_exactly_two_changes():
    before = snap(action("1.1", status="Not started", progress=[entry(1)]))
    after = snap(action("1.1", status="On track", progress=[
        entry(1), entry(2, date="2025-03-01", text="Started", status_from="Not started",
                        status_to="On track")]))
    assert diff(before, after) == [
        {"kind": "update", "ref": "1.1", "id": 2, "date": "2025-03-01", "text": "Started",
         "status_from": "Not started", "status_to": "On track"},
        {"kind": "status", "ref": "1.1", "old": "Not started", "new": "On track"},
    ]


def test_an_update_without_a_status_change_is_one_change():
    before = snap(action("1.1"))
    after = snap(action("1.1", progress=[entry(5)]))
    assert [c["kind"] for c in diff(before, after)] == ["update"]


def test_several_new_updates_come_in_date_order_undated_last_then_by_id():
    before = snap(action("1.1", progress=[entry(1)]))
    after = snap(action("1.1", progress=[entry(1), entry(9, date=None), entry(4, "2025-05-01"),
                                         entry(3, "2025-04-01"), entry(2, "2025-05-01")]))
    assert [c["id"] for c in diff(before, after)] == [3, 2, 4, 9]


def test_a_status_change_without_an_update_is_listed():
    assert diff(snap(action(status="On track")), snap(action(status="Off track"))) == [
        {"kind": "status", "ref": "1.1", "old": "On track", "new": "Off track"}]


@pytest.mark.parametrize("old, new", [(None, "On track"), ("On track", None)])
def test_a_status_to_or_from_none(old, new):
    assert diff(snap(action(status=old)), snap(action(status=new))) == [
        {"kind": "status", "ref": "1.1", "old": old, "new": new}]


def test_a_due_date_moved_later_has_slipped_by_its_days():
    before = snap(action(due_=due("2025-02", "2025-02-28")))
    after = snap(action(due_=due("2025-03-15", "2025-03-15")))
    assert diff(before, after) == [{"kind": "slipped", "ref": "1.1", "old": "2025-02",
                                    "new": "2025-03-15", "days": 15}]


def test_a_due_date_moved_earlier_is_brought_forward():
    before = snap(action(due_=due("2025-03-15", "2025-03-15")))
    after = snap(action(due_=due("2025-03-01", "2025-03-01")))
    assert diff(before, after) == [{"kind": "brought_forward", "ref": "1.1",
                                    "old": "2025-03-15", "new": "2025-03-01", "days": 14}]


def test_a_change_of_precision_to_the_same_last_day_is_not_a_change():
    before = snap(action(due_=due("2025-02", "2025-02-28")))
    after = snap(action(due_=due("2025-02-28", "2025-02-28")))
    assert diff(before, after) == []


def test_a_due_date_set_and_removed():
    set_ = diff(snap(action()), snap(action(due_=due("2025-06", "2025-06-30"))))
    assert set_ == [{"kind": "due_set", "ref": "1.1", "new": "2025-06"}]
    removed = diff(snap(action(due_=due("2025-06", "2025-06-30"))), snap(action()))
    assert removed == [{"kind": "due_removed", "ref": "1.1", "old": "2025-06"}]


def test_closing_and_reopening():
    assert diff(snap(action()), snap(action(closed=True))) == [{"kind": "closed", "ref": "1.1"}]
    assert diff(snap(action(closed=True)), snap(action())) == [
        {"kind": "reopened", "ref": "1.1"}]


def test_an_action_that_joins_or_leaves_the_board_is_one_change():
    added = diff(snap(), snap(action("3.2", status="On track", progress=[entry(1)])))
    assert added == [{"kind": "added", "ref": "3.2", "status": "On track",
                      "description": "Action 3.2"}]
    removed = diff(snap(action("3.2")), snap())
    assert removed == [{"kind": "removed", "ref": "3.2", "status": "On track",
                        "description": "Action 3.2"}]


def test_other_fields_are_not_compared():
    before = snap(action(description="Old words", sro="A", last_reviewed="2025-01-01",
                         progress=[entry(1, text="old text")]))
    after = snap(action(description="New words", sro="B", last_reviewed="2025-06-01",
                        progress=[entry(1, text="edited text")]))
    assert diff(before, after) == []


def test_an_update_removed_since_is_not_a_change():
    assert diff(snap(action(progress=[entry(1)])), snap(action())) == []


def test_every_kind_at_once_in_order_per_action_and_actions_in_natural_order():
    before = snap(
        action("2.10", status="On track", due_=due("2025-01", "2025-01-31")),
        action("2.9", status="On track"),
        action("1.1"),
    )
    after = snap(
        action("2.10", status="Complete", closed=True, due_=due("2025-04", "2025-04-30"),
               progress=[entry(7, status_from="On track", status_to="Complete")]),
        action("2.9", status="On track", due_=due("2025-05", "2025-05-31")),
        action("10.1"),
    )
    found = [(c["ref"], c["kind"]) for c in diff(before, after)]
    assert found == [("1.1", "removed"), ("2.9", "due_set"), ("2.10", "update"),
                     ("2.10", "status"), ("2.10", "closed"), ("2.10", "slipped"),
                     ("10.1", "added")]


def test_whole_snapshots_and_bare_action_maps_give_the_same_answer():
    before, after = snap(action(status="A")), snap(action(status="B"))
    assert diff(before, after) == diff(before["actions"], after["actions"])


def test_ref_order_is_natural():
    refs = ["10.1", "2.10", "2.9", "2.9a", "1.1", "IP 4.6", "3.11b", "3.11a"]
    assert sorted(refs, key=ref_order) == ["1.1", "2.9", "2.9a", "2.10", "3.11a", "3.11b",
                                           "10.1", "IP 4.6"]


def test_summary_counts_kinds_in_order_leaving_out_none():
    changes = [{"kind": "status"}, {"kind": "update"}, {"kind": "update"}]
    assert list(summary(changes).items()) == [("update", 2), ("status", 1)]
    assert summary([]) == {}


@pytest.mark.parametrize("change, text", [
    ({"kind": "added", "ref": "1.1"}, "1.1 now reports to the board"),
    ({"kind": "removed", "ref": "1.1"}, "1.1 no longer reports to the board"),
    ({"kind": "update", "ref": "1.1", "date": "2025-03-01", "text": "Started"},
     "1.1 update (2025-03-01): Started"),
    ({"kind": "update", "ref": "1.1", "date": None, "text": "Started"},
     "1.1 update (undated): Started"),
    ({"kind": "status", "ref": "1.1", "old": None, "new": "On track"},
     "1.1 status moved from none to On track"),
    ({"kind": "closed", "ref": "1.1"}, "1.1 closed through change control"),
    ({"kind": "reopened", "ref": "1.1"}, "1.1 reopened"),
    ({"kind": "slipped", "ref": "1.1", "old": "2025-02", "new": "2025-03", "days": 31},
     "1.1 due date slipped from 2025-02 to 2025-03 (31 days later)"),
    ({"kind": "brought_forward", "ref": "1.1", "old": "2025-03", "new": "2025-02", "days": 31},
     "1.1 due date brought forward from 2025-03 to 2025-02 (31 days earlier)"),
    ({"kind": "due_set", "ref": "1.1", "new": "2025-02"}, "1.1 due date set to 2025-02"),
    ({"kind": "due_removed", "ref": "1.1", "old": "2025-02"},
     "1.1 due date removed (was 2025-02)"),
])
def test_every_kind_is_described(change, text):
    assert describe(change) == text


def test_every_kind_has_a_description_test():
    described = {"added", "removed", "update", "status", "closed", "reopened", "slipped",
                 "brought_forward", "due_set", "due_removed"}
    assert described == set(KINDS)
