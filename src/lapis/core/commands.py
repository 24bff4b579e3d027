"""What every `lapis` command shares: reading dates and users from options, and turning a
refusal or a refused import into a clear message and a non-zero exit."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError


def iso_date(text: str) -> dt.date:
    """A date option: YYYY-MM-DD, within the input rules' years (`lapis.core.inputs`)."""
    from lapis.core.inputs import InputError, plausible_date

    try:
        day = dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date: use YYYY-MM-DD") from error
    try:
        return plausible_date(day)
    except InputError as error:
        raise CommandError(str(error)) from error


def user_named(username: str):
    """The active user called `username` (`--as`); a deactivated account is refused."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        # Both wordings are relied on: governance's commands said the first, plans' the second.
        raise CommandError(f"no user called {username!r} (no active user has that name)")
    if not user.is_active:
        raise CommandError(f"no active user called {username!r}: the account is deactivated")
    return user


class refusing:
    """Turn a refusal or invalid input into a CommandError: non-zero exit, nothing changed."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        from django.core.exceptions import PermissionDenied

        from lapis.core.errors import Invalid

        if isinstance(error, PermissionDenied):
            raise CommandError(f"refused: {error}") from error
        if isinstance(error, Invalid):
            raise CommandError("; ".join(f"{k}: {v}" for k, v in error.errors.items())) from error
        return False


def import_refused(command: BaseCommand, file_name: str, errors: list, warnings: list,
                   fmt: str) -> CommandError:
    """Report a refused import, every problem with its cell (as JSON with --format json), and
    return the error to raise: nothing was imported."""
    problems = errors + warnings
    if fmt == "json":
        command.stdout.write(json.dumps({"ok": False, "problems": [
            p.as_json() for p in problems]}, indent=2))
    else:
        for problem in problems:
            command.stderr.write(str(problem))
    return CommandError(f"{file_name}: {len(errors)} error(s); nothing was imported")
