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


class ImportCommand(BaseCommand):
    """The shape every `lapis import_*` command shares: `FILE [--partnership NAME]
    [--dry-run] [--format text|json] [--as USER]`; find what the file goes into and who acts,
    read the file, apply it through the app's action (all or nothing), and either report what
    was done (or would be, with `--dry-run`) or refuse naming every problem by its cell.

    A subclass says what differs: `scope` (what the file goes into, usually the
    partnership), `acting` (who acts, checked), `read`, `apply`, `report` (the text
    summary), and optionally `add_options` (more arguments), `warnings` and `as_json`."""

    as_help = "an administrator or programme manager of the partnership"
    scope_help = "partnership name (default: the only one)"

    @property
    def name(self) -> str:
        """The command's name, which history records when no `--as` is given."""
        return self.__module__.rsplit(".", 1)[-1]

    def add_arguments(self, parser):
        parser.add_argument("file")
        self.add_options(parser)
        parser.add_argument("--partnership", help=self.scope_help)
        parser.add_argument("--dry-run", action="store_true", help="check and report; write "
                            "nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--as", dest="by", help=f"the user to act as ({self.as_help}) and "
                            f"record in the history; without it, the server operator, recorded "
                            f"as {self.name}")

    def add_options(self, parser):
        """More arguments, between the file and the common options."""

    def handle(self, *args, **options):
        from pathlib import Path

        from lapis.core.errors import ImportFailed

        path, fmt = Path(options["file"]), options["format"]
        scope = self.scope(options)
        by = self.acting(options["by"], scope)
        parsed = self.read(path, options)
        try:
            result = self.apply(scope=scope, parsed=parsed, by=by, path=path,
                                dry_run=options["dry_run"], options=options)
        except ImportFailed as failure:
            raise import_refused(self, path.name, failure.problems, self.warnings(parsed),
                                 fmt) from None
        warnings = self.warnings(parsed)
        if fmt == "json":
            problems = {"problems": [p.as_json() for p in warnings]} if self.lists_problems else {}
            self.stdout.write(json.dumps({"ok": True, **self.as_json(result, parsed),
                                          **problems}, indent=2))
            return
        for problem in warnings:
            self.stderr.write(str(problem))
        verb = "Would import" if options["dry_run"] else "Imported"
        self.report(verb=verb, path=path, scope=scope, parsed=parsed, result=result,
                    options=options)

    # Whether the JSON answer lists the file's warnings as "problems" (most importers read
    # some; a few have none to give).
    lists_problems = True

    def scope(self, options):
        raise NotImplementedError

    def acting(self, username: str | None, scope):
        raise NotImplementedError

    def read(self, path, options):
        raise NotImplementedError

    def apply(self, *, scope, parsed, by, path, dry_run: bool, options):
        raise NotImplementedError

    def warnings(self, parsed) -> list:
        return list(getattr(parsed, "warnings", []))

    def as_json(self, result, parsed) -> dict:
        return result.as_json()

    def report(self, *, verb: str, path, scope, parsed, result, options) -> None:
        raise NotImplementedError

    def report_updated(self, updated: dict) -> None:
        """One line per record the import changed, naming the fields."""
        for key, fields in updated.items():
            self.stdout.write(f"  {key}: changed {', '.join(fields)}")
