"""The voice rules, exhaustively: working days, response times, themes by quarter, survey
percentages, and reading cells."""

import datetime as dt
import itertools

import pytest

from lapis.voice import rules
from lapis.voice.rules import ComplaintFacts

D = dt.date


# --- Bank holidays and working days ----------------------------------------------------------

def test_every_year_has_its_eight_usual_holidays_and_the_one_offs():
    by_year = {y: sorted(d for d in rules.BANK_HOLIDAYS if d.year == y) for y in
               rules.KNOWN_YEARS}
    assert {y: len(days) for y, days in by_year.items()} == {
        2020: 8, 2021: 8, 2022: 10, 2023: 9, 2024: 8, 2025: 8, 2026: 8, 2027: 8}
    assert all(d.weekday() < 5 for d in rules.BANK_HOLIDAYS)  # substitutes, never weekends
    assert {D(2022, 6, 3), D(2022, 9, 19), D(2023, 5, 8), D(2020, 5, 8)} <= rules.BANK_HOLIDAYS


def test_good_friday_and_easter_monday_are_four_days_apart_every_year():
    for year in rules.KNOWN_YEARS:
        days = sorted(d for d in rules.BANK_HOLIDAYS if d.year == year and 3 <= d.month <= 4)
        assert len(days) == 2 and (days[1] - days[0]).days == 3
        assert days[0].weekday() == 4 and days[1].weekday() == 0


@pytest.mark.parametrize("day, working", [
    (D(2024, 12, 24), True), (D(2024, 12, 25), False), (D(2024, 12, 26), False),
    (D(2024, 12, 27), True), (D(2024, 12, 28), False), (D(2024, 12, 29), False),
    (D(2026, 12, 28), False), (D(2027, 3, 26), False), (D(2025, 8, 25), False),
    (D(2025, 8, 26), True), (D(2019, 12, 25), True),  # outside the table: weekends only
])
def test_working_day(day, working):
    assert rules.is_working_day(day) is working


def test_holidays_known_only_for_the_table():
    assert rules.holidays_known(2020) and rules.holidays_known(2027)
    assert not rules.holidays_known(2019) and not rules.holidays_known(2028)


def test_working_days_between_matches_a_count_by_hand_for_every_pair_in_2024_q4():
    days = [D(2024, 10, 1) + dt.timedelta(n) for n in range(92)]
    for start, end in itertools.product(days[::3], days[::5]):
        by_hand = sum(1 for n in range(1, (end - start).days + 1)
                      if (start + dt.timedelta(n)).weekday() < 5
                      and start + dt.timedelta(n) not in (D(2024, 12, 25), D(2024, 12, 26)))
        expected = by_hand if end >= start else -rules.working_days_between(end, start)
        assert rules.working_days_between(start, end) == expected


@pytest.mark.parametrize("start, end, days", [
    (D(2025, 3, 3), D(2025, 3, 3), 0),  # the same day
    (D(2025, 3, 3), D(2025, 3, 4), 1),  # the next day
    (D(2025, 3, 7), D(2025, 3, 10), 1),  # Friday to Monday
    (D(2025, 3, 8), D(2025, 3, 9), 0),  # Saturday to Sunday
    (D(2025, 4, 17), D(2025, 4, 22), 1),  # over Easter 2025
    (D(2024, 12, 20), D(2025, 1, 2), 6),  # over Christmas and New Year
    (D(2025, 3, 10), D(2025, 3, 3), -5),
])
def test_working_days_between(start, end, days):
    assert rules.working_days_between(start, end) == days


@pytest.mark.parametrize("start, n, expected", [
    (D(2025, 3, 3), 0, D(2025, 3, 3)),
    (D(2025, 3, 3), 20, D(2025, 3, 31)),
    (D(2025, 4, 10), 20, D(2025, 5, 13)),  # Easter and the early May holiday
    (D(2024, 12, 6), 20, D(2025, 1, 8)),  # Christmas, Boxing Day, New Year
    (D(2025, 3, 8), 1, D(2025, 3, 10)),  # from a Saturday
])
def test_add_working_days(start, n, expected):
    assert rules.add_working_days(start, n) == expected
    assert rules.working_days_between(start, expected) == n


