import json

from lapis.plans.commands import PlanExportCommand
from lapis.timeline import exporting


class Command(PlanExportCommand):
    help = "Write a plan's milestones as .csv, .xlsx or JSON (CSV and .xlsx import back)."
    what = "the milestones"

    def text(self, plan, fmt):
        if fmt == "csv":
            return exporting.to_csv(plan)
        return json.dumps(exporting.to_json(plan), indent=2, ensure_ascii=False)

    def workbook(self, plan, path):
        exporting.to_xlsx(plan, path)
