"""Every voice write, page and API, tried by each role: allowed, or 403 (404 for another
partnership, login or 401 for nobody), and nothing changed when refused."""

import pytest
from django.contrib.auth import get_user_model

from lapis.core.actors import System
from lapis.core.models import ChangeRecord
from lapis.demo import voice as demo
from lapis.partnership.models import Membership, Role
from lapis.voice.models import (
    Complaint,
    Compliment,
    Engagement,
    Question,
    Survey,
    VoiceSettings,
    YouSaid,
)

pytestmark = pytest.mark.django_db

ROLES = [Role.ADMIN, Role.PROGRAMME_MANAGER, Role.LEAD, Role.BOARD_MEMBER, Role.FORUM,
         Role.AUDITOR, Role.VIEWER, "outsider", "anonymous"]
EDITORS = {Role.ADMIN, Role.PROGRAMME_MANAGER}
VOICES = {Role.ADMIN, Role.PROGRAMME_MANAGER, Role.FORUM}


@pytest.fixture
def world(hull, charlie):
    """One record of each kind (the demo's own shapes, a few of them, to keep this quick)."""
    import datetime as dt

    from lapis.voice import actions
    from lapis.voice.importing import ParsedComplaints, ParsedSurvey

    survey = demo._survey(__import__("random").Random(1))
    survey.responses = survey.responses[:10]
    actions.import_survey(partnership=hull, parsed=survey, title="S", period="2024/25",
                          by=System("demo"))
    complaints = demo._complaints(__import__("random").Random(1))
    actions.import_complaints(partnership=hull, parsed=ParsedComplaints(
        file="x", rows=complaints.rows[:3]), by=System("demo"))
    actions.create(obj=Compliment(partnership=hull, received=dt.date(2025, 1, 1),
                                  text="Thanks"), by=System("demo"), source="demo")
    actions.create(obj=Engagement(partnership=hull, group="Forum", held=dt.date(2025, 1, 1)),
                   by=System("demo"), source="demo")
    actions.create(obj=YouSaid(partnership=hull, said="Said", said_on=dt.date(2025, 1, 1)),
                   by=System("demo"), source="demo")
    assert isinstance(survey, ParsedSurvey)
    return hull


def _client_for(client, role, hull, charlie):
    if role == "anonymous":
        return client
    if role == "outsider":
        client.force_login(charlie)
        return client
    user = get_user_model().objects.create_user(f"user-{role}", password="x")
    Membership.objects.create(user=user, partnership=hull, role=role)
    client.force_login(user)
    return client


def _state():
    """Everything a write could change."""
    return (
        list(Complaint.objects.order_by("pk").values_list("pk", "reference", "outcome",
                                                          "version")),
        list(Compliment.objects.order_by("pk").values_list("pk", "text", "version")),
        list(Engagement.objects.order_by("pk").values_list("pk", "topic", "version")),
        list(YouSaid.objects.order_by("pk").values_list("pk", "did", "publish", "version")),
        list(Question.objects.order_by("pk").values_list("pk", "indicator_name")),
        list(VoiceSettings.objects.values_list("stage_1_working_days", flat=True)),
        ChangeRecord.objects.count(),
    )