def test_add_working_days_refuses_a_negative():
    with pytest.raises(rules.RuleError):
        rules.add_working_days(D(2025, 1, 1), -1)


# --- Response time ---------------------------------------------------------------------------

def test_answered_on_the_due_date_is_within_and_a_day_later_is_late():
    received = D(2025, 3, 3)
    due = D(2025, 3, 31)
    on_time = rules.timeliness(received, due, 20, as_of=D(2025, 6, 1))
    assert (on_time.due, on_time.days_taken, on_time.within, on_time.overdue) == (
        due, 20, True, False)
    assert on_time.label == "Within the standard"
    late = rules.timeliness(received, D(2025, 4, 1), 20, as_of=D(2025, 6, 1))
    assert (late.days_taken, late.within, late.label) == (21, False, "Late")


def test_an_open_complaint_is_not_counted_until_it_is_overdue():
    received = D(2025, 3, 3)
    waiting = rules.timeliness(received, None, 20, as_of=D(2025, 3, 31))
    assert (waiting.within, waiting.overdue, waiting.label) == (None, False, "Not yet due")
    overdue = rules.timeliness(received, None, 20, as_of=D(2025, 4, 1))
    assert (overdue.within, overdue.overdue, overdue.label) == (False, True, "Overdue")


def test_a_different_standard_changes_the_verdict():
    received, answered = D(2025, 3, 3), D(2025, 3, 24)  # 15 working days
    assert rules.timeliness(received, answered, 15, D(2025, 6, 1)).within is True
    assert rules.timeliness(received, answered, 10, D(2025, 6, 1)).within is False


def test_response_time_refuses_nonsense():
    with pytest.raises(rules.RuleError, match="before"):
        rules.timeliness(D(2025, 3, 3), D(2025, 3, 2), 20, D(2025, 6, 1))
    with pytest.raises(rules.RuleError, match="at least 1"):
        rules.timeliness(D(2025, 3, 3), None, 0, D(2025, 6, 1))


def test_summary_counts_answered_and_overdue_and_leaves_out_not_yet_due():
    items = [rules.timeliness(D(2025, 3, 3), D(2025, 3, 10), 20, D(2025, 6, 1)),
             rules.timeliness(D(2025, 3, 3), D(2025, 4, 10), 20, D(2025, 6, 1)),
             rules.timeliness(D(2025, 3, 3), None, 20, D(2025, 6, 1)),  # overdue
             rules.timeliness(D(2025, 5, 30), None, 20, D(2025, 6, 1))]  # not yet due
    summary = rules.summarise_timeliness(items)
    assert (summary.counted, summary.within, summary.pct) == (3, 1, 33.3)
    assert rules.summarise_timeliness([]).pct is None


@pytest.mark.parametrize("part, whole, pct", [
    (0, 0, None), (0, 3, 0.0), (1, 3, 33.3), (2, 3, 66.7), (1, 8, 12.5), (3, 3, 100.0),
    (1, 6, 16.7)])
def test_percent(part, whole, pct):
    assert rules.percent(part, whole) == pct


# --- Quarters and themes ---------------------------------------------------------------------

@pytest.mark.parametrize("day, label", [
    (D(2024, 1, 1), "2024 Q1"), (D(2024, 3, 31), "2024 Q1"), (D(2024, 4, 1), "2024 Q2"),
    (D(2024, 6, 30), "2024 Q2"), (D(2024, 7, 1), "2024 Q3"), (D(2024, 12, 31), "2024 Q4")])
def test_quarter_of(day, label):
    assert rules.quarter_of(day) == label
    assert rules.quarter_start(label) <= day <= rules.quarter_end(label)


