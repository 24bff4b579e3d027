"""Command plumbing that needs the plan: which plan, which action, and the export command."""

from django.core.management.base import BaseCommand, CommandError

from lapis.plans.models import Plan


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


def action_by_ref(ref: str, plan_name: str | None = None, partnership_name: str | None = None):
    from lapis.plans.models import Action

    plan = plan_named(plan_name, partnership_name)
    action = Action.objects.select_related("plan", "status", "sro").filter(
        plan=plan, ref=ref).first()
    if action is None:
        raise CommandError(f"plan {plan.name!r} has no action {ref!r}")
    return action


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
