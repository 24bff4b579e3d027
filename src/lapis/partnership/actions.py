"""Every write to partnerships, logins and roles goes through here: `lapis createuser`,
`lapis publish`, the People page and the plan commands that make a partnership.

Each function is keyword-only and atomic, takes the acting user (`by`: a user, or a
`lapis.core.actors.System` for the server operator), checks permission itself and records what
it changed in the history in the same transaction.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from lapis.core import history as audit
from lapis.core.actors import name_of
from lapis.partnership import permissions
from lapis.partnership.models import (
    Board,
    Download,
    ExternalIdentity,
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    Person,
    Role,
    SignIn,
)


class AccountError(ValueError):
    """A login cannot be made as asked; `field` names what to fix."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def new_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def create_partnership(*, name: str, by) -> Partnership:
    """A new, empty partnership. Only the server operator (or a superuser) makes one.

    No history record: `lapis import_plan --dry-run` makes the partnership it names and
    promises to leave no history behind; the partnership's own history starts with its plan.
    """
    permissions.require(getattr(by, "is_superuser", False),
                        "Only the server's operator can create a partnership.")
    return Partnership.objects.create(name=name)


@transaction.atomic
def publish(*, partnership: Partnership, public: bool, names: bool, by,
            source: str = "command") -> Partnership:
    """Publish (or withdraw) the friendly public view of the plan, with owners' names or not."""
    permissions.require(permissions.can_manage_people(by, partnership.pk),
                        "Only administrators publish the partnership's plan.")
    old = (partnership.public, partnership.public_names)
    partnership.public = public
    partnership.public_names = public and names
    partnership.save(update_fields=["public", "public_names"])
    audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                 obj=partnership, field="public", old=str(old),
                 new=str((partnership.public, partnership.public_names)))
    return partnership


def create_login(*, partnership: Partnership, username: str, role: Role, person: str = "",
                 boards: list[Board] = (), email: str = "", password: str, by,
                 source: str = "web") -> Membership:
    """Create a user with a role in the partnership, linked to their person in the plan.

    A board member need not be named in the plan: without a person, the login itself sits on
    its boards (`Membership.boards`) and decides their change requests.
    """
    permissions.require(permissions.can_manage_people(by, partnership.pk),
                        "Only administrators manage logins and roles.")
    User = get_user_model()
    username, person = username.strip(), person.strip()
    if not username:
        raise AccountError("username", "Enter a username")
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError("username", f"There is already a user called {username!r}")
    if role == Role.LEAD and not person:
        raise AccountError("person", f"A {role.label.lower()} needs the name they have in the "
                           "plan")
    if boards and not person and role != Role.BOARD_MEMBER:
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
            if linked is not None:
                board.members.add(linked)
            else:
                membership.boards.add(board)
        audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                     obj=membership, field="created", new=f"{username}: {role.label}"
                     + (f" as {linked.name}" if linked else "")
                     + "".join(f"; member of {b.name}" for b in boards))
    return membership


@transaction.atomic
def change_role(*, membership: Membership, role: Role, active: bool, by,
                source: str = "web") -> None:
    """Change a login's role, or switch it off (its history stays)."""
    permissions.require(permissions.can_manage_people(by, membership.partnership_id),
                        "Only administrators manage logins and roles.")
    if membership.role != role:
        audit.record(by=name_of(by), source=source, partnership_id=membership.partnership_id,
                     obj=membership, field="role", old=membership.get_role_display(),
                     new=Role(role).label)
        membership.role = role
        membership.save(update_fields=["role"])
    # Per partnership: switching a login off here leaves its other partnerships alone.
    if membership.active != active:
        audit.record(by=name_of(by), source=source, partnership_id=membership.partnership_id,
                     obj=membership, field="active", old="yes" if membership.active else "no",
                     new="yes" if active else "no")
        membership.active = active
        membership.save(update_fields=["active"])


@transaction.atomic
def set_la_code(*, partnership: Partnership, la_code: str, by,
                source: str = "command") -> Partnership:
    """Set the partnership's local authority code (DfE's three-digit code, "810" for Hull),
    which chooses the figures its own scorecard shows."""
    permissions.require(permissions.can_manage_people(by, partnership.pk),
                        "Only administrators set the partnership's local authority.")
    if partnership.la_code != la_code:
        audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                     obj=partnership, field="la_code", old=partnership.la_code, new=la_code)
        partnership.la_code = la_code
        partnership.save(update_fields=["la_code"])
    return partnership


# Sign-in, downloads and single sign-on (issue 14). The logs are written by the server itself
# (signals, middleware), never by a person, so they take no `by` and check no permission.

def record_sign_in(*, username: str, outcome: str, user=None, address: str | None = None,
                   method: str = "password") -> SignIn:
    """One line of the sign-in log: a success, a wrong password or a lockout."""
    return SignIn.objects.create(username=(username or "")[:150], user=user, outcome=outcome,
                                 address=address or None, method=method)


def record_download(*, user, partnership_id: int | None, path: str, filename: str = "",
                    address: str | None = None) -> Download:
    """One line of the download log: who took which file away, from which partnership."""
    return Download.objects.create(user=user, partnership_id=partnership_id, path=path[:500],
                                   filename=filename[:255], address=address or None)


