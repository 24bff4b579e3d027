"""Tests for lapis.plans.drift: each rule's boundaries in tables, then properties."""

import datetime as dt
import json
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapis.plans.drift import (
    DONE_FAMILIES,
    FLAGS,
    ActionFacts,
    DueChange,
    DueDate,
    Flagged,
    assess,
    assess_all,
    explain,
    summarise,
)

D = dt.date
OPEN_FAMILIES = ("not_started", "on_track", "some_concerns", "off_track")
ALL_FAMILIES = (*OPEN_FAMILIES, "complete", "embedded", "closed")


def month(year: int, mon: int) -> DueDate:
    return DueDate(D(year, mon, 1), "month")


def day(year: int, mon: int, dd: int) -> DueDate:
    return DueDate(D(year, mon, dd), "day")


def action(**overrides) -> ActionFacts:
    """A well-kept open action that raises no flag on 2025-01-01 with default windows."""
    base = ActionFacts(
        ref="3.11a",
        status_label="On track",
        status_family="on_track",
        closed=False,
        due=day(2026, 1, 1),
        last_reviewed=D(2025, 1, 1),
        has_sro=True,
        has_lead=True,
        has_impact_measure=True,
    )
    return replace(base, **overrides)


def flags_of(act: ActionFacts, as_of: dt.date, **windows) -> list[str]:
    result = assess(act, as_of=as_of, **windows)
    return [] if result is None else result.flags


# --- DueDate -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "end", "label"),
    [
        (day(2025, 2, 14), D(2025, 2, 14), "2025-02-14"),
        (month(2025, 2), D(2025, 2, 28), "2025-02"),
        (month(2024, 2), D(2024, 2, 29), "2024-02"),  # leap year
        (month(2100, 2), D(2100, 2, 28), "2100-02"),  # century, not a leap year
        (month(2000, 2), D(2000, 2, 29), "2000-02"),  # 400-year leap year
        (month(2024, 12), D(2024, 12, 31), "2024-12"),
        (month(2025, 4), D(2025, 4, 30), "2025-04"),
        (month(2025, 1), D(2025, 1, 31), "2025-01"),
        (day(2024, 2, 29), D(2024, 2, 29), "2024-02-29"),
        (month(999, 3), D(999, 3, 31), "0999-03"),
    ],
)
def test_due_date_end_and_label(due, end, label):
    assert due.end() == end
    assert due.label() == label


@pytest.mark.parametrize("precision", ["year", "Month", "", None])
def test_due_date_rejects_unknown_precision(precision):
    with pytest.raises(ValueError, match="precision"):
        DueDate(D(2025, 2, 1), precision)


def test_month_due_date_must_be_the_first():
    with pytest.raises(ValueError, match="1st"):
        DueDate(D(2025, 2, 14), "month")


def test_due_date_keeps_only_the_day_of_a_datetime():
    due = DueDate(dt.datetime(2025, 2, 14, 9, 30), "day")
    assert type(due.value) is dt.date
    assert due == day(2025, 2, 14)


# --- overdue and due_soon ------------------------------------------------------------------

# (due, as_of, overdue days or None, due_soon days_left or None) with soon_days=30.
DUE_TABLE = [
    # Month precision is due at the end of the month.
    (month(2025, 2), D(2025, 2, 1), None, 27),
    (month(2025, 2), D(2025, 2, 27), None, 1),
    (month(2025, 2), D(2025, 2, 28), None, 0),
    (month(2025, 2), D(2025, 3, 1), 1, None),
    (month(2025, 2), D(2025, 3, 31), 31, None),
    # Leap-year February ends on the 29th.
    (month(2024, 2), D(2024, 2, 28), None, 1),
    (month(2024, 2), D(2024, 2, 29), None, 0),
    (month(2024, 2), D(2024, 3, 1), 1, None),
    # December ends on the 31st and the next day is in the next year.
    (month(2024, 12), D(2024, 12, 31), None, 0),
    (month(2025, 12), D(2025, 12, 1), None, 30),
    (month(2024, 12), D(2025, 1, 1), 1, None),
    (month(2024, 12), D(2025, 12, 31), 365, None),
    # Day precision is due on the day itself.
    (day(2025, 2, 14), D(2025, 2, 14), None, 0),
    (day(2025, 2, 14), D(2025, 2, 15), 1, None),
    (day(2025, 2, 14), D(2025, 1, 15), None, 30),  # exactly soon_days away
    (day(2025, 2, 14), D(2025, 1, 14), None, None),  # soon_days + 1 away
    (month(2025, 1), D(2025, 3, 1), 29, None),  # 31 Jan to 1 Mar
    # Month precision at the due_soon edges: 30 and 31 days before the end of February.
    (month(2025, 2), D(2025, 1, 29), None, 30),
    (month(2025, 2), D(2025, 1, 28), None, None),
]


