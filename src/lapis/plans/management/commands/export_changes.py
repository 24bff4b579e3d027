import json

from lapis.plans import changes
from lapis.plans.commands import PlanExportCommand


class Command(PlanExportCommand):
    help = "Write the plan's change-control register as .xlsx, .csv or JSON."
    what = "the change-control register"

    def text(self, plan, fmt):
        if fmt == "csv":
            return changes.to_csv(plan)
        return json.dumps(changes.to_json(plan), indent=2, ensure_ascii=False)

    def workbook(self, plan, path):
        changes.to_xlsx(plan, path)
