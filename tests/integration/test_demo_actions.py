"""The actions the demo builds through: each checks who acts and records what it changed,
and running one again with the same values changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from lapis.core.actors import System
from lapis.core.models import ChangeRecord
from lapis.partnership import actions
from lapis.partnership.models import Board, Membership, Person, Role
from lapis.scorecard import actions as scorecard
from lapis.scorecard.models import Level

pytestmark = pytest.mark.django_db
OPERATOR = System("lapis demo")


def test_only_an_administrator_sets_the_la_code_and_it_is_in_the_history(hull, personas):
    with pytest.raises(PermissionDenied):
        actions.set_la_code(partnership=hull, la_code="810", by=personas["pm"])
    actions.set_la_code(partnership=hull, la_code="810", by=personas["admin"])
    actions.set_la_code(partnership=hull, la_code="810", by=personas["admin"])
    hull.refresh_from_db()
    assert hull.la_code == "810"
    assert ChangeRecord.objects.filter(field="la_code", by="persona-admin").count() == 1


def test_a_person_is_added_once_whatever_the_case(hull, personas):
    with pytest.raises(PermissionDenied):
        actions.add_person(partnership=hull, name="Ann Other", by=personas["viewer"])
    made = actions.add_person(partnership=hull, name="Ann Other", by=personas["pm"])
    again = actions.add_person(partnership=hull, name="ann other", by=OPERATOR)
    assert made == again
    assert Person.objects.filter(partnership=hull, name__iexact="ann other").count() == 1


def test_a_login_is_brought_to_its_role_person_and_boards_and_a_rerun_changes_nothing(
        hull, personas):
    user = personas["viewer"]
    board = Board.objects.get(partnership=hull, name="SEND Strategic Board")
    with pytest.raises(PermissionDenied):
        actions.update_login(partnership=hull, user=user, role=Role.BOARD_MEMBER,
                             person="Chair", boards=[board], by=personas["pm"])
    for _ in range(2):
        membership = actions.update_login(partnership=hull, user=user, role=Role.BOARD_MEMBER,
                                          person="Chair", boards=[board], by=OPERATOR)
    membership = Membership.objects.get(pk=membership.pk)
    assert (membership.role, membership.person.name) == (Role.BOARD_MEMBER, "Chair")
    assert board.members.filter(pk=membership.person_id).exists()
    fields = list(ChangeRecord.objects.filter(by="lapis demo").values_list("field", flat=True))
    assert sorted(fields) == ["created", "members", "person", "role"]


def test_a_new_password_is_recorded_but_never_shown(hull, personas):
    user = personas["viewer"]
    actions.set_password(partnership=hull, user=user, password="a new one, long enough",
                         by=OPERATOR)
    user.refresh_from_db()
    assert user.check_password("a new one, long enough")
    record = ChangeRecord.objects.get(field="password")
    assert "long enough" not in record.old + record.new


def test_areas_and_indicators_are_made_once_and_published_areas_by_the_operator_only(
        hull, personas):
    with pytest.raises(PermissionDenied):
        scorecard.ensure_area(code="810", name="Hull", level=Level.LA, by=personas["admin"])
    first = scorecard.ensure_area(code="810", name="Hull", level=Level.LA, by=OPERATOR)
    assert scorecard.ensure_area(code="810", name="Other", level=Level.LA, by=OPERATOR) == first
    spec = scorecard.IndicatorSpec(key="local_count", name="A local count")
    with pytest.raises(PermissionDenied):
        scorecard.ensure_indicator(spec=spec, partnership=hull, by=personas["viewer"])
    made = scorecard.ensure_indicator(spec=spec, partnership=hull, by=personas["pm"])
    assert made.partnership == hull
    assert scorecard.ensure_indicator(spec=spec, by=OPERATOR) == made
    assert ChangeRecord.objects.filter(field="created", model__startswith="scorecard.").count() == 2
