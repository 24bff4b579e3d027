"""Voice figures become the partnership's own scorecard observations."""

import datetime as dt

import pytest

from lapis.scorecard.models import Indicator, Observation
from lapis.voice import feed
from lapis.voice.models import Survey
from tests.conftest import FIXTURES
from tests.integration.helpers import lapis

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 1, 1)


@pytest.fixture
def loaded(hull):
    hull.la_code = "810"
    hull.save()
    lapis("import_complaints", str(FIXTURES / "voice" / "complaints.csv"))
    lapis("import_survey", str(FIXTURES / "voice" / "parent-survey.csv"),
          title="Parent carer survey", period="2024/25")
    return hull


def _values(key):
    return {o.period: (o.value, o.numerator, o.denominator)
            for o in Observation.objects.filter(indicator__key=key)}


def test_complaint_themes_and_timeliness_by_month_quarter_and_financial_year(loaded):
    written = feed.publish(loaded, as_of=AS_OF)
    assert written > 0
    communication = _values("voice_complaints_communication")
    assert communication["2024-04"][0] == 1  # C-2024-001
    assert communication["2024-05"][0] == 0  # a month with complaints but none on this
    assert communication["2024-06"][0] == 1
    assert communication["2024-10"][0] == 1
    assert communication["2024-25"][0] == 3
    # By calendar quarter, as the voice pages show them: 2 in Q2 (April and June), 1 in Q4.
    assert communication["2024Q2"][0] == 2 and communication["2024Q4"][0] == 1
    within = _values("voice_complaints_within_standard")
    assert within["2024-25"] == (60.0, 3, 5)  # 001, 002, 004 within; 003 late; 005 overdue
    assert within["2024-06"] == (0.0, 0, 1)
    assert Indicator.objects.get(key="voice_complaints_communication").polarity == "lower"
    assert not Observation.objects.filter(indicator__key="voice_complaints_health").exists()
    assert all(o.partnership_id == loaded.pk for o in Observation.objects.all())


def test_a_named_survey_question_becomes_an_indicator(loaded):
    question = Survey.objects.get().questions.get(number=1)
    question.indicator_name = "% of parents confident in SEND support"
    question.save()
    feed.publish(loaded, as_of=AS_OF)
    key = feed.survey_key("% of parents confident in SEND support")
    assert key == "voice_survey_of-parents-confident-in-send-support"
    assert _values(key) == {"2024/25": (55.6, 5, 9)}
    indicator = Indicator.objects.get(key=key)
    assert indicator.name == "% of parents confident in SEND support"


def test_publishing_again_replaces_rather_than_adds(loaded):
    first = feed.publish(loaded, as_of=AS_OF)
    assert feed.publish(loaded, as_of=AS_OF) == first
    assert Observation.objects.count() == first


def test_no_la_code_writes_nothing(hull):
    assert feed.publish(hull, as_of=AS_OF) == 0


def test_the_command(loaded):
    out, _ = lapis("publish_voice", "--as-of", "2026-01-01")
    assert "voice observations for Hull" in out
