"""The forecast's arithmetic on the tiny case set of tests/fixtures/forecast/, whose numbers
EXPECTED.md works out by hand, and its invariants on generated case sets."""

import csv
import datetime as dt
import random
from pathlib import Path

import pytest

from lapis.cases import forecast as f
from lapis.cases import timeliness as t

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "forecast"
AS_OF = dt.date(2024, 7, 1)


def _date(text):
    return dt.date.fromisoformat(text) if text else None


def _rows(name):
    with open(FIXTURE / name, newline="") as handle:
        return list(csv.DictReader(handle))


def tiny():
    requests = [t.Request(r["RequestID"], r["PersonID"], _date(r["ReceivedDate"]),
                          r["RequestOutcome"], _date(r["RequestOutcomeDate"]))
                for r in _rows("requests.csv")]
    assessments = [t.Assessment(r["RequestID"], r["AssessmentOutcome"],
                                _date(r["AssessmentOutcomeDate"]), r["Week20"] == "1")
                   for r in _rows("assessments.csv")]
    reviews = [t.Review(r["PlanID"], _date(r["ReviewMeeting"]), _date(r["ReviewDecisionDate"]))
               for r in _rows("reviews.csv")]
    return requests, assessments, [], reviews


def run(as_of=AS_OF, data=None, **kw):
    return f.forecast(*(data or tiny()), year=2024, as_of=as_of, **kw)


def test_the_track_record_is_the_hand_worked_one():
    requests, assessments, _, reviews = tiny()
    record = f.track_record(requests, assessments, reviews, as_of=AS_OF)
    assert record.requests == ((25, "N"), (30, "N"), (30, "Y"), (64, "Y"), (70, "Y"))
    assert record.assessments == ((92, "N", False), (120, "Y", False), (184, "Y", True))
    assert record.issued_days == (120, 184) and record.issued_days_ex == (120,)
    assert record.reviews == (22, 39, f._FAR)


def test_the_expected_rates_are_the_hand_worked_ones():
    out = run()
    want = {"twenty_week": (35.8, 2, 1, 2, 4, 92 / 75, 257 / 75),
            "twenty_week_ex": (100.0, 1, 1, 1, 2, 92 / 75, 92 / 75),
            "six_week": (56.7, 2, 1, 1, 6, 3.4, 6.0),
            "review_decisions": (33.3, 3, 1, 1, 4, 4 / 3, 4.0)}
    for rule, (rate, issued, within, open_cases, cases, e_within, e_counted) in want.items():
        got = out[rule]
        assert got["expected"] == rate, rule
        assert (got["issued_so_far"], got["within_so_far"]) == (issued, within), rule
        assert (got["open_cases"], got["cases"]) == (open_cases, cases), rule
        assert got["expected_within"] == pytest.approx(e_within, abs=1e-4), rule
        assert got["expected_counted"] == pytest.approx(e_counted, abs=1e-4), rule
        assert got["low"] <= got["high"], rule
    chances = {c["case"]: (c["within"], c["late"]) for c in out["twenty_week"]["open"]}
    assert chances == {"R104": (0.0, 1.0), "R105": (0.2, 0.2)}
    chances = {c["case"]: (c["within"], c["late"]) for c in out["twenty_week_ex"]["open"]}
    assert chances == {"R105": (0.2, 0.0)}  # R104 cannot count without exceptions
    assert out["six_week"]["open"] == [{"case": "R105", "within": 0.6, "late": 0.4}]
    assert out["six_week"]["still_to_come"] == 3.0
    assert out["twenty_week"]["still_to_come"] == pytest.approx(2 / 75, abs=1e-4)
    assert out["review_decisions"]["open"] == [
        {"case": "PL4:2024-06-20", "within": 0.3333, "late": 0.6667}]
    assert (out["twenty_week"]["low"], out["twenty_week"]["high"]) == (25.0, 50.0)


def test_a_case_past_20_weeks_counts_as_missed_whatever_happens():
    requests, assessments, plans, reviews = tiny()
    # However quickly past assessments ended, R104 (day 175) can only be late.
    quick = [t.Request(f"Q{n}", f"Q{n}", dt.date(2023, 9, 1), "Y", dt.date(2023, 9, 20))
             for n in range(20)]
    quick_asmts = [t.Assessment(f"Q{n}", "Y", dt.date(2023, 9, 1) + dt.timedelta(176 + n))
                   for n in range(20)]
    out = run(data=(requests + quick, assessments + quick_asmts, plans, reviews))
    r104 = next(c for c in out["twenty_week"]["open"] if c["case"] == "R104")
    assert r104["within"] == 0.0 and r104["late"] > 0.9


def test_an_issued_plan_is_never_forecast_again():
    for as_of in (dt.date(2024, 2, 29), dt.date(2024, 3, 1), dt.date(2024, 6, 30)):
        out = run(as_of=as_of)
        assert "R101" not in {c["case"] for c in out["twenty_week"]["open"]}
        assert out["twenty_week"]["within_so_far"] >= 1
    before, on = run(as_of=dt.date(2024, 2, 28)), run(as_of=dt.date(2024, 2, 29))
    assert before["twenty_week"]["issued_so_far"] == 0
    assert (on["twenty_week"]["issued_so_far"], on["twenty_week"]["within_so_far"]) == (1, 1)