def _writes(hull):
    complaint = Complaint.objects.first()
    compliment = Compliment.objects.first()
    engagement = Engagement.objects.first()
    item = YouSaid.objects.first()
    survey = Survey.objects.get()
    question = survey.questions.get(number=2)
    p = f"?partnership={hull.pk}"
    complaint_data = {"reference": "NEW-1", "received": "2025-03-03", "channel": "email",
                      "themes": ["communication"], "stage": "1", "outcome": "open"}
    you_said = {"said": "New said", "source": "forum", "said_on": "2025-03-01",
                "status": "listening"}
    return {
        # name: (kind, method, url, data, who may)
        "page: add complaint": ("page", "post", f"/voice/complaints/new/{p}",
                                complaint_data, EDITORS),
        "page: edit complaint": ("page", "post", f"/voice/complaints/{complaint.pk}/edit/",
                                 {**complaint_data, "reference": complaint.reference,
                                  "version": complaint.version}, EDITORS),
        "page: add compliment": ("page", "post", f"/voice/compliments/new/{p}",
                                 {"received": "2025-03-03", "text": "Thanks"}, EDITORS),
        "page: edit compliment": ("page", "post",
                                  f"/voice/compliments/{compliment.pk}/edit/",
                                  {"received": "2025-03-03", "text": "Changed",
                                   "version": compliment.version}, EDITORS),
        "page: add engagement": ("page", "post", f"/voice/engagement/new/{p}",
                                 {"group": "Forum", "held": "2025-03-03", "kind": "meeting",
                                  "hours": "2", "participants": "10"}, EDITORS),
        "page: edit engagement": ("page", "post",
                                  f"/voice/engagement/{engagement.pk}/edit/",
                                  {"group": "Forum", "held": "2025-03-03", "kind": "meeting",
                                   "hours": "2", "participants": "10", "topic": "Changed",
                                   "version": engagement.version}, EDITORS),
        "page: add you said": ("page", "post", f"/voice/you-said/new/{p}", you_said, VOICES),
        "page: edit you said": ("page", "post", f"/voice/you-said/{item.pk}/edit/",
                                {**you_said, "did": "Changed", "version": item.version},
                                EDITORS),
        "page: survey indicator": ("page", "post", f"/voice/surveys/{survey.pk}/",
                                   {"question": question.pk,
                                    f"q{question.pk}-indicator_name": "Changed"}, EDITORS),
        "page: standards": ("page", "post", f"/voice/standards/{p}",
                            {"stage_1_working_days": "15", "stage_2_working_days": "20"},
                            EDITORS),
        "api: add complaint": ("api", "post", "/api/voice/complaints",
                               {**complaint_data, "reference": "NEW-2",
                                "partnership": hull.pk}, EDITORS),
        "api: edit complaint": ("api", "put", f"/api/voice/complaints/{complaint.pk}",
                                {"outcome": "upheld", "responded": "2025-12-01",
                                 "version": complaint.version}, EDITORS),
        "api: add compliment": ("api", "post", "/api/voice/compliments",
                                {"partnership": hull.pk, "received": "2025-03-03",
                                 "text": "Thanks"}, EDITORS),
        "api: edit compliment": ("api", "put", f"/api/voice/compliments/{compliment.pk}",
                                 {"text": "Changed", "version": compliment.version}, EDITORS),
        "api: add engagement": ("api", "post", "/api/voice/engagement",
                                {"partnership": hull.pk, "group": "Forum",
                                 "held": "2025-03-03", "kind": "meeting", "hours": 2,
                                 "participants": 10}, EDITORS),
        "api: edit engagement": ("api", "put", f"/api/voice/engagement/{engagement.pk}",
                                 {"topic": "Changed", "version": engagement.version}, EDITORS),
        "api: add you said": ("api", "post", "/api/voice/you-said",
                              {**you_said, "partnership": hull.pk}, VOICES),
        "api: edit you said": ("api", "put", f"/api/voice/you-said/{item.pk}",
                               {"did": "Changed", "version": item.version}, EDITORS),
        "api: survey indicator": ("api", "put", f"/api/voice/questions/{question.pk}",
                                  {"indicator_name": "Changed by the API"}, EDITORS),
        "api: standards": ("api", "put", "/api/voice/standards",
                           {"partnership": hull.pk, "stage_1_working_days": 16,
                            "stage_2_working_days": 20}, EDITORS),
    }


WRITES = ["page: add complaint", "page: edit complaint", "page: add compliment",
          "page: edit compliment", "page: add engagement", "page: edit engagement",
          "page: add you said", "page: edit you said", "page: survey indicator",
          "page: standards", "api: add complaint", "api: edit complaint",
          "api: add compliment", "api: edit compliment", "api: add engagement",
          "api: edit engagement", "api: add you said", "api: edit you said",
          "api: survey indicator", "api: standards"]


