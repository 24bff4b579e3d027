"""The register, action and drift pages through the test client, as alice and charlie."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapis.plans.models import Action, Plan

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client, hull):
    for url in ("/plan/", "/plan/drift/", f"/plan/actions/{Action.objects.first().pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_register_shows_every_action_with_text_statuses(client, alice):
    client.force_login(alice)
    page = client.get("/plan/").content.decode()
    assert "Showing 81 of 81 actions." in page
    rows = re.findall(r'<th scope="row" class="govuk-table__header"><a class="govuk-link" '
                      r'href="/plan/actions/\d+/">([^<]+)</a>', page)
    assert len(rows) == 81 and rows[:3] == ["1.1", "1.2", "1.3"]
    assert ">Embedded Sustained</strong>" in page  # a status is text, not only a colour


def test_register_filters(client, alice):
    client.force_login(alice)
    plan = Plan.objects.get()
    status = plan.scale.statuses.get(label="On track some concerns")
    page = client.get(f"/plan/?plan={plan.pk}&status={status.pk}").content.decode()
    count = Action.objects.filter(status=status).count()
    assert f"Showing {count} of 81 actions." in page
    page = client.get(f"/plan/?plan={plan.pk}&priority=5&status=none").content.decode()
    assert "Showing 4 of 81 actions." in page  # 5.6 to 5.9 have no status
    mary = Action.objects.get(ref="1.1").sro
    page = client.get(f"/plan/?sro={mary.pk}&priority=1").content.decode()
    assert "Showing 6 of 81 actions." in page  # 1.1-1.7 but not closure 1.3 (another SRO)


def test_the_status_summary_counts_by_priority(client, alice):
    client.force_login(alice)
    response = client.get("/plan/")
    summary = response.context["summary"]
    assert [row["total"] for row in summary] == [7, 11, 24, 12, 9, 18]
    assert sum(response.context["status_totals"]) == 81


def test_an_action_page_shows_every_field_log_and_history(client, alice):
    client.force_login(alice)
    action = Action.objects.get(ref="1.3")
    page = client.get(f"/plan/actions/{action.pk}/").content.decode()
    for text in ("Action 1.3", "Refresh the", "Closed through change control",
                 "This is now within the supervision form.", "Progress log",
                 "8 Sep 2023", "Closed as per agreed Change Request", "History of changes"):
        assert text in page, text


def test_the_drift_page(client, alice):
    client.force_login(alice)
    page = client.get("/plan/drift/?as_of=2025-11-01").content.decode()
    assert "As of 1 November 2025" in page
    assert "32 days overdue" in page


def test_another_partnership_sees_nothing(client, hull, charlie):
    client.force_login(charlie)
    assert "No improvement plan yet" in client.get("/plan/").content.decode()
    plan = Plan.objects.get()
    assert client.get(f"/plan/?plan={plan.pk}").status_code == 404
    assert client.get(f"/plan/actions/{Action.objects.first().pk}/").status_code == 404


def _register_queries(client, count: int, tmp_path) -> int:
    from tests.integration.helpers import lapis

    path = tmp_path / f"plan{count}.csv"
    lines = ["Ref,Our improvement priority,Strategic Lead (SRO),Improvement Lead,Due Date,"
             "Status,Governance reporting,Impact Measures"]
    for i in range(count):
        lines.append(f"{i % 9 + 1}.{i},Priority {i % 9 + 1},SRO {i % 7},Lead {i % 11}/Lead "
                     f"{i % 5},Mar-25,Green,Board {i % 3}; Board {i % 4},Measure")
    path.write_text("\n".join(lines))
    lapis("import_plan", str(path), "--partnership", f"P{count}", "--plan", "Plan")
    plan = Plan.objects.get(partnership__name=f"P{count}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/plan/?plan={plan.pk}")
    assert response.status_code == 200
    assert f"Showing {count} of {count} actions." in response.content.decode()
    return len(queries)


def test_the_register_runs_the_same_queries_for_50_and_500_actions(client, tmp_path,
                                                                   django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x-very-long-pass")
    client.force_login(admin)
    assert _register_queries(client, 50, tmp_path) == _register_queries(client, 500, tmp_path)
