"""Command plumbing that needs the partnership: which partnership, and who acts (`--as`)."""

from django.core.management.base import CommandError

from lapis.core.actors import System
from lapis.core.commands import ImportCommand, user_named
from lapis.partnership import permissions
from lapis.partnership.models import Partnership


def partnership_named(name: str | None, *, create: bool = False, by=None) -> Partnership:
    """The partnership a command names (or the only one). With `create`, a missing one is made
    by `by` (the server operator, `System("lapis")`, unless given)."""
    from lapis.partnership.actions import create_partnership

    if name:
        found = Partnership.objects.filter(name=name).first()
        if found or not create:
            if not found:
                raise CommandError(f"no partnership called {name!r}")
            return found
        return create_partnership(name=name, by=by or System("lapis"))
    count = Partnership.objects.count()
    if count == 1:
        return Partnership.objects.get()
    if count == 0 and create:
        return create_partnership(name="Local area partnership", by=by or System("lapis"))
    raise CommandError("there are several partnerships (or none): name one with --partnership")


def actor(username: str | None, partnership_id: int, *, default: str, what: str):
    """Who a writing command acts as: without `--as`, the server operator (`System(default)`,
    recorded under the command's name); with it, a user who must be an administrator or
    programme manager of the partnership, or the command is refused."""
    if not username:
        return System(default)
    user = user_named(username)
    if not permissions.can_edit(user, partnership_id):
        raise CommandError(f"refused: {user.username} cannot {what}")
    return user


class PartnershipImportCommand(ImportCommand):
    """An import into one partnership, by its editors (or the operator)."""

    def scope(self, options):
        return partnership_named(options["partnership"])

    def acting(self, username, partnership):
        return actor(username, partnership.pk, default=self.name,
                     what=self.refusal(partnership))

    def refusal(self, partnership) -> str:
        """What a refused `--as` user cannot do, after "refused: USER cannot ..."."""
        return f"import into {partnership.name}"
