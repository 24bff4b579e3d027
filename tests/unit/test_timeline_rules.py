"""The timeline rules: periods, slippage, status and grouping (pure, no database)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapis.timeline import rules
from lapis.timeline.rules import Item, When

D = dt.date
days = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
months = days.map(lambda d: When(d.replace(day=1), "month"))
whens = st.one_of(days.map(When), months)


# --- dates ---------------------------------------------------------------------------------

def test_a_month_counts_at_the_end_of_its_month_including_leap_february():
    assert When(D(2024, 2, 1), "month").end() == D(2024, 2, 29)
    assert When(D(2025, 2, 1), "month").end() == D(2025, 2, 28)
    assert When(D(2100, 2, 1), "month").end() == D(2100, 2, 28)  # not a leap year
    assert When(D(2000, 2, 1), "month").end() == D(2000, 2, 29)  # a leap year
    assert When(D(2025, 12, 1), "month").end() == D(2025, 12, 31)
    assert When(D(2025, 2, 14)).end() == D(2025, 2, 14)


def test_a_when_refuses_a_bad_precision_or_a_month_not_on_the_first():
    with pytest.raises(ValueError, match="precision"):
        When(D(2025, 1, 1), "week")
    with pytest.raises(ValueError, match="1st"):
        When(D(2025, 1, 2), "month")


def test_a_datetime_is_kept_as_its_day():
    assert When(dt.datetime(2025, 3, 4, 10, 30)).value == D(2025, 3, 4)


def test_iso_and_words():
    assert When(D(2025, 2, 1), "month").iso() == "2025-02"
    assert When(D(2025, 2, 3)).iso() == "2025-02-03"
    assert When(D(2025, 2, 1), "month").words() == "February 2025"
    assert When(D(2025, 2, 3)).words() == "3 February 2025"


# --- periods -------------------------------------------------------------------------------

@pytest.mark.parametrize("day, key, label, year", [
    (D(2024, 8, 31), "2024-summer", "Summer 2024", "2023/24"),
    (D(2024, 9, 1), "2024-autumn", "Autumn 2024", "2024/25"),
    (D(2024, 12, 31), "2024-autumn", "Autumn 2024", "2024/25"),
    (D(2025, 1, 1), "2025-spring", "Spring 2025", "2024/25"),
    (D(2025, 3, 31), "2025-spring", "Spring 2025", "2024/25"),
    (D(2025, 4, 1), "2025-summer", "Summer 2025", "2024/25"),
    (D(2025, 8, 31), "2025-summer", "Summer 2025", "2024/25"),
    (D(2024, 2, 29), "2024-spring", "Spring 2024", "2023/24"),
    (D(2099, 9, 30), "2099-autumn", "Autumn 2099", "2099/00"),
])
def test_school_terms_at_their_boundaries(day, key, label, year):
    period = rules.term_period(day)
    assert (period.key, period.label, period.academic_year) == (key, label, year)
    assert period.contains(day)


def test_term_dates():
    assert rules.term_period(D(2024, 10, 5)).start == D(2024, 9, 1)
    assert rules.term_period(D(2024, 10, 5)).end == D(2024, 12, 31)
    assert (rules.term_period(D(2025, 2, 5)).start, rules.term_period(D(2025, 2, 5)).end) == (
        D(2025, 1, 1), D(2025, 3, 31))
    assert (rules.term_period(D(2025, 6, 5)).start, rules.term_period(D(2025, 6, 5)).end) == (
        D(2025, 4, 1), D(2025, 8, 31))


def test_months():
    period = rules.month_period(D(2024, 2, 10))
    assert (period.key, period.label, period.start, period.end) == (
        "2024-02", "February 2024", D(2024, 2, 1), D(2024, 2, 29))
    assert rules.month_period(D(2025, 3, 31)).academic_year == "2024/25"
    assert rules.period_of(D(2025, 3, 3), "month").key == "2025-03"
    with pytest.raises(ValueError, match="month"):
        rules.period_of(D(2025, 3, 3), "week")


@given(days, st.sampled_from(rules.BY))
def test_every_day_is_in_exactly_its_own_period(day, by):
    period = rules.period_of(day, by)
    assert period.contains(day)
    assert rules.period_of(period.start, by) == period == rules.period_of(period.end, by)
    assert rules.period_of(period.start - dt.timedelta(days=1), by) != period
    assert rules.period_of(period.end + dt.timedelta(days=1), by) != period
    assert period.academic_year == rules.academic_year(day)


@given(days, st.integers(min_value=0, max_value=800), st.sampled_from(rules.BY))
def test_periods_between_tile_the_range_without_gaps(first, length, by):
    last = first + dt.timedelta(days=length)
    periods = rules.periods_between(first, last, by)
    assert periods[0].contains(first) and periods[-1].contains(last)
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)


def test_periods_between_refuses_a_backwards_or_huge_range():
    with pytest.raises(ValueError, match="before its start"):
        rules.periods_between(D(2025, 2, 1), D(2025, 1, 1), "month")
    with pytest.raises(ValueError, match="240"):
        rules.periods_between(D(2000, 1, 1), D(2030, 1, 1), "month")
    assert len(rules.periods_between(D(2000, 1, 1), D(2030, 1, 1), "term")) == 91


def test_a_year_has_twelve_months_and_three_terms():
    assert len(rules.periods_between(D(2024, 9, 1), D(2025, 8, 31), "month")) == 12
    terms = rules.periods_between(D(2024, 9, 1), D(2025, 8, 31), "term")
    assert [t.label for t in terms] == ["Autumn 2024", "Spring 2025", "Summer 2025"]
    assert {t.academic_year for t in terms} == {"2024/25"}


# --- slippage ------------------------------------------------------------------------------

def test_slippage_counts_months_at_their_end():
    feb, may = When(D(2025, 2, 1), "month"), When(D(2025, 5, 1), "month")
    assert rules.slippage_days(feb, may) == (D(2025, 5, 31) - D(2025, 2, 28)).days == 92
    assert rules.describe_slippage(feb, may) == "moved 3 months later"
    assert rules.describe_slippage(may, feb) == "moved 3 months earlier"
    assert rules.describe_slippage(feb, When(D(2025, 3, 1), "month")) == "moved 1 month later"
    assert rules.describe_slippage(feb, feb) == "On plan"


def test_slippage_in_days_and_about_months():
    planned = When(D(2025, 1, 10))
    assert rules.describe_slippage(planned, When(D(2025, 1, 11))) == "moved 1 day later"
    assert rules.describe_slippage(planned, When(D(2025, 1, 1))) == "moved 9 days earlier"
    assert rules.describe_slippage(planned, When(D(2025, 3, 10))) == "moved 59 days later"
    assert rules.describe_slippage(planned, When(D(2025, 4, 10))) == (
        "moved about 3 months later (90 days)")
    assert rules.describe_slippage(planned, planned) == "On plan"


def test_a_day_in_the_last_day_of_a_month_is_on_plan_with_that_month():
    assert rules.describe_slippage(When(D(2024, 2, 1), "month"), When(D(2024, 2, 29))) == (
        "On plan")
    assert rules.slippage_days(When(D(2024, 2, 1), "month"), When(D(2024, 3, 1))) == 1


def test_slippage_across_a_leap_day():
    assert rules.slippage_days(When(D(2024, 2, 28)), When(D(2024, 3, 1))) == 2
    assert rules.slippage_days(When(D(2025, 2, 28)), When(D(2025, 3, 1))) == 1


@given(whens, whens)
def test_slippage_is_antisymmetric_and_its_words_agree_in_sign(a, b):
    assert rules.slippage_days(a, b) == -rules.slippage_days(b, a)
    words = rules.describe_slippage(a, b)
    days_moved = rules.slippage_days(a, b)
    if words == "On plan":
        assert days_moved == 0 or a.precision == b.precision == "month" and a == b
    else:
        assert ("later" in words) == (days_moved > 0)


# --- status --------------------------------------------------------------------------------

def test_status_on_an_as_of_date():
    feb = When(D(2025, 2, 1), "month")
    assert rules.status_of(current=feb, done=True, as_of=D(2030, 1, 1), by="month") == "done"
    assert rules.status_of(current=feb, done=False, as_of=D(2025, 3, 1), by="month") == "overdue"
    # A month is not overdue until its last day has passed, leap year included.
    assert rules.status_of(current=When(D(2024, 2, 1), "month"), done=False,
                           as_of=D(2024, 2, 29), by="month") == "due"
    assert rules.status_of(current=feb, done=False, as_of=D(2025, 2, 10), by="month") == "due"
    assert rules.status_of(current=feb, done=False, as_of=D(2025, 1, 31), by="month") == "future"
    assert rules.status_of(current=feb, done=False, as_of=D(2025, 1, 31), by="term") == "due"
    assert rules.status_of(current=feb, done=False, as_of=D(2024, 12, 31), by="term") == "future"


def test_status_labels():
    assert rules.status_label("due", "term") == "Due this term"
    assert rules.status_label("due", "month") == "Due this month"
    assert rules.status_label("overdue", "term") == "Overdue"


@given(whens, st.booleans(), days, st.sampled_from(rules.BY))
def test_status_is_always_one_of_four_and_overdue_means_past(current, done, as_of, by):
    status = rules.status_of(current=current, done=done, as_of=as_of, by=by)
    assert status in rules.STATUSES
    assert (status == "done") == done
    if status == "overdue":
        assert current.end() < as_of
    if status == "future":
        assert current.end() > rules.period_of(as_of, by).end


# --- original due date from history --------------------------------------------------------

def change(on, old):
    return SimpleNamespace(changed_on=on, old=old, new=None)


def test_the_original_due_date_is_the_old_of_the_earliest_change():
    now = When(D(2026, 3, 1), "month")
    first = SimpleNamespace(value=D(2025, 2, 1), precision="month")
    second = SimpleNamespace(value=D(2025, 9, 1), precision="month")
    assert rules.original_due([], now) == now
    assert rules.original_due([change(D(2025, 6, 1), second), change(D(2025, 1, 1), first)],
                              now) == When(D(2025, 2, 1), "month")
    # A change from "no due date" does not say what was planned: skip it.
    assert rules.original_due([change(D(2024, 1, 1), None), change(D(2025, 6, 1), second)],
                              now) == When(D(2025, 9, 1), "month")


# --- building the timeline -----------------------------------------------------------------

def item(kind, ident, planned, current, **extra):
    return Item(kind=kind, id=ident, title=extra.pop("title", f"{kind} {ident}"),
                planned=planned, current=current, **extra)


def test_an_item_kind_must_be_known():
    with pytest.raises(ValueError, match="kind"):
        item("task", 1, When(D(2025, 1, 1)), When(D(2025, 1, 1)))


def test_build_groups_by_current_period_in_date_order_and_keeps_empty_periods():
    mar = When(D(2025, 3, 1), "month")
    items = [
        item("milestone", 1, When(D(2025, 1, 15)), When(D(2025, 3, 31)), action_ref="4.6",
             priority=4),
        item("due", 2, When(D(2025, 1, 1), "month"), mar, action_ref="4.10", action_id=2,
             priority=4),
        item("due", 3, mar, mar, action_ref="4.6", action_id=3, priority=4),
        item("due", 4, When(D(2025, 1, 2)), When(D(2025, 1, 2)), action_ref="1.1", done=True),
        item("due", 5, When(D(2026, 1, 2)), When(D(2026, 1, 2)), action_ref="9.9"),  # outside
    ]
    groups = rules.build(items, by="month", first=D(2025, 1, 1), last=D(2025, 3, 31),
                         as_of=D(2025, 2, 15))
    assert [g.period.label for g in groups] == ["January 2025", "February 2025", "March 2025"]
    assert [r.item.id for r in groups[0].rows] == [4]
    assert groups[1].rows == []
    # All three are current on 31 March: the earlier planned date first (1: 15 Jan, then
    # 2: January, which counts on 31 Jan; 3 was planned for March).
    assert [r.item.id for r in groups[2].rows] == [1, 2, 3]
    by_id = {r.item.id: r for g in groups for r in g.rows}
    assert by_id[4].status == "done"
    assert by_id[2].slippage == "moved 2 months later" and by_id[2].status == "future"
    assert by_id[1].slippage == "moved about 2 months later (75 days)"
    assert by_id[3].slippage == "On plan"


def test_due_dates_come_before_milestones_on_the_same_dates_then_refs_in_reading_order():
    day = When(D(2025, 5, 1))
    items = [item("milestone", 1, day, day), item("due", 2, day, day, action_ref="3.11a"),
             item("due", 3, day, day, action_ref="3.2b")]
    (group,) = rules.build(items, by="month", first=D(2025, 5, 1), last=D(2025, 5, 31),
                           as_of=D(2025, 1, 1))
    assert [r.item.id for r in group.rows] == [3, 2, 1]


def test_build_by_term_and_as_json():
    items = [item("milestone", 7, When(D(2024, 12, 1), "month"), When(D(2025, 4, 1), "month"),
                  action_ref="4.6", priority=4, completed_on=None)]
    groups = rules.build(items, by="term", first=D(2024, 9, 1), last=D(2025, 8, 31),
                         as_of=D(2025, 4, 20))
    assert [len(g.rows) for g in groups] == [0, 0, 1]
    data = groups[2].as_json()
    assert data["label"] == "Summer 2025" and data["academic_year"] == "2024/25"
    assert data["start"] == "2025-04-01" and data["end"] == "2025-08-31"
    assert data["rows"] == [{
        "kind": "milestone", "id": 7, "title": "milestone 7", "action_id": None,
        "action_ref": "4.6", "priority": 4, "planned": "2024-12", "current": "2025-04",
        "completed_on": None, "slippage_days": 120, "slippage": "moved 4 months later",
        "status": "due", "status_label": "Due this term"}]


@given(st.lists(st.tuples(whens, whens, st.booleans()), max_size=30), days,
       st.sampled_from(rules.BY))
def test_build_places_each_item_in_range_exactly_once(pairs, as_of, by):
    items = [item("milestone", i, p, c, done=d) for i, (p, c, d) in enumerate(pairs)]
    first, last = D(2000, 1, 1), D(2009, 12, 31)
    groups = rules.build(items, by=by, first=first, last=last, as_of=as_of)
    placed = [r.item.id for g in groups for r in g.rows]
    assert sorted(placed) == [i.id for i in items if first <= i.current.end() <= last]
    for group in groups:
        assert all(group.period.contains(r.item.current.end()) for r in group.rows)
        ends = [r.item.current.end() for r in group.rows]
        assert ends == sorted(ends)


def test_overdue_before_finds_open_items_hidden_before_the_range():
    old = item("due", 1, When(D(2023, 1, 1)), When(D(2023, 1, 1)))
    done = item("due", 2, When(D(2023, 1, 1)), When(D(2023, 1, 1)), done=True)
    inside = item("due", 3, When(D(2025, 1, 1)), When(D(2025, 1, 1)))
    assert rules.overdue_before([old, done, inside], before=D(2024, 9, 1),
                                as_of=D(2025, 6, 1)) == [old]
    # Not overdue yet on as_of: not reported, even though before the range.
    assert rules.overdue_before([old], before=D(2024, 9, 1), as_of=D(2022, 1, 1)) == []


# --- ranges --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2025", "2025-13", "25-03", "2025-3-1", "March", "", "0000-01"])
def test_parse_month_refuses_what_is_not_a_month(text):
    with pytest.raises(ValueError):
        rules.parse_month(text)


def test_parse_month_and_add_months():
    assert rules.parse_month("2025-03") == D(2025, 3, 1)
    assert rules.parse_month(" 2025-3 ") == D(2025, 3, 1)
    assert rules.add_months(D(2025, 11, 30), 3) == D(2026, 2, 1)
    assert rules.add_months(D(2025, 1, 31), -1) == D(2024, 12, 1)


@given(days, st.integers(min_value=-600, max_value=600))
def test_add_months_lands_on_the_first_of_the_right_month(day, n):
    moved = rules.add_months(day, n)
    assert moved.day == 1
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == n


def test_default_ranges_around_today():
    assert rules.default_range(D(2026, 11, 23), "month") == (D(2026, 8, 1), D(2027, 7, 31))
    # Autumn 2026 now: from Summer 2026 to Autumn 2027.
    assert rules.default_range(D(2026, 11, 23), "term") == (D(2026, 4, 1), D(2027, 12, 31))
    assert rules.default_range(D(2025, 1, 1), "term") == (D(2024, 9, 1), D(2026, 3, 31))


@given(days, st.sampled_from(rules.BY))
def test_the_default_range_contains_today(today, by):
    first, last = rules.default_range(today, by)
    assert first <= today <= last


def test_read_range_gives_reasons_and_falls_back_to_the_default():
    today = D(2026, 11, 23)
    assert rules.read_range("term", "2024-09", "2025-08", today) == (
        "term", D(2024, 9, 1), D(2025, 8, 31), {})
    assert rules.read_range("", "", "", today) == ("month", D(2026, 8, 1), D(2027, 7, 31), {})
    by, first, last, errors = rules.read_range("week", "2025-13", "x", today)
    assert by == "month" and (first, last) == rules.default_range(today, "month")
    assert set(errors) == {"by", "from", "to"}
    assert rules.read_range("month", "2025-06", "2025-01", today)[3] == {
        "to": "The last month must be the same as or after the first month"}
    assert "shorter range" in rules.read_range("month", "2000-01", "2030-12", today)[3]["to"]
