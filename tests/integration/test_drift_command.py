"""`lapis drift` over the real register."""

import json

import pytest

from tests.integration.helpers import lapis

pytestmark = pytest.mark.django_db


def test_drift_json_names_each_flag_and_its_facts(hull):
    flagged = {f["ref"]: f for f in json.loads(
        lapis("drift", "--as-of", "2025-11-01", "--format", "json")[0])}
    # 4.10 was due Sep-25 and is "On track some concerns": overdue at 1 Nov 2025
    assert "overdue" in flagged["4.10"]["flags"]
    assert flagged["4.10"]["overdue"] == {"due": "2025-09", "days_overdue": 32}
    # 1.1 is Completed: never overdue, even though its due date (Feb-25) has passed
    assert "overdue" not in flagged.get("1.1", {"flags": []})["flags"]
    # 2.12 has never been reviewed and has no start date
    assert "stale" in flagged["2.12"]["flags"]
    assert flagged["2.12"]["stale"]["last_reviewed"] is None
    # 5.7 has no SRO, no lead and no status
    assert set(flagged["5.7"]["incomplete"]["missing"]) >= {"sro", "lead", "status"}
    # closures are never flagged
    assert "1.3" not in flagged and "3.19" not in flagged


def test_drift_due_soon_counts_the_end_of_the_month(hull):
    flagged = {f["ref"]: f for f in json.loads(
        lapis("drift", "--as-of", "2025-11-15", "--format", "json")[0])}
    # 2.8 is due Dec-25: due at the end of December, 46 days away, so not yet "due soon"
    assert "due_soon" not in flagged.get("2.8", {"flags": []})["flags"]
    flagged = {f["ref"]: f for f in json.loads(
        lapis("drift", "--as-of", "2025-12-01", "--format", "json")[0])}
    assert flagged["2.8"]["due_soon"] == {"due": "2025-12", "days_left": 30}


def test_drift_text_summary(hull):
    out, _ = lapis("drift", "--as-of", "2025-11-01")
    assert out.startswith("Drift and delay in 'Hull SEND improvement plan' as of 2025-11-01:")
    assert "4.10" in out
