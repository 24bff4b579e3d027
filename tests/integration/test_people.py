"""People and roles page: administrators add logins and change roles; nobody else can."""

import pytest
from django.contrib.auth import get_user_model

from lapis.core.models import ChangeRecord
from lapis.partnership.models import Board, Membership, Partnership, Role

pytestmark = pytest.mark.django_db


def member(username, partnership, role):
    user = get_user_model().objects.create_user(username, password="correct horse battery")
    Membership.objects.create(user=user, partnership=partnership, role=role)
    return user


def test_an_administrator_adds_a_board_member_and_sees_the_password_once(client, hull):
    client.force_login(member("ada", hull, Role.ADMIN))
    board = Board.objects.get(partnership=hull, name="SEND Strategic Board")
    response = client.post("/people/logins/new/", {
        "username": "bea", "role": "board_member", "person": "Bea Board",
        "email": "bea@example.org", "boards": [board.pk]})
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    bea = get_user_model().objects.get(username="bea")
    assert bea.check_password(password)
    membership = Membership.objects.get(user=bea)
    assert (membership.role, membership.person.name, membership.person.email) == (
        "board_member", "Bea Board", "bea@example.org")
    assert board.members.filter(pk=membership.person.pk).exists()
    people = client.get("/people/").content.decode()
    assert "Bea Board" in people and password not in people


def test_a_lead_without_a_name_is_refused_with_the_field_named(client, hull):
    client.force_login(member("ada", hull, Role.ADMIN))
    response = client.post("/people/logins/new/", {"username": "lee", "role": "lead"})
    assert response.status_code == 400
    assert "A lead needs the name they have in the plan" in response.content.decode()
    assert not get_user_model().objects.filter(username="lee").exists()


def test_an_administrator_changes_a_role_and_it_is_recorded(client, hull):
    client.force_login(member("ada", hull, Role.ADMIN))
    vic = member("vic", hull, Role.VIEWER)
    membership = Membership.objects.get(user=vic)
    response = client.post(f"/people/logins/{membership.pk}/", {"role": "forum",
                                                                 "active": "no"})
    assert response.status_code == 302
    membership.refresh_from_db()
    vic.refresh_from_db()
    assert membership.role == "forum" and not membership.active and vic.is_active
    assert set(ChangeRecord.objects.filter(model="partnership.Membership",
                                           object_id=membership.pk)
               .values_list("field", "new")) == {("role", "Parent carer forum member"),
                                                 ("active", "no")}


def test_an_administrator_cannot_demote_themself(client, hull):
    ada = member("ada", hull, Role.ADMIN)
    client.force_login(ada)
    membership = Membership.objects.get(user=ada)
    response = client.post(f"/people/logins/{membership.pk}/", {"role": "viewer",
                                                                 "active": "yes"})
    assert response.status_code == 400
    assert Membership.objects.get(user=ada).role == "admin"


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_administrators_manage_logins(client, hull, role):
    client.force_login(member("someone", hull, role))
    vic = member("vic", hull, Role.VIEWER)
    assert client.get("/people/").status_code == 200
    assert client.get("/people/logins/new/").status_code == 403
    assert client.post("/people/logins/new/", {"username": "x", "role": "admin"}
                       ).status_code == 403
    membership = Membership.objects.get(user=vic)
    assert client.post(f"/people/logins/{membership.pk}/", {"role": "admin", "active": "yes"}
                       ).status_code == 403
    assert Membership.objects.get(user=vic).role == "viewer"
    assert not get_user_model().objects.filter(username="x").exists()


def test_another_partnership_cannot_touch_hull_logins(client, hull):
    elsewhere = Partnership.objects.create(name="Elsewhere")
    client.force_login(member("eve", elsewhere, Role.ADMIN))
    vic = member("vic", hull, Role.VIEWER)
    membership = Membership.objects.get(user=vic)
    assert client.post(f"/people/logins/{membership.pk}/", {"role": "admin", "active": "yes"}
                       ).status_code == 404
    assert ">vic<" not in client.get("/people/").content.decode()