@transaction.atomic
def set_two_factor(*, partnership: Partnership, required: bool, by,
                   source: str = "web") -> Partnership:
    """Require (or stop requiring) a code at sign-in for administrators and programme
    managers of the partnership."""
    permissions.require(permissions.can_manage_people(by, partnership.pk),
                        "Only administrators decide how people sign in.")
    if partnership.two_factor != required:
        audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                     obj=partnership, field="two_factor", old=str(partnership.two_factor),
                     new=str(required))
        partnership.two_factor = required
        partnership.save(update_fields=["two_factor"])
    return partnership


@transaction.atomic
def add_person(*, partnership: Partnership, name: str, by, email: str = "",
               organisation: Organisation | None = None, source: str = "web") -> Person:
    """The partnership's person of this name (in any case), made when missing: an owner,
    SRO or board member as the plan names them."""
    permissions.require(permissions.can_edit(by, partnership.pk),
                        "Only programme managers add people to the partnership.")
    name = name.strip()
    found = Person.objects.filter(partnership=partnership, name__iexact=name).first()
    if found is not None:
        return found
    person = Person.objects.create(partnership=partnership, name=name, email=email,
                                   organisation=organisation)
    audit.record(by=name_of(by), source=source, partnership_id=partnership.pk, obj=person,
                 field="created", new=name)
    return person


@transaction.atomic
def set_password(*, partnership: Partnership, user, password: str, by,
                 source: str = "web") -> None:
    """Give a login of the partnership a new password (the history says so, never what it is).
    The password is not validated: the operator chooses it (`lapis demo` makes a random one)."""
    permissions.require(permissions.can_manage_people(by, partnership.pk),
                        "Only administrators manage logins and roles.")
    user.set_password(password)
    user.save(update_fields=["password"])
    membership = Membership.objects.filter(user=user, partnership=partnership).first()
    audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                 obj=membership or user, field="password", new="changed")


@transaction.atomic
def update_login(*, partnership: Partnership, user, role: Role, person: str = "",
                 boards: list[Board] = (), by, source: str = "web") -> Membership:
    """Make the user's membership of the partnership as given: its role, the person they are in
    the plan (made when missing; none without a name) and the boards that person sits on
    (added to, never taken away). History: each change."""
    permissions.require(permissions.can_manage_people(by, partnership.pk),
                        "Only administrators manage logins and roles.")
    linked = add_person(partnership=partnership, name=person, by=by,
                        source=source) if person.strip() else None
    membership = Membership.objects.filter(user=user, partnership=partnership).first()
    if membership is None:
        membership = Membership.objects.create(user=user, partnership=partnership, role=role,
                                               person=linked)
        audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                     obj=membership, field="created", new=f"{user.username}: {Role(role).label}"
                     + (f" as {linked.name}" if linked else ""))
    else:
        change_role(membership=membership, role=role, active=membership.active, by=by,
                    source=source)
        if membership.person_id != (linked.pk if linked else None):
            audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                         obj=membership, field="person",
                         old=membership.person.name if membership.person else "",
                         new=linked.name if linked else "")
            membership.person = linked
            membership.save(update_fields=["person"])
    for board in boards:
        if linked is not None:
            if not board.members.filter(pk=linked.pk).exists():
                board.members.add(linked)
                audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                             obj=board, field="members", new=f"+ {linked.name}")
        elif not membership.boards.filter(pk=board.pk).exists():
            membership.boards.add(board)
            audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                         obj=membership, field="boards", new=f"+ {board.name}")
    return membership


@transaction.atomic
def add_organisation(*, partnership: Partnership, name: str, by, source: str = "web",
                     kind: str = OrganisationKind.OTHER) -> Organisation:
    """A new partner organisation (the council, the ICB, the parent carer forum ...)."""
    permissions.require(permissions.can_edit(by, partnership.pk),
                        "Only administrators and programme managers add organisations.")
    organisation = Organisation.objects.create(partnership=partnership, name=name, kind=kind)
    audit.record(by=name_of(by), source=source, partnership_id=partnership.pk,
                 obj=organisation, field="created", new=name)
    return organisation


def enrol_totp(*, user, key: str, name: str = "Authenticator app"):
    """Keep a verified authenticator for the user (they proved a code from it), replacing any
    earlier one. The user enrols themselves; nobody else can."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, key=key, name=name, confirmed=True)


@transaction.atomic
def sign_on(*, issuer: str, subject: str, email: str, verified: bool, username: str):
    """The login for someone the single sign-on provider vouches for.

    Found by the provider's stable subject (Entra's `oid`) first, then by a *verified* email
    address that exactly one login has; otherwise a new login with no memberships, which sees
    nothing until an administrator gives it a role. The identity is remembered either way
    (`ExternalIdentity`, with when: it belongs to no partnership, so no history record).
    """
    User = get_user_model()
    known = ExternalIdentity.objects.select_related("user").filter(
        issuer=issuer, subject=subject).first()
    if known is not None:
        return known.user
    user = None
    if email and verified:
        matches = list(User.objects.filter(email__iexact=email)[:2])
        if len(matches) == 1:
            user = matches[0]
    if user is None:
        base = (username or email or subject).strip()[:140] or subject[:140]
        candidate, n = base, 1
        while User.objects.filter(username__iexact=candidate).exists():
            n += 1
            candidate = f"{base}-{n}"
        user = User.objects.create_user(candidate, email=email if verified else "")
        user.set_unusable_password()
        user.save(update_fields=["password"])
    ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    return user