def test_after_the_year_the_forecast_is_the_actual():
    data = tiny()
    out = run(as_of=dt.date(2025, 1, 1), data=data)
    final = t.timeliness(*data, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31),
                         as_of=dt.date(2025, 1, 1))
    assert out["twenty_week"]["expected"] == final["twenty_week"]["rate"]
    for rule in f.RULES:
        assert out[rule]["low"] == out[rule]["expected"] == out[rule]["high"]
        assert out[rule]["open_cases"] == 0


def test_the_same_data_gives_the_same_interval():
    assert run() == run()
    assert run(seed=1)["six_week"]["expected"] == run(seed=2)["six_week"]["expected"]


def test_no_events_gives_no_rates():
    out = f.forecast([], [], [], [], year=2024, as_of=AS_OF)
    assert all(out[rule]["expected"] is None and out[rule]["low"] is None
               for rule in f.RULES)


def generated(seed, n=300):
    rng = random.Random(seed)
    requests, assessments, reviews = [], [], []
    first = dt.date(2022, 1, 1)
    for i in range(n):
        received = first + dt.timedelta(rng.randrange(1000))
        roll = rng.random()
        if roll < 0.05:
            requests.append(t.Request(f"R{i}", f"P{i}", received, "W",
                                      received + dt.timedelta(rng.randint(1, 50))))
            continue
        decided = received + dt.timedelta(rng.randint(10, 80))
        outcome = "N" if roll < 0.3 else "Y"
        requests.append(t.Request(f"R{i}", f"P{i}", received, outcome, decided))
        if outcome == "Y":
            ended = decided + dt.timedelta(rng.randint(30, 200))
            assessments.append(t.Assessment(f"R{i}", rng.choice("YYYYN"), ended,
                                            rng.random() < 0.1))
        meeting = first + dt.timedelta(rng.randrange(1000))
        reviews.append(t.Review(f"PL{i}", meeting, None if rng.random() < 0.1 else
                                meeting + dt.timedelta(rng.randint(5, 60))))
    return requests, assessments, [], reviews


@pytest.mark.parametrize("seed", range(4))
def test_invariants_on_generated_case_sets(seed):
    data = generated(seed)
    requests, assessments, _, _ = data
    by_id = {r.id: r for r in requests}
    issued = {a.request_id for a in assessments if a.outcome == "Y"}
    for month in (1, 4, 7, 10, 12):
        as_of = dt.date(2024, month, 1)
        out = f.forecast(*data, year=2024, as_of=as_of, draws=300)
        for rule in f.RULES:
            got = out[rule]
            if got["expected"] is not None:
                assert 0 <= got["low"] <= got["high"] <= 100
            for chance in got["open"]:
                assert 0 <= chance["within"] <= chance["within"] + chance["late"] <= 1.0001
        for chance in out["twenty_week"]["open"]:
            req = by_id[chance["case"]]
            if (as_of - req.received).days > t.TWENTY_WEEKS:
                assert chance["within"] == 0.0
            asmt = next((a for a in assessments if a.request_id == req.id), None)
            assert not (req.id in issued and asmt.outcome_date <= as_of)


def test_backtest_compares_each_month_with_the_actual():
    result = f.backtest(*generated(7), years=[2023, 2024], draws=200)
    assert len(result["forecasts"]) == 24
    final = f.actual(*generated(7), year=2024)
    assert result["forecasts"][-1]["twenty_week"]["actual"] == final["twenty_week"]
    for rule in f.RULES:
        assert result[rule]["forecasts"] <= 24
        assert result[rule]["mae"] >= 0
        assert 0 <= result[rule]["coverage"] <= 100
    errors = [abs(row["six_week"]["expected"] - row["six_week"]["actual"])
              for row in result["forecasts"]]
    assert result["six_week"]["mae"] == round(sum(errors) / len(errors), 1)


def test_many_open_cases_are_summed_as_a_normal_with_the_same_interval(monkeypatch):
    rng = random.Random(3)
    rule = f._Rule(within_so_far=40, counted_so_far=100,
                   open=[f.Chance(str(n), w, rng.random() * (1 - w))
                         for n, w in enumerate(rng.random() for _ in range(300))])
    normal = f._interval(rule, random.Random(1), 2000)
    monkeypatch.setattr(f, "EXACT_UP_TO", 10_000)
    exact = f._interval(rule, random.Random(1), 2000)
    assert normal != exact
    assert normal[0] == pytest.approx(exact[0], abs=0.6)
    assert normal[1] == pytest.approx(exact[1], abs=0.6)


def test_a_request_undecided_for_26_weeks_joins_the_track_record_as_never_decided():
    requests, assessments, plans, reviews = tiny()
    stuck = t.Request("R200", "P200", dt.date(2023, 12, 1), "A", None)
    record = f.track_record(requests + [stuck], assessments, reviews, as_of=AS_OF)
    assert record.requests[-1] == (f._FAR, "A") and len(record.requests) == 6
    out = run(data=(requests + [stuck], assessments, plans, reviews))
    assert out["six_week"]["open"] == [{"case": "R105", "within": 0.5, "late": 0.5}]