@pytest.mark.parametrize("role", ROLES)
def test_every_write_by_every_role(world, charlie, client, role):
    """Each write in turn (read afresh, so an edit carries the current version); one role per
    test so the partnership is loaded once per role."""
    client = _client_for(client, role, world, charlie)
    wrong = []
    for write in WRITES:
        kind, method, url, data, allowed = _writes(world)[write]
        before = _state()
        if kind == "api":
            response = getattr(client, method)(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        status = response.status_code
        if role in allowed:
            if status not in (200, 201, 302) or _state() == before:
                wrong.append((write, "should be allowed", status, response.content[:300]))
            continue
        expected = {"anonymous": 401 if kind == "api" else 302, "outsider": 404}.get(role, 403)
        if status != expected:
            wrong.append((write, f"should be {expected}", status, response.content[:300]))
        if kind == "page" and role == "anonymous" and "/accounts/login/" not in response.get(
                "Location", ""):
            wrong.append((write, "should go to the login page", status, b""))
        if _state() != before:
            wrong.append((write, "changed something when refused", status, b""))
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_reads_for_every_role(world, charlie, client, role):
    client = _client_for(client, role, world, charlie)
    survey = Survey.objects.get()
    complaint = Complaint.objects.first()
    pages = ["/voice/", "/voice/surveys/", f"/voice/surveys/{survey.pk}/",
             "/voice/complaints/", f"/voice/complaints/{complaint.pk}/", "/voice/compliments/",
             "/voice/engagement/", "/voice/you-said/", "/voice/standards/",
             "/voice/export/complaints.csv"]
    for url in pages:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302, url
        elif role == "outsider":
            assert response.status_code == 404 or "DEMO-" not in response.content.decode(), url
        else:
            assert response.status_code == 200, url
    response = client.get(f"/api/voice/complaints/{complaint.pk}")
    expected = {"anonymous": 401, "outsider": 404}.get(role, 200)
    assert response.status_code == expected


def test_the_actions_check_permission_themselves(world, charlie):
    """Every voice write refuses a reader (and another partnership's manager) inside the
    action, not only in the pages and the API; a forum member adds only what was said."""
    import datetime as dt

    from django.core.exceptions import PermissionDenied

    from lapis.voice import actions
    from lapis.voice.importing import ParsedComplaints, ParsedSurvey

    hull = world
    complaint = Complaint.objects.first()
    question = Survey.objects.get().questions.get(number=2)
    writes = {
        "create": lambda by: actions.create(
            obj=Compliment(partnership=hull, received=dt.date(2025, 1, 2), text="Hi"), by=by),
        "create you said": lambda by: actions.create(
            obj=YouSaid(partnership=hull, said="Said", said_on=dt.date(2025, 1, 2)), by=by),
        "update": lambda by: actions.update(obj=complaint, fields=["outcome"],
                                            expected_version=complaint.version, by=by),
        "set_standards": lambda by: actions.set_standards(partnership=hull, stage_1=5,
                                                          stage_2=10, by=by),
        "set_indicator": lambda by: actions.set_indicator(question=question, name="X", by=by),
        "import_survey": lambda by: actions.import_survey(
            partnership=hull, parsed=ParsedSurvey(file="x.csv"), title="T", by=by),
        "import_complaints": lambda by: actions.import_complaints(
            partnership=hull, parsed=ParsedComplaints(file="x.csv"), by=by),
    }
    readers = [charlie]
    for role in (Role.LEAD, Role.BOARD_MEMBER, Role.AUDITOR, Role.VIEWER):
        user = get_user_model().objects.create_user(f"reader-{role}", password="x")
        Membership.objects.create(user=user, partnership=hull, role=role)
        readers.append(user)
    forum = get_user_model().objects.create_user("forum", password="x")
    Membership.objects.create(user=forum, partnership=hull, role=Role.FORUM)
    before = _state()
    for name, write in writes.items():
        for user in readers + ([] if name == "create you said" else [forum]):
            with pytest.raises(PermissionDenied):
                write(user)
            assert _state() == before, (name, user)
    with pytest.raises(PermissionDenied):
        actions.create(obj=YouSaid(partnership=hull, said="Said", said_on=dt.date(2025, 1, 2),
                                   did="Done", status="done"), by=forum)
    assert _state() == before
    actions.create(obj=YouSaid(partnership=hull, said="Said", said_on=dt.date(2025, 1, 2)),
                   by=forum)
    assert ChangeRecord.objects.filter(by="forum", field="created").exists()