@pytest.mark.parametrize(("due", "as_of", "days_overdue", "days_left"), DUE_TABLE)
def test_overdue_and_due_soon_boundaries(due, as_of, days_overdue, days_left):
    result = assess(action(due=due, last_reviewed=as_of), as_of=as_of, soon_days=30)
    facts = {} if result is None else result.facts
    if days_overdue is None:
        assert "overdue" not in facts
    else:
        assert facts["overdue"] == {"due": due.label(), "days_overdue": days_overdue}
    if days_left is None:
        assert "due_soon" not in facts
    else:
        assert facts["due_soon"] == {"due": due.label(), "days_left": days_left}


@pytest.mark.parametrize(
    ("due", "as_of", "soon_days", "days_left"),
    [
        (day(2025, 5, 10), D(2025, 5, 10), 0, 0),  # due today is due soon even with no window
        (day(2025, 5, 11), D(2025, 5, 10), 0, None),
        (day(2025, 5, 17), D(2025, 5, 10), 7, 7),
        (day(2025, 5, 18), D(2025, 5, 10), 7, None),
        (month(2025, 5), D(2025, 5, 31), 0, 0),
        (month(2025, 5), D(2025, 5, 30), 0, None),
        (day(2025, 5, 10), D(2025, 5, 11), 7, None),  # overdue instead
    ],
)
def test_due_soon_window(due, as_of, soon_days, days_left):
    result = assess(action(due=due, last_reviewed=as_of), as_of=as_of, soon_days=soon_days)
    facts = {} if result is None else result.facts
    if days_left is None:
        assert "due_soon" not in facts
    else:
        assert facts["due_soon"] == {"due": due.label(), "days_left": days_left}


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        ("not_started", ["overdue"]),
        ("on_track", ["overdue"]),
        ("some_concerns", ["overdue"]),
        ("off_track", ["overdue"]),
        (None, ["overdue", "incomplete"]),  # no status counts as open, and is missing
        ("complete", []),
        ("embedded", []),
        ("closed", []),
    ],
)
def test_overdue_by_family(family, expected):
    act = action(status_family=family, due=month(2024, 11), last_reviewed=D(2025, 1, 1))
    assert flags_of(act, D(2025, 1, 1)) == expected


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        *[(f, ["due_soon"]) for f in OPEN_FAMILIES],
        (None, ["due_soon", "incomplete"]),
        ("complete", []),
        ("embedded", []),
        ("closed", []),
    ],
)
def test_due_soon_by_family(family, expected):
    act = action(status_family=family, due=day(2025, 1, 10))
    assert flags_of(act, D(2025, 1, 1)) == expected


def test_no_due_date_is_neither_overdue_nor_due_soon():
    result = assess(action(due=None), as_of=D(2025, 1, 1))
    assert result.flags == ["incomplete"]
    assert result.facts == {"incomplete": {"missing": ["due"]}}


# --- stale ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_reviewed", "stale_days", "facts"),
    [
        (D(2025, 4, 1), 90, None),  # exactly 90 days
        (D(2025, 3, 31), 90, {"last_reviewed": "2025-03-31", "days_since": 91, "stale_days": 90}),
        (D(2025, 6, 30), 90, None),  # reviewed today
        (D(2025, 7, 15), 90, None),  # reviewed "after" as_of still counts as a review
        (None, 90, {"last_reviewed": None, "days_since": None, "stale_days": 90}),
        (D(2025, 6, 30), 0, None),
        (D(2025, 6, 29), 0, {"last_reviewed": "2025-06-29", "days_since": 1, "stale_days": 0}),
        (D(2025, 7, 1), 0, None),
        (None, 0, {"last_reviewed": None, "days_since": None, "stale_days": 0}),
        (D(2025, 5, 31), 30, None),
        (D(2025, 5, 30), 30, {"last_reviewed": "2025-05-30", "days_since": 31, "stale_days": 30}),
        (D(2024, 6, 30), 365, None),  # a year with no 29 February in it
        (D(2024, 6, 29), 365, {"last_reviewed": "2024-06-29", "days_since": 366,
                               "stale_days": 365}),
    ],
)
def test_stale_boundaries(last_reviewed, stale_days, facts):
    act = action(last_reviewed=last_reviewed)
    result = assess(act, as_of=D(2025, 6, 30), stale_days=stale_days)
    if facts is None:
        assert result is None
    else:
        assert result.flags == ["stale"]
        assert result.facts == {"stale": facts}


