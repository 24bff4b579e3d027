import datetime as dt

from ninja import Router
from ninja.errors import HttpError

from lapis.cases import queries
from lapis.cases.timeliness import RuleError
from lapis.core.inputs import EARLIEST, LATEST, PlausibleDate
from lapis.partnership import permissions

router = Router(tags=["EHC timeliness"])


def _partnership(request):
    partnership = permissions.partnership_for(request)
    if partnership is None:
        raise HttpError(404, "You belong to no partnership")
    return partnership, permissions.can_see_cases(request.user, partnership.pk)


@router.get("/timeliness", summary="As `lapis timeliness --format json` prints it; the case IDs "
            "behind each figure only for roles allowed case-level data")
def get_timeliness(request, period: int | None = None, start: PlausibleDate | None = None,
                   end: PlausibleDate | None = None, as_of: PlausibleDate | None = None,
                   by: str | None = None):
    partnership, case_level = _partnership(request)
    if period is not None:
        if not EARLIEST.year <= period <= LATEST.year:
            raise HttpError(422, f"period must be a year from {EARLIEST.year} to {LATEST.year}")
        start, end = dt.date(period, 1, 1), dt.date(period, 12, 31)
    if start is None or end is None or start > end:
        raise HttpError(422, "give period=YEAR, or start and end dates (start before end)")
    try:
        result = queries.timeliness(partnership, start=start, end=end,
                                    as_of=as_of or dt.date.today(), by=by)
    except RuleError as error:
        raise HttpError(422, str(error)) from error
    if not case_level:
        result.pop("cases")
    return result


@router.get("/at-risk", summary="The open caseload and its deadlines; counts only for roles "
            "without case-level data")
def get_at_risk(request, as_of: PlausibleDate | None = None, soon_days: int = 14):
    partnership, case_level = _partnership(request)
    if not 0 <= soon_days <= 3650:
        raise HttpError(422, "soon_days must be from 0 to 3650")
    found = queries.at_risk(partnership, as_of=as_of or dt.date.today(), soon_days=soon_days)
    if not case_level:
        states = {}
        for row in found["open"]:
            states[row["state"]] = states.get(row["state"], 0) + 1
        found["open"] = states
        found["reviews_overdue"] = len(found["reviews_overdue"])
        found["reviews_due_soon"] = len(found["reviews_due_soon"])
    return found
