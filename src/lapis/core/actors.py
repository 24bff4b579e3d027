"""Who makes a change. Every action takes `by`: the signed-in user from a page or the API, a
user named by a command's `--as`, or a `System` actor for the server operator's own work (a
command run without `--as`, the demo loader, one app's feed into another).

A `System` actor passes every permission check (it answers like a superuser, because the
person at the server's terminal already holds the database) and is recorded in history under
its name, such as "lapis import_plan".
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class System:
    """The server operator, acting through a named command or process."""

    username: str
    pk = None
    id = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = False

    def __str__(self) -> str:
        return self.username


def name_of(by) -> str:
    """The name history records for an actor (a user or a `System`)."""
    return getattr(by, "username", None) or str(by)