def test_stale_counts_days_across_leap_day():
    # 2024-02-28 to 2024-05-29 is 91 days because of 29 February.
    act = action(last_reviewed=D(2024, 2, 28), due=None)
    result = assess(act, as_of=D(2024, 5, 29))
    assert result.facts["stale"]["days_since"] == 91
    assert assess(act, as_of=D(2024, 5, 28)).flags == ["incomplete"]


@pytest.mark.parametrize(
    ("family", "stale"),
    [*[(f, True) for f in OPEN_FAMILIES], (None, True),
     ("complete", False), ("embedded", False), ("closed", False)],
)
def test_stale_by_family(family, stale):
    act = action(status_family=family, last_reviewed=None)
    assert ("stale" in flags_of(act, D(2025, 1, 1))) is stale


# --- incomplete ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"has_sro": False}, ["sro"]),
        ({"has_lead": False}, ["lead"]),
        ({"due": None}, ["due"]),
        ({"status_family": None}, ["status"]),
        ({"status_family": None, "status_label": None}, ["status"]),
        ({"has_impact_measure": False}, ["impact_measure"]),
        ({"has_impact_measure": False, "has_sro": False}, ["sro", "impact_measure"]),
        ({"due": None, "has_lead": False}, ["lead", "due"]),
        (
            {"has_sro": False, "has_lead": False, "due": None, "status_family": None,
             "has_impact_measure": False},
            ["sro", "lead", "due", "status", "impact_measure"],
        ),
    ],
)
def test_incomplete_lists_missing_in_order(overrides, missing):
    result = assess(action(**overrides), as_of=D(2025, 1, 1))
    assert result.flags == ["incomplete"]
    assert result.facts == {"incomplete": {"missing": missing}}


@pytest.mark.parametrize("family", ["complete", "embedded"])
def test_done_actions_can_be_incomplete(family):
    act = action(status_family=family, has_sro=False, due=None, last_reviewed=None)
    result = assess(act, as_of=D(2025, 1, 1))
    assert result.flags == ["incomplete"]
    assert result.facts == {"incomplete": {"missing": ["sro", "due"]}}


def test_nothing_missing_and_nothing_due_is_not_flagged():
    assert assess(action(), as_of=D(2025, 1, 1)) is None


# --- closed --------------------------------------------------------------------------------

NEGLECTED = {
    "due": month(2023, 1),
    "last_reviewed": None,
    "has_sro": False,
    "has_lead": False,
    "has_impact_measure": False,
    "due_changes": (DueChange(D(2022, 6, 1), month(2022, 12), month(2023, 1)),),
}


@pytest.mark.parametrize("family", [*ALL_FAMILIES, None])
def test_closed_through_change_control_is_never_flagged(family):
    act = action(closed=True, status_family=family, **NEGLECTED)
    assert assess(act, as_of=D(2025, 1, 1)) is None


def test_closed_family_is_never_flagged():
    act = action(status_family="closed", status_label="Closed", **NEGLECTED)
    assert assess(act, as_of=D(2025, 1, 1)) is None


def test_the_same_neglected_action_when_open_raises_every_past_due_flag():
    result = assess(action(**NEGLECTED), as_of=D(2025, 1, 1))
    assert result.flags == ["overdue", "stale", "incomplete", "slipped"]


# --- slipped -------------------------------------------------------------------------------


def change(on: dt.date, old, new) -> DueChange:
    return DueChange(on, old, new)