def test_quarter_bounds_and_a_bad_label():
    assert rules.quarter_end("2024 Q4") == D(2024, 12, 31)
    assert rules.quarter_end("2024 Q1") == D(2024, 3, 31)
    with pytest.raises(rules.RuleError):
        rules.quarter_start("2024Q5")


def test_quarters_between_crosses_a_year():
    assert rules.quarters_between(D(2024, 11, 5), D(2025, 4, 1)) == [
        "2024 Q4", "2025 Q1", "2025 Q2"]
    assert rules.quarters_between(D(2024, 5, 1), D(2024, 5, 2)) == ["2024 Q2"]


def test_themes_by_quarter_counted_by_hand():
    table = rules.themes_by_quarter([
        ComplaintFacts(D(2024, 4, 2), ("communication", "ehcp_delay")),
        ComplaintFacts(D(2024, 5, 2), ("communication",)),
        ComplaintFacts(D(2024, 6, 30), ("transport", "transport")),  # counted once
        ComplaintFacts(D(2024, 12, 1), ("communication",)),
        ComplaintFacts(D(2024, 12, 2), ()),  # no theme: in the total only
    ])
    assert table.quarters == ["2024 Q2", "2024 Q3", "2024 Q4"]  # the empty Q3 is a column
    assert table.themes == ["communication", "ehcp_delay", "transport"]
    assert table.row("communication") == [2, 0, 1]
    assert table.row("ehcp_delay") == [1, 0, 0]
    assert table.row("transport") == [1, 0, 0]
    assert table.totals == {"2024 Q2": 3, "2024 Q3": 0, "2024 Q4": 2}
    assert table.count("provision", "2024 Q2") == 0


def test_themes_by_quarter_of_nothing():
    table = rules.themes_by_quarter([])
    assert (table.quarters, table.themes, table.totals) == ([], [], {})


# --- Reading cells ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, themes", [
    ("Communication", ["communication"]),
    ("EHCP delay; comms", ["communication", "ehcp_delay"]),
    ("transport,Provision,transport", ["provision", "transport"]),
    ("", []), (None, []),
])
def test_read_themes(text, themes):
    assert rules.read_themes(text) == themes


def test_read_themes_names_the_unknown_one():
    with pytest.raises(rules.RuleError, match="'parking'"):
        rules.read_themes("communication; parking")


@pytest.mark.parametrize("reader, value, expected", [
    (rules.read_channel, "E-mail", "email"), (rules.read_channel, "MP enquiry", "mp"),
    (rules.read_channel, "Online form", "online"), (rules.read_channel, "phone", "phone"),
    (rules.read_outcome, "", "open"), (rules.read_outcome, "Partially upheld",
                                        "partly_upheld"),
    (rules.read_outcome, "NOT UPHELD", "not_upheld"), (rules.read_stage, "", 1),
    (rules.read_stage, "Stage 2", 2), (rules.read_stage, 2.0, 2),
])
def test_readers(reader, value, expected):
    assert reader(value) == expected


@pytest.mark.parametrize("reader, value", [
    (rules.read_channel, "pigeon"), (rules.read_channel, ""), (rules.read_outcome, "maybe"),
    (rules.read_stage, "3")])
def test_readers_refuse(reader, value):
    with pytest.raises(rules.RuleError):
        reader(value)


@pytest.mark.parametrize("value, expected", [
    ("2025-03-31", D(2025, 3, 31)), ("31/03/2025", D(2025, 3, 31)),
    ("31/03/2025 14:05", D(2025, 3, 31)), ("2025-03-31 14:05:09", D(2025, 3, 31)),
    (dt.datetime(2025, 3, 31, 9), D(2025, 3, 31)), (D(2025, 3, 31), D(2025, 3, 31)),
    ("", None), (None, None)])
def test_read_date(value, expected):
    assert rules.read_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2025", "yesterday", "2025-13-01"])
def test_read_date_refuses(value):
    with pytest.raises(rules.RuleError, match="not a date"):
        rules.read_date(value)
    with pytest.raises(rules.RuleError, match="missing"):
        rules.read_date("", required=True)


