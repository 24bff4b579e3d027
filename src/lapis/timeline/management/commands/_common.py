"""Who a milestone command acts as."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from lapis.partnership.permissions import can_edit


def acting_as(username: str | None, partnership, default: str) -> str:
    """The name to record in the history. A named user must exist and be allowed to edit the
    partnership's plans; without --as the command runs as the operator of the server."""
    if not username:
        return default
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"there is no user called {username!r}")
    if not can_edit(user, partnership.pk):
        raise CommandError(f"{username} cannot edit milestones in {partnership.name}; "
                           "nothing was imported")
    return username