# (changes, current due, expected slipped facts or None)
SLIP_TABLE = [
    pytest.param((), month(2025, 3), None, id="no-changes"),
    pytest.param(
        (change(D(2025, 1, 10), month(2025, 2), month(2025, 3)),),
        month(2025, 3),
        {"original_due": "2025-02", "current_due": "2025-03", "slippage_days": 31,
         "moves_later": 1},
        id="later",
    ),
    pytest.param(
        (change(D(2025, 1, 10), month(2025, 3), month(2025, 2)),),
        month(2025, 2), None, id="earlier",
    ),
    pytest.param(
        (change(D(2025, 1, 10), month(2025, 2), month(2025, 4)),
         change(D(2025, 2, 10), month(2025, 4), month(2025, 2))),
        month(2025, 2), None, id="later-then-back",
    ),
    pytest.param(
        (change(D(2025, 1, 10), month(2025, 2), month(2025, 6)),
         change(D(2025, 2, 10), month(2025, 6), month(2025, 3))),
        month(2025, 3),
        {"original_due": "2025-02", "current_due": "2025-03", "slippage_days": 31,
         "moves_later": 1},
        id="later-then-partly-back",
    ),
    pytest.param(
        (change(D(2025, 1, 10), month(2025, 2), month(2025, 3)),
         change(D(2025, 2, 10), month(2025, 3), month(2025, 6))),
        month(2025, 6),
        {"original_due": "2025-02", "current_due": "2025-06", "slippage_days": 122,
         "moves_later": 2},
        id="later-twice",
    ),
    pytest.param(
        (change(D(2024, 9, 1), None, month(2025, 2)),
         change(D(2025, 1, 10), month(2025, 2), month(2025, 5))),
        month(2025, 5),
        {"original_due": "2025-02", "current_due": "2025-05", "slippage_days": 92,
         "moves_later": 1},
        id="first-change-from-none",
    ),
    pytest.param(
        (change(D(2024, 9, 1), None, month(2025, 5)),),
        month(2025, 5), None, id="only-set-from-none",
    ),
    pytest.param(
        # Given out of order: sorting by changed_on makes February the original.
        (change(D(2025, 2, 10), month(2025, 3), month(2025, 4)),
         change(D(2025, 1, 10), month(2025, 2), month(2025, 3))),
        month(2025, 4),
        {"original_due": "2025-02", "current_due": "2025-04", "slippage_days": 61,
         "moves_later": 2},
        id="unsorted-input",
    ),
    pytest.param(
        # Day to month precision in the same month still slips to the end of the month.
        (change(D(2025, 1, 10), day(2025, 2, 14), month(2025, 2)),),
        month(2025, 2),
        {"original_due": "2025-02-14", "current_due": "2025-02", "slippage_days": 14,
         "moves_later": 1},
        id="day-to-month",
    ),
    pytest.param(
        # Month to its own last day is no move at all.
        (change(D(2025, 1, 10), month(2025, 2), day(2025, 2, 28)),),
        day(2025, 2, 28), None, id="month-to-its-last-day",
    ),
    pytest.param(
        # A change that keeps the same end day is not a move later.
        (change(D(2025, 1, 10), month(2025, 2), day(2025, 2, 28)),
         change(D(2025, 1, 20), day(2025, 2, 28), month(2025, 3))),
        month(2025, 3),
        {"original_due": "2025-02", "current_due": "2025-03", "slippage_days": 31,
         "moves_later": 1},
        id="no-op-change-then-later",
    ),
    pytest.param(
        (change(D(2025, 1, 10), month(2024, 2), month(2024, 3)),),
        month(2024, 3),
        {"original_due": "2024-02", "current_due": "2024-03", "slippage_days": 31,
         "moves_later": 1},
        id="leap-february-to-march",
    ),
    pytest.param(
        (change(D(2025, 1, 10), month(2024, 12), day(2025, 1, 1)),),
        day(2025, 1, 1),
        {"original_due": "2024-12", "current_due": "2025-01-01", "slippage_days": 1,
         "moves_later": 1},
        id="december-end-to-new-year",
    ),
    pytest.param(
        # The date was removed then set again later: slipped, but no single change moved a
        # date later because the middle step had no date to compare.
        (change(D(2025, 1, 10), month(2025, 2), None),
         change(D(2025, 1, 20), None, month(2025, 4))),
        month(2025, 4),
        {"original_due": "2025-02", "current_due": "2025-04", "slippage_days": 61,
         "moves_later": 0},
        id="removed-then-set-later",
    ),
    pytest.param(
        (change(D(2025, 1, 10), month(2025, 2), month(2025, 6)),),
        None, None, id="due-date-now-missing",
    ),
    pytest.param(
        # Same-day changes keep their given order; the original is the first one's old date.
        (change(D(2025, 1, 10), month(2025, 2), month(2025, 3)),
         change(D(2025, 1, 10), month(2025, 3), month(2025, 1))),
        month(2025, 1), None, id="same-day-changes-keep-order",
    ),
]


