"""`lapis forecast` and `lapis forecast_backtest` on the hand-built example extract in
src/lapis/cases/examples/ (the one tests/integration/test_timeliness.py uses)."""

import datetime as dt
import json

import pytest

from lapis.cases import forecast, queries
from tests.integration.helpers import lapis, lapis_fails
from tests.integration.test_timeliness import cases  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
RULES = ("twenty_week", "twenty_week_ex", "six_week", "review_decisions")
KEYS = {"expected", "low", "high", "issued_so_far", "within_so_far", "open_cases"}
FORECAST = ["forecast", "--period", "2024", "--as-of", "2024-07-01"]


def test_the_json_answers_the_contract_and_counts_what_happened_as_it_is(cases):  # noqa: F811
    out, _ = lapis(*FORECAST, "--format", "json")
    result = json.loads(out)
    for rule in RULES:
        assert KEYS <= set(result[rule]), rule
    so_far = queries.timeliness(cases, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31),
                                as_of=dt.date(2024, 7, 1))
    twenty = result["twenty_week"]
    assert (twenty["issued_so_far"], twenty["within_so_far"]) == (
        so_far["twenty_week"]["issued"], so_far["twenty_week"]["within"])
    assert (result["twenty_week_ex"]["issued_so_far"],
            result["twenty_week_ex"]["within_so_far"]) == (
        so_far["twenty_week"]["issued_ex"], so_far["twenty_week"]["within_ex"])
    assert result["six_week"]["issued_so_far"] == so_far["six_week"]["decided"]
    assert result["review_decisions"]["within_so_far"] == so_far["review_decisions"]["within"]
    issued = set(so_far["cases"]["twenty_week"]["issued"])
    assert issued and not issued & {c["case"] for c in twenty["open"]}
    found = queries.records(cases)
    assert result == forecast.forecast(found["requests"], found["assessments"], found["plans"],
                                       found["reviews"], year=2024, as_of=dt.date(2024, 7, 1))
    assert twenty["open_cases"] > 0 and twenty["low"] <= twenty["high"]


def test_after_the_year_the_forecast_is_the_years_rate(cases):  # noqa: F811
    out, _ = lapis("forecast", "--period", "2024", "--as-of", "2025-01-31", "--format", "json")
    result = json.loads(out)
    actual, _ = lapis("timeliness", "--period", "2024", "--as-of", "2025-01-31",
                      "--format", "json")
    actual = json.loads(actual)
    assert result["twenty_week"]["expected"] == actual["twenty_week"]["rate"] == 66.7
    assert result["twenty_week"]["low"] == result["twenty_week"]["high"] == 66.7
    six = result["six_week"]  # R05, received 2024-12-20, is on day 42: still open
    assert (six["within_so_far"], six["issued_so_far"]) == (12, 16) == (
        actual["six_week"]["within"], actual["six_week"]["decided"])
    assert [c["case"] for c in six["open"]] == ["R05"] and six["open_cases"] == 1


def test_text_output(cases):  # noqa: F811
    out, _ = lapis(*FORECAST)
    assert "Forecast of 2024 in Hull, as of 2024-07-01" in out
    assert "Final plans within 20 weeks: expected" in out
    assert "80% interval" in out


def test_without_case_events_it_says_so_and_fails(hull):
    _, err = lapis_fails(*FORECAST, "--format", "json")
    assert "Hull has no case events" in err
    _, err = lapis_fails("forecast_backtest", "--years", "2024")
    assert "Hull has no case events" in err
    _, err = lapis_fails("forecast", "--period", "24", "--as-of", "2024-07-01")
    assert "calendar year" in err


def test_the_backtest_replays_each_month_against_the_actual(cases):  # noqa: F811
    out, _ = lapis("forecast_backtest", "--years", "2024", "--format", "json")
    result = json.loads(out)
    assert [row["as_of"] for row in result["forecasts"]] == [
        f"2024-{month:02d}-01" for month in range(1, 13)]
    assert all(row["twenty_week"]["actual"] == 66.7 for row in result["forecasts"])
    for rule in RULES:
        assert set(result[rule]) == {"forecasts", "mae", "coverage"}
    errors = [abs(row["twenty_week"]["expected"] - 66.7) for row in result["forecasts"]
              if row["twenty_week"]["expected"] is not None]
    assert result["twenty_week"]["mae"] == round(sum(errors) / len(errors), 1)
    out, _ = lapis("forecast_backtest", "--years", "2024")
    assert "Final plans within 20 weeks: mean absolute error" in out
    # By default, the past years whose figures are final: the extract ends on 2025-02-05,
    # before every 6-week clock of December 2024 has run out, and 2023 is its first year.
    _, err = lapis_fails("forecast_backtest")
    assert "give --years" in err


def test_the_page_states_the_method_and_shows_case_ids_only_to_case_level_roles(
        client, cases):  # noqa: F811
    from lapis.partnership.models import Role
    from tests.integration.test_timeliness import member

    url = "/cases/forecast/?period=2024&as_of=2024-07-01"
    client.force_login(member("pat", cases, Role.PROGRAMME_MANAGER))
    page = client.get(url).content.decode()
    assert "Forecast of 2024, as of 1 July 2024" in page
    assert "8 years out of 10" in page and "How the forecast is made" in page
    assert "No past year to compare" in page  # the extract's 2023 has no track record before
    opened = json.loads(lapis(*FORECAST, "--format", "json")[0])["twenty_week"]["open"]
    some_id = opened[0]["case"]
    assert "lapis-case-ids" in page and some_id in page
    client.force_login(member("vic", cases, Role.VIEWER))
    page = client.get(url).content.decode()
    assert "lapis-case-ids" not in page and f">{some_id}<" not in page
    assert "Case-level data" in page and "Final plans within 20 weeks" in page


def test_the_page_without_case_events(client, hull):
    from lapis.partnership.models import Role
    from tests.integration.test_timeliness import member

    client.force_login(member("pat", hull, Role.PROGRAMME_MANAGER))
    page = client.get("/cases/forecast/").content.decode()
    assert "There are no case events for Hull" in page
