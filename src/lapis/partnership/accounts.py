"""Logins and roles: one function behind `lapis createuser` and the People page."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from lapis.core import history as audit
from lapis.partnership.models import Board, Membership, Partnership, Person, Role


class AccountError(ValueError):
    """A login cannot be made as asked; `field` names what to fix."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def new_password() -> str:
    return secrets.token_urlsafe(12)


def create_login(partnership: Partnership, *, username: str, role: Role,
                 person: str = "", boards: list[Board] = (), email: str = "",
                 password: str, by: str, source: str) -> Membership:
    """Create a user with a role in the partnership, linked to their person in the plan."""
    User = get_user_model()
    username, person = username.strip(), person.strip()
    if not username:
        raise AccountError("username", "Enter a username")
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError("username", f"There is already a user called {username!r}")
    if role in (Role.LEAD, Role.BOARD_MEMBER) and not person:
        raise AccountError("person", f"A {role.label.lower()} needs the name they have in the "
                           "plan")
    if boards and not person:
        raise AccountError("person", "Boards have people as members: give the person's name")
    try:
        validate_password(password, User(username=username))
    except ValidationError as error:
        raise AccountError("password", " ".join(error.messages)) from error
    with transaction.atomic():
        user = User.objects.create_user(username, email=email, password=password)
        linked = None
        if person:
            linked = Person.objects.filter(partnership=partnership, name__iexact=person).first()
            if linked is None:
                linked = Person.objects.create(partnership=partnership, name=person, email=email)
            elif email and not linked.email:
                linked.email = email
                linked.save(update_fields=["email"])
        membership = Membership.objects.create(user=user, partnership=partnership, role=role,
                                               person=linked)
        for board in boards:
            board.members.add(linked)
        audit.record(by=by, source=source, partnership_id=partnership.pk, obj=membership,
                     field="created", new=f"{username}: {role.label}"
                     + (f" as {linked.name}" if linked else "")
                     + "".join(f"; member of {b.name}" for b in boards))
    return membership


def change_role(membership: Membership, *, role: Role, active: bool, by: str,
                source: str) -> None:
    """Change a login's role, or switch it off (its history stays)."""
    with transaction.atomic():
        if membership.role != role:
            audit.record(by=by, source=source, partnership_id=membership.partnership_id,
                         obj=membership, field="role", old=membership.get_role_display(),
                         new=Role(role).label)
            membership.role = role
            membership.save(update_fields=["role"])
        user = membership.user
        if user.is_active != active:
            audit.record(by=by, source=source, partnership_id=membership.partnership_id,
                         obj=membership, field="active", old="yes" if user.is_active else "no",
                         new="yes" if active else "no")
            user.is_active = active
            user.save(update_fields=["is_active"])