@pytest.mark.parametrize(("changes", "due", "facts"), SLIP_TABLE)
def test_slipped(changes, due, facts):
    act = action(due=due, due_changes=changes)
    result = assess(act, as_of=D(2024, 6, 1))
    got = None if result is None else result.facts.get("slipped")
    assert got == facts


@pytest.mark.parametrize(("family", "slipped"),
                         [*[(f, True) for f in OPEN_FAMILIES],
                          ("complete", True), ("embedded", True), ("closed", False)])
def test_slipped_by_family(family, slipped):
    changes = (change(D(2024, 1, 10), month(2025, 2), month(2025, 3)),)
    act = action(status_family=family, due=month(2025, 3), due_changes=changes)
    assert ("slipped" in flags_of(act, D(2024, 6, 1))) is slipped


def test_slipped_closed_through_change_control_is_not_flagged():
    changes = (change(D(2024, 1, 10), month(2025, 2), month(2025, 3)),)
    act = action(closed=True, due=month(2025, 3), due_changes=changes)
    assert assess(act, as_of=D(2024, 6, 1)) is None


# --- results, JSON, assess_all, summarise --------------------------------------------------


def test_as_json_merges_facts_under_flag_names():
    act = action(
        ref="1.2b",
        status_label="Off track",
        status_family="off_track",
        due=month(2025, 2),
        last_reviewed=D(2024, 10, 1),
        has_impact_measure=False,
        due_changes=(change(D(2024, 11, 5), month(2024, 12), month(2025, 2)),),
    )
    result = assess(act, as_of=D(2025, 3, 3))
    assert result.as_json() == {
        "ref": "1.2b",
        "flags": ["overdue", "stale", "incomplete", "slipped"],
        "status": "Off track",
        "overdue": {"due": "2025-02", "days_overdue": 3},
        "stale": {"last_reviewed": "2024-10-01", "days_since": 153, "stale_days": 90},
        "incomplete": {"missing": ["impact_measure"]},
        "slipped": {"original_due": "2024-12", "current_due": "2025-02",
                    "slippage_days": 59, "moves_later": 1},
    }
    # JSON-ready: survives a round trip unchanged.
    assert json.loads(json.dumps(result.as_json())) == result.as_json()


def test_as_json_status_is_none_without_a_status():
    result = assess(action(status_label=None, status_family=None), as_of=D(2025, 1, 1))
    assert result.as_json() == {
        "ref": "3.11a", "flags": ["incomplete"], "status": None,
        "incomplete": {"missing": ["status"]},
    }


def test_as_json_is_a_copy():
    result = assess(action(has_sro=False), as_of=D(2025, 1, 1))
    data = result.as_json()
    data["incomplete"]["missing"].append("lead")
    data["flags"].append("stale")
    assert result.facts == {"incomplete": {"missing": ["sro"]}}
    assert result.flags == ["incomplete"]


def test_assess_all_keeps_input_order_and_drops_clean_actions():
    actions = [
        action(ref="2.1", has_sro=False),
        action(ref="1.1"),
        action(ref="9.9", due=day(2024, 12, 1)),
        action(ref="0.1", closed=True, has_sro=False),
        action(ref="3.11a", last_reviewed=None),
    ]
    results = assess_all(actions, as_of=D(2025, 1, 1))
    assert [r.ref for r in results] == ["2.1", "9.9", "3.11a"]
    assert [r.flags for r in results] == [["incomplete"], ["overdue"], ["stale"]]


