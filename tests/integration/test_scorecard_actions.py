"""The scorecard's actions on their own: who may write, and what the history keeps."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from lapis.core.actors import System
from lapis.core.models import ChangeRecord
from lapis.partnership.models import Membership, Partnership, Role
from lapis.scorecard import actions, importing
from lapis.scorecard.models import Area, Indicator, Observation, ScorecardSet

pytestmark = pytest.mark.django_db

FEED = System("lapis test feed")
SPECS = [actions.IndicatorSpec(key="own_a", name="A (ours)", source="test"),
         actions.IndicatorSpec(key="own_b", name="B (ours)", source="test")]


def figure(key, period, value):
    return actions.Figure(indicator=key, period=period,
                          period_start=dt.date(int(period), 1, 1), value=value,
                          numerator=value, denominator=100)


@pytest.fixture
def hull():
    return Partnership.objects.create(name="Hull", la_code="810")


def member(name, partnership, role):
    user = get_user_model().objects.create_user(name)
    Membership.objects.create(user=user, partnership=partnership, role=role)
    return user


def publish(hull, figures, by=FEED):
    return actions.publish_own_figures(partnership=hull, by=by, source="feed:test",
                                       indicators=SPECS, figures=figures)


def test_a_feed_replaces_its_figures_and_keeps_one_history_record_per_changed_indicator(hull):
    assert publish(hull, [figure("own_a", "2023", 40), figure("own_a", "2024", 50),
                          figure("own_b", "2024", 7)]) == 3
    assert sorted(Observation.objects.values_list("indicator__key", "period", "value",
                                                  "source", "partnership")) == [
        ("own_a", "2023", 40, "test", hull.pk), ("own_a", "2024", 50, "test", hull.pk),
        ("own_b", "2024", 7, "test", hull.pk)]
    first = list(ChangeRecord.objects.values_list("by", "source", "object_ref", "old", "new"))
    assert sorted(first) == [
        ("lapis test feed", "feed:test", "A (ours)", "0 observations for 810",
         "2 observations for 810"),
        ("lapis test feed", "feed:test", "B (ours)", "0 observations for 810",
         "1 observations for 810")]
    publish(hull, [figure("own_a", "2023", 40), figure("own_a", "2024", 50),
                   figure("own_b", "2024", 7)])
    assert ChangeRecord.objects.count() == 2  # the same figures again: nothing to record
    publish(hull, [figure("own_a", "2023", 40), figure("own_a", "2024", 50)])
    assert Observation.objects.count() == 2
    assert list(ChangeRecord.objects.order_by("-id").values_list("object_ref", "old", "new")[
        :1]) == [("B (ours)", "1 observations for 810", "0 observations for 810")]


def test_a_feed_leaves_published_figures_and_other_partnerships_alone(hull):
    other = Partnership.objects.create(name="Elsewhere", la_code="879")
    publish(other, [figure("own_a", "2024", 10)])
    publish(hull, [figure("own_a", "2024", 50)])
    Observation.objects.create(indicator=Indicator.objects.get(key="own_a"),
                               area=Area.objects.get(code="810"), period="2023",
                               period_start=dt.date(2023, 1, 1), value=30)
    publish(hull, [])
    assert sorted(Observation.objects.values_list("area__code", "partnership__name",
                                                  "value")) == [
        ("810", None, 30), ("879", "Elsewhere", 10)]


def test_a_viewer_cannot_publish_figures_and_nothing_is_written(hull):
    viewer = member("vic", hull, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        publish(hull, [figure("own_a", "2024", 50)], by=viewer)
    assert not Observation.objects.exists() and not Indicator.objects.exists()
    assert publish(hull, [figure("own_a", "2024", 50)],
                   by=member("alice", hull, Role.PROGRAMME_MANAGER)) == 1


def test_only_an_editor_of_the_partnership_saves_a_scorecard(hull):
    indicator = Indicator.objects.create(key="timely", name="Timely")
    charlie = member("charlie", Partnership.objects.create(name="Elsewhere"),
                     Role.PROGRAMME_MANAGER)
    with pytest.raises(PermissionDenied):
        actions.save_scorecard(partnership=hull, by=charlie, name="Board",
                               indicators=[indicator])
    alice = member("alice", hull, Role.PROGRAMME_MANAGER)
    chosen = actions.save_scorecard(partnership=hull, by=alice, name="Board",
                                    indicators=[indicator])
    assert ScorecardSet.objects.get().items.get().indicator == indicator
    assert list(ChangeRecord.objects.values_list("by", "object_id", "field", "new")) == [
        ("alice", chosen.pk, "created", "timely")]


def test_only_the_operator_loads_published_figures(hull, tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text("key,name,unit,polarity\ntimely,Timely,%,higher\n", encoding="utf-8")
    layout, rows = importing.read(path, max_bytes=10_000)
    alice = member("alice", hull, Role.PROGRAMME_MANAGER)
    with pytest.raises(PermissionDenied):
        actions.import_figures(layout=layout, rows=rows, file=path.name, by=alice,
                               published=True)
    result = actions.import_figures(layout=layout, rows=rows, file=path.name,
                                    by=System("import_indicators"), published=True)
    assert result.created == 1 and Indicator.objects.get().partnership is None
