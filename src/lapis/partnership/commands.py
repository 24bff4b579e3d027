"""Command plumbing that needs the partnership: which partnership, and who acts (`--as`)."""

from django.core.management.base import CommandError

from lapis.core.commands import user_named
from lapis.partnership.models import Partnership


def partnership_named(name: str | None, *, create: bool = False) -> Partnership:
    if name:
        found = Partnership.objects.filter(name=name).first()
        if found or not create:
            if not found:
                raise CommandError(f"no partnership called {name!r}")
            return found
        return Partnership.objects.create(name=name)
    count = Partnership.objects.count()
    if count == 1:
        return Partnership.objects.get()
    if count == 0 and create:
        return Partnership.objects.create(name="Local area partnership")
    raise CommandError("there are several partnerships (or none): name one with --partnership")


def acting_as(username: str | None, partnership_id: int, *, default: str, what: str) -> str:
    """Who a writing command records as having made the change. Without `--as`, the server
    operator (recorded as `default`, the command's name); with it, a user who must be an
    administrator or programme manager of the partnership, or the command is refused."""
    if not username:
        return default
    from lapis.partnership import permissions

    user = user_named(username)
    if not permissions.can_edit(user, partnership_id):
        raise CommandError(f"refused: {user.username} cannot {what}")
    return user.username