def test_assess_all_passes_windows_through():
    act = action(due=day(2025, 1, 8), last_reviewed=D(2024, 12, 1))
    assert assess_all([act], as_of=D(2025, 1, 1)) == [
        Flagged("3.11a", ["due_soon"], {"due_soon": {"due": "2025-01-08", "days_left": 7}},
                "On track")
    ]
    assert assess_all([act], as_of=D(2025, 1, 1), stale_days=30, soon_days=6) == [
        Flagged("3.11a", ["stale"],
                {"stale": {"last_reviewed": "2024-12-01", "days_since": 31, "stale_days": 30}},
                "On track")
    ]


def test_assess_all_accepts_any_iterable():
    gen = (action(ref=str(n), has_lead=False) for n in range(3))
    assert [r.ref for r in assess_all(gen, as_of=D(2025, 1, 1))] == ["0", "1", "2"]


def test_summarise_counts_every_flag():
    actions = [
        action(ref="a", due=day(2024, 12, 1), last_reviewed=None),
        action(ref="b", due=day(2025, 1, 5), has_sro=False),
        action(ref="c", due=None),
        action(ref="d"),
    ]
    counts = summarise(assess_all(actions, as_of=D(2025, 1, 1)))
    assert counts == {"overdue": 1, "due_soon": 1, "stale": 1, "incomplete": 2, "slipped": 0}
    assert list(counts) == list(FLAGS)


def test_summarise_of_nothing_has_every_key():
    assert summarise([]) == dict.fromkeys(FLAGS, 0)


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("windows", "message"),
    [({"stale_days": -1}, "stale_days"), ({"soon_days": -1}, "soon_days")],
)
def test_negative_windows_are_rejected(windows, message):
    with pytest.raises(ValueError, match=message):
        assess(action(), as_of=D(2025, 1, 1), **windows)
    with pytest.raises(ValueError, match=message):
        assess_all([], as_of=D(2025, 1, 1), **windows)


def test_closed_action_still_validates_windows():
    with pytest.raises(ValueError, match="stale_days"):
        assess(action(closed=True), as_of=D(2025, 1, 1), stale_days=-5)


def test_zero_windows_are_allowed():
    assert assess(action(), as_of=D(2025, 1, 1), stale_days=0, soon_days=0) is None


def test_constants():
    assert FLAGS == ("overdue", "due_soon", "stale", "incomplete", "slipped")
    assert DONE_FAMILIES == frozenset({"complete", "embedded", "closed"})


# --- properties ----------------------------------------------------------------------------

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))
due_dates = st.one_of(
    st.builds(lambda d: DueDate(d, "day"), dates),
    st.builds(lambda d: DueDate(d.replace(day=1), "month"), dates),
)
optional_due = st.none() | due_dates
changes_st = st.lists(
    st.builds(DueChange, changed_on=dates, old=optional_due, new=optional_due), max_size=5
).map(tuple)
actions_st = st.builds(
    ActionFacts,
    ref=st.text(min_size=1, max_size=6),
    status_label=st.none() | st.text(max_size=12),
    status_family=st.none() | st.sampled_from(ALL_FAMILIES),
    closed=st.booleans(),
    due=optional_due,
    last_reviewed=st.none() | dates,
    has_sro=st.booleans(),
    has_lead=st.booleans(),
    has_impact_measure=st.booleans(),
    due_changes=changes_st,
)
windows = st.integers(min_value=0, max_value=400)


def _flags(act, as_of, stale_days=90, soon_days=30):
    return flags_of(act, as_of, stale_days=stale_days, soon_days=soon_days)


@given(actions_st, dates, windows, windows)
def test_never_both_overdue_and_due_soon(act, as_of, stale_days, soon_days):
    flags = _flags(act, as_of, stale_days, soon_days)
    assert not {"overdue", "due_soon"} <= set(flags)


@given(actions_st, dates, windows, windows)
def test_done_families_are_never_overdue_stale_or_due_soon(act, as_of, stale_days, soon_days):
    act = replace(act, status_family="complete" if act.has_sro else "embedded")
    flags = _flags(act, as_of, stale_days, soon_days)
    assert not {"overdue", "due_soon", "stale"} & set(flags)


@given(actions_st, dates, windows, windows)
def test_closed_is_never_flagged(act, as_of, stale_days, soon_days):
    assert assess(replace(act, closed=True), as_of=as_of, stale_days=stale_days,
                  soon_days=soon_days) is None
    assert assess(replace(act, status_family="closed"), as_of=as_of, stale_days=stale_days,
                  soon_days=soon_days) is None


