"""Tenancy: every query a page, the API or a command makes for a user goes through
`.visible_to(user)`, so no partnership ever sees another's rows.

Written without the partnership models: a scoped model names the path to its partnership
(`partnership_path`, e.g. "plan__partnership"), and the user's partnerships are those with a
membership for them (`<partnership>.memberships.user`).
"""

from django.db import models
from django.db.models import Q


def _partnership_model(model, path: str):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def member_partnerships(model, path: str, user):
    """The pks of the partnerships `user` belongs to, as a subquery (one row each)."""
    partnership = _partnership_model(model, path)
    return partnership._default_manager.filter(memberships__user=user,
                                                 memberships__active=True).values("pk")


def shared_or_own(path: str, partnership_ids) -> Q:
    """The one "shared or own" rule: rows with no partnership are shared by every partnership
    (shipped audit frameworks, public indicators); the rest belong to their partnership."""
    return Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__in": partnership_ids})


class PartnershipScopedQuerySet(models.QuerySet):
    """Every page and API call reads through `.visible_to(user)`: no partnership sees another's.

    A superuser sees everything; an anonymous user nothing. Set `shared = True` on a queryset
    whose rows may have no partnership, to show those to every signed-in user."""

    partnership_path = "partnership"
    shared = False

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        ids = member_partnerships(self.model, self.partnership_path, user)
        if self.shared:
            return self.filter(shared_or_own(self.partnership_path, ids))
        return self.filter(**{f"{self.partnership_path}__in": ids})


class SharedOrOwnQuerySet(PartnershipScopedQuerySet):
    """Rows with no partnership are shared by all; the rest are scoped as usual."""

    shared = True
