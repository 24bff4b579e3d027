"""Shared bits of the plan commands: finding the partnership and plan, reading dates."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from lapis.partnership.models import Partnership
from lapis.plans.models import Plan


def partnership_named(name: str | None, *, create: bool = False, by=None) -> Partnership:
    """The partnership a command names (or the only one). With `create`, a missing one is made
    by `by` (the server operator, `System("lapis")`, unless given)."""
    from lapis.core.actors import System
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


def plan_named(name: str | None, partnership_name: str | None = None) -> Plan:
    plans = Plan.objects.select_related("partnership", "scale")
    if partnership_name:
        plans = plans.filter(partnership__name=partnership_name)
    if name:
        plans = plans.filter(name=name)
    found = list(plans[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(f"no plan called {name!r}" if name else "there is no plan yet: "
                           "load one with `lapis import_plan FILE`")
    raise CommandError("there are several plans: name one with --plan")


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date: use YYYY-MM-DD") from error


def user_named(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user called {username!r}")
    return user


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


def actor(username: str | None, partnership_id: int, *, default: str, what: str):
    """Who a writing command acts as: without `--as`, the server operator
    (`System(default)`, recorded under the command's name); with it, a user who must be an
    administrator or programme manager of the partnership, or the command is refused."""
    from lapis.core.actors import System

    if not username:
        return System(default)
    from lapis.partnership import permissions

    user = user_named(username)
    if not permissions.can_edit(user, partnership_id):
        raise CommandError(f"refused: {user.username} cannot {what}")
    return user


def action_by_ref(ref: str, plan_name: str | None = None, partnership_name: str | None = None):
    from lapis.plans.models import Action

    plan = plan_named(plan_name, partnership_name)
    action = Action.objects.select_related("plan", "status", "sro").filter(
        plan=plan, ref=ref).first()
    if action is None:
        raise CommandError(f"plan {plan.name!r} has no action {ref!r}")
    return action


class refusing:
    """Turn a refusal or invalid input into a CommandError: non-zero exit, nothing changed."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        from django.core.exceptions import PermissionDenied

        from lapis.plans.actions import Invalid

        if isinstance(error, PermissionDenied):
            raise CommandError(f"refused: {error}") from error
        if isinstance(error, Invalid):
            raise CommandError("; ".join(f"{k}: {v}" for k, v in error.errors.items())) from error
        return False


class PlanExportCommand(BaseCommand):
    """`--plan --partnership --format xlsx|csv|json [-o FILE]`: subclasses say what to write.

    `text(plan, fmt)` returns CSV or JSON text; `workbook(plan, path)` writes an .xlsx."""

    what = "the plan"

    def add_arguments(self, parser):
        parser.add_argument("--plan")
        parser.add_argument("--partnership")
        parser.add_argument("--format", choices=["xlsx", "csv", "json"], required=True)
        parser.add_argument("-o", "--output", help="file to write (default: standard output; "
                            "required for xlsx)")

    def handle(self, *args, **options):
        plan = plan_named(options["plan"], options["partnership"])
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx":
            if not output:
                raise CommandError("give -o FILE.xlsx for a workbook")
            self.workbook(plan, output)
        else:
            text = self.text(plan, fmt)
            if not output:
                self.stdout.write(text, ending="")
                return
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        self.stderr.write(f"Wrote {self.what} of '{plan.name}' to {output}")

    def text(self, plan, fmt: str) -> str:
        raise NotImplementedError

    def workbook(self, plan, path) -> None:
        raise NotImplementedError


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