@given(actions_st, dates, st.integers(min_value=1, max_value=1000))
def test_later_as_of_never_un_overdues_or_freshens(act, as_of, extra_days):
    before = _flags(act, as_of)
    after = _flags(act, as_of + dt.timedelta(days=extra_days))
    for flag in ("overdue", "stale"):
        if flag in before:
            assert flag in after
    # incomplete and slipped do not depend on as_of at all.
    for flag in ("incomplete", "slipped"):
        assert (flag in before) == (flag in after)


@given(actions_st, dates, windows, windows)
def test_result_shape(act, as_of, stale_days, soon_days):
    result = assess(act, as_of=as_of, stale_days=stale_days, soon_days=soon_days)
    if result is None:
        return
    assert result.flags
    assert result.flags == [f for f in FLAGS if f in result.flags]
    assert list(result.facts) == result.flags
    data = result.as_json()
    assert json.loads(json.dumps(data)) == data
    assert data["ref"] == act.ref and data["status"] == act.status_label


@given(actions_st, dates)
def test_overdue_and_due_soon_agree_with_due_end(act, as_of):
    act = replace(act, closed=False, status_family="on_track")
    result = assess(act, as_of=as_of)
    facts = {} if result is None else result.facts
    if act.due is None:
        assert "overdue" not in facts and "due_soon" not in facts
        return
    gap = (act.due.end() - as_of).days
    assert ("overdue" in facts) is (gap < 0)
    assert ("due_soon" in facts) is (0 <= gap <= 30)
    if gap < 0:
        assert facts["overdue"]["days_overdue"] == -gap


@given(actions_st)
def test_slipped_means_current_due_ends_after_the_original(act):
    act = replace(act, closed=False, status_family="on_track")
    result = assess(act, as_of=D(2025, 1, 1))
    slipped = None if result is None else result.facts.get("slipped")
    ordered = sorted(act.due_changes, key=lambda c: c.changed_on)
    original = next((c.old for c in ordered if c.old is not None), None)
    expect = (original is not None and act.due is not None
              and act.due.end() > original.end())
    assert (slipped is not None) is expect
    if slipped:
        assert slipped["slippage_days"] == (act.due.end() - original.end()).days > 0
        assert 0 <= slipped["moves_later"] <= len(act.due_changes)


@given(st.lists(actions_st, max_size=8), dates)
def test_summarise_counts_match_flags(acts, as_of):
    results = assess_all(acts, as_of=as_of)
    counts = summarise(results)
    assert list(counts) == list(FLAGS)
    assert sum(counts.values()) == sum(len(r.flags) for r in results)
    assert [r.ref for r in results] == [
        a.ref for a in acts if assess(a, as_of=as_of) is not None
    ]


# --- explain: the sentences on the drift page and in `lapis drift` -------------------------


def test_explain_says_each_flag_in_words():
    action = ActionFacts(
        ref="4.10", status_label="On track", status_family="on_track", closed=False,
        due=DueDate(D(2025, 9, 1), "month"), last_reviewed=D(2025, 1, 30),
        has_sro=False, has_lead=True, has_impact_measure=False,
        due_changes=(
            DueChange(D(2024, 6, 1), DueDate(D(2025, 3, 1), "month"),
                      DueDate(D(2025, 6, 1), "month")),
            DueChange(D(2025, 1, 1), DueDate(D(2025, 6, 1), "month"),
                      DueDate(D(2025, 9, 1), "month")),
        ),
    )
    flagged = assess(action, as_of=D(2025, 11, 1))
    assert explain(flagged) == [
        "Due by the end of September 2025: 32 days overdue.",
        "Last reviewed 30 January 2025, 275 days ago (more than 90).",
        "Missing: SRO, impact measure.",
        "Due date moved from March 2025 to September 2025: 183 days later, in 2 moves.",
    ]


def test_explain_day_dates_single_days_and_never_reviewed():
    action = ActionFacts(
        ref="1.1", status_label=None, status_family=None, closed=False,
        due=DueDate(D(2025, 11, 2), "day"), last_reviewed=None,
        has_sro=True, has_lead=True, has_impact_measure=True,
    )
    assert explain(assess(action, as_of=D(2025, 11, 1))) == [
        "Due on 2 November 2025: 1 day left.",
        "Never reviewed.",
        "Missing: status.",
    ]
