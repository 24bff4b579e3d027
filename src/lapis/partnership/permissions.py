"""Who may do what. Pages, the API and commands all ask here, so the rules live in one place.

- Nobody sees another partnership's data (every read goes through `.visible_to(user)`).
- Administrators and programme managers edit everything in their partnership.
- A lead updates the actions they lead (as SRO or improvement lead) and raises change
  requests on them; the login is linked to its `Person` through `Membership.person`.
- A board member decides the change requests sent to a board they are a member of: as the
  person named in the plan (`Board.members`), or as a login with no person
  (`Membership.boards`).
- Parent carer forum members and viewers read and comment.
- Auditors (from any agency) record EHC plan audits, moderations, findings and follow-ups;
  editors do too.
- Forum members add "you said" items from families; editors record complaints, compliments,
  surveys and engagement, and what "we did".
- Case-level EHC data (case IDs) is seen by administrators and programme managers only;
  everyone else sees counts and rates.
- A superuser counts as an administrator of every partnership.
- A membership that an administrator switched off (`Membership.active`) gives no role: the
  person keeps their other partnerships.

Each `can_*` answers True or False; `require(allowed, message)` turns False into
`PermissionDenied`, which pages answer with 403, the API with 403 and commands with an error.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from lapis.partnership.models import Membership, Role

EDITORS = frozenset({Role.ADMIN, Role.PROGRAMME_MANAGER})
COMMENTERS = frozenset(Role)  # every member may comment


def membership(user, partnership_id: int) -> Membership | None:
    """The user's membership of the partnership, cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_lapis_memberships", {})
    if partnership_id not in cache:
        cache[partnership_id] = (
            Membership.objects.select_related("person").filter(
                user=user, partnership_id=partnership_id, active=True).first()
        )
    return cache[partnership_id]


def role(user, partnership_id: int) -> Role | None:
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    found = membership(user, partnership_id)
    return Role(found.role) if found else None


def person_id(user, partnership_id: int) -> int | None:
    found = membership(user, partnership_id)
    return found.person_id if found else None


def can_view(user, partnership_id: int) -> bool:
    return role(user, partnership_id) is not None


def can_comment(user, partnership_id: int) -> bool:
    return role(user, partnership_id) in COMMENTERS


def can_edit(user, partnership_id: int) -> bool:
    """Edit anything in the partnership: plans, actions, risks, milestones, boards."""
    return role(user, partnership_id) in EDITORS


CASE_LEVEL = frozenset({Role.ADMIN, Role.PROGRAMME_MANAGER})


def can_see_cases(user, partnership_id: int) -> bool:
    """Case-level EHC data (pseudonymous case IDs, deadlines per case): administrators and
    programme managers only. Everyone else in the partnership sees counts and rates."""
    return role(user, partnership_id) in CASE_LEVEL


AUDITORS = frozenset({Role.ADMIN, Role.PROGRAMME_MANAGER, Role.AUDITOR})


def can_audit(user, partnership_id: int) -> bool:
    """Record EHC plan audits, moderations, findings and follow-ups; draw samples."""
    return role(user, partnership_id) in AUDITORS


VOICES = frozenset({Role.ADMIN, Role.PROGRAMME_MANAGER, Role.FORUM})


def can_add_you_said(user, partnership_id: int) -> bool:
    """Add a "you said" item: what families, children or young people told the partnership."""
    return role(user, partnership_id) in VOICES


def can_manage_people(user, partnership_id: int) -> bool:
    return role(user, partnership_id) == Role.ADMIN


def leads(user, action) -> bool:
    """Is the user the SRO or an improvement lead of the action?"""
    partnership_id = action.plan.partnership_id
    if role(user, partnership_id) != Role.LEAD:
        return False
    me = person_id(user, partnership_id)
    if me is None:
        return False
    return action.sro_id == me or action.lead_links.filter(person_id=me).exists()


def can_update_action(user, action) -> bool:
    """Write a progress update, change the status, raise a change request."""
    return can_edit(user, action.plan.partnership_id) or leads(user, action)


def can_decide(user, board) -> bool:
    """Approve or reject a change request sent to this board."""
    partnership_id = board.partnership_id
    found = role(user, partnership_id)
    if found == Role.ADMIN:
        return True
    if found != Role.BOARD_MEMBER:
        return False
    login = membership(user, partnership_id)
    if login.person_id is not None and board.members.filter(pk=login.person_id).exists():
        return True
    # A board member need not be named in the plan: the login itself sits on the board.
    return login.boards.filter(pk=board.pk).exists()


def require(allowed: bool, message: str = "You do not have permission to do that.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def partnership_for(request):
    """The partnership a page works in: `?partnership=ID` if the user may see it, else their
    first one; None when they belong to none. Raises Http404 for one they may not see."""
    from django.http import Http404

    from lapis.partnership.models import Partnership

    visible = Partnership.objects.filter(pk__in=visible_ids(request.user)).order_by("name")
    wanted = request.GET.get("partnership", "")
    if wanted:
        found = visible.filter(pk=wanted).first() if wanted.isdigit() else None
        if found is None:
            raise Http404("No such partnership")
        return found
    return visible.first()


def partnership_asked(request, pk: int | None):
    """The partnership an API call names (`?partnership=ID`), or the user's first one when it
    names none; Http404 for one they may not see, or when they belong to none."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from lapis.partnership.models import Partnership

    if pk is None:
        found = partnership_for(request)
        if found is None:
            raise Http404("You are not a member of a partnership")
        return found
    if not can_view(request.user, pk):
        raise Http404("No such partnership")
    return get_object_or_404(Partnership, pk=pk)


def visible_ids(user):
    from lapis.partnership.models import Partnership

    if getattr(user, "is_superuser", False):
        return Partnership.objects.values("pk")
    return Membership.objects.filter(user=user, active=True).values("partnership_id")


def sees_case_ids(user, partnership_id: int) -> bool:
    """Whether history may show this user pseudonymous case-level IDs (`lapis.core.exporting`
    hides them otherwise)."""
    return can_see_cases(user, partnership_id) or can_audit(user, partnership_id)
