import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from lapis.core.commands import iso_date
from lapis.plans.commands import plan_named
from lapis.timeline import queries, rules


class Command(BaseCommand):
    help = "Print a plan's due dates and milestones by month or school term, as the page shows."

    def add_arguments(self, parser):
        parser.add_argument("--plan")
        parser.add_argument("--partnership")
        parser.add_argument("--by", choices=["month", "term"], default="month")
        parser.add_argument("--from", dest="first", default="", help="first month, YYYY-MM")
        parser.add_argument("--to", dest="last", default="", help="last month, YYYY-MM")
        parser.add_argument("--priority", type=int)
        parser.add_argument("--as-of", type=iso_date, default=None, help="YYYY-MM-DD (default: "
                            "today)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        plan = plan_named(options["plan"], options["partnership"])
        as_of = options["as_of"] or dt.date.today()
        by, first, last, errors = rules.read_range(options["by"], options["first"], options["last"],
                                             as_of)
        if errors:
            raise CommandError("; ".join(errors.values()))
        found = queries.timeline(plan, None, by=by, first=first, last=last, as_of=as_of,
                                 priority=options["priority"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(found.as_json(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"Timeline of '{plan.name}' by {by}, {found.first_period.label} to "
            f"{found.last_period.label}: {found.row_count} items, status as of "
            f"{as_of.isoformat()}")
        if found.overdue_earlier:
            self.stdout.write(f"{len(found.overdue_earlier)} open items due before "
                              f"{found.first_period.label} are overdue.")
        for group in found.groups:
            extra = f" (academic year {group.period.academic_year})" if by == "term" else ""
            self.stdout.write(f"\n{group.period.label}{extra}")
            if not group.rows:
                self.stdout.write("  Nothing due.")
            for row in group.rows:
                item = row.item
                name = (f"Action {item.action_ref}: {item.title[:60]}" if item.kind == "due"
                        else f"{item.title[:60]} ("
                        + (f"action {item.action_ref}" if item.action_ref
                           else f"priority {item.priority}") + ")")
                self.stdout.write(
                    f"  {row.status_label:15} {item.current.iso():10} "
                    f"{'due date ' if item.kind == 'due' else 'milestone'}  {name}; planned "
                    f"{item.planned.iso()}, {row.slippage[0].lower() + row.slippage[1:]}")
