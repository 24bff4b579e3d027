import json

from lapis.plans import exporting
from lapis.plans.commands import PlanExportCommand


class Command(PlanExportCommand):
    help = "Write a plan as .xlsx (the council's layout), .csv or JSON."
    what = "the actions"

    def text(self, plan, fmt):
        if fmt == "csv":
            return exporting.to_csv(plan)
        return json.dumps(exporting.plan_json(plan), indent=2, ensure_ascii=False)

    def workbook(self, plan, path):
        exporting.to_xlsx(plan, path)