@pytest.mark.parametrize("header, role", [
    ("Name", "personal"), ("Your name", "personal"), ("First name", "personal"),
    ("Email address", "personal"), ("E-mail", "personal"), ("Postcode", "personal"),
    ("Child's name", "personal"), ("Phone number", "personal"), ("Date of birth", "personal"),
    ("Respondent ID", "id"), ("ID", "id"), ("Complainant name", "personal"),
    ("Parent's email", "personal"), ("Timestamp", "timestamp"),
    ("Date submitted", "timestamp"),
    ("Name of your child's school", "question"), ("How did you hear about us?", "question"),
    ("I feel listened to", "question")])
def test_header_role(header, role):
    assert rules.header_role(header) == role


def test_holds_email():
    assert rules.holds_email("write to me at jo.bloggs@example.org please")
    assert not rules.holds_email("the @ sign on its own")


# --- Survey questions ------------------------------------------------------------------------

@pytest.mark.parametrize("answers, kind", [
    (["Agree", "Strongly agree", "Disagree", "Neutral"], "agree"),
    (["Agree", "Agree", "Agree", "Agree", "Sort of"], "agree"),  # 80%: the rest are errors
    (["Agree", "Agree", "Agree", "Sort of", "Maybe"], "choice"),  # 60%: not a scale
    (["Yes", "No", "yes", "Not sure"], "yes_no"),
    (["Email", "Phone", "Email", "Letter"], "choice"),
    (["Email", "Phone", "Letter"], "free_text"),  # nothing repeats
    ([f"answer {n}" for n in range(20)] * 2, "free_text"),  # too many distinct
    (["", " "], "free_text"), ([], "free_text"),
])
def test_detect_kind(answers, kind):
    assert rules.detect_kind(answers) == kind


def test_agree_results_by_hand():
    answers = (["Strongly agree"] * 3 + ["Agree"] * 5 + ["Neutral"] * 2 + ["Disagree"] * 4
               + ["Strongly disagree"] + ["Don't know"] + [None, ""])
    result = rules.question_result("agree", answers)
    assert (result.answered, result.blank) == (16, 2)
    assert [(c.answer, c.count, c.pct) for c in result.counts] == [
        ("Strongly agree", 3, 18.8), ("Agree", 5, 31.2),
        ("Neither agree nor disagree", 2, 12.5), ("Disagree", 4, 25.0),
        ("Strongly disagree", 1, 6.2), ("Don't know", 1, 6.2)]
    assert result.headline == 50.0  # 8 of 16
    assert result.headline_label == "% agree or strongly agree"


def test_yes_no_results_and_every_point_shown_at_zero():
    result = rules.question_result("yes_no", ["Yes", "y", "YES", "No"])
    assert [(c.answer, c.count, c.pct) for c in result.counts] == [
        ("Yes", 3, 75.0), ("No", 1, 25.0), ("Don't know", 0, 0.0)]
    assert result.headline == 75.0 and result.headline_label == "% yes"


def test_choice_results_most_common_first_then_alphabetically():
    result = rules.question_result("choice", ["Phone", "email", "Email", "Phone", "Letter"])
    assert [(c.answer, c.count, c.pct) for c in result.counts] == [
        ("email", 2, 40.0), ("Phone", 2, 40.0), ("Letter", 1, 20.0)]
    assert result.headline is None


def test_free_text_is_counted_never_listed():
    result = rules.question_result("free_text", ["a", "b", None])
    assert (result.answered, result.blank, result.counts, result.headline) == (2, 1, (), None)


def test_no_answers_at_all():
    result = rules.question_result("agree", [None, None])
    assert result.answered == 0 and result.headline is None
    assert all(c.pct is None for c in result.counts)


def test_an_answer_off_the_scale_is_refused():
    with pytest.raises(rules.RuleError, match="Sort of"):
        rules.question_result("agree", ["Agree", "Sort of"])
    with pytest.raises(rules.RuleError, match="unknown question kind"):
        rules.question_result("stars", [])
