"""Read a partnership's case events as the plain records `timeliness` works on: one indexed
query per table, values only (no model instances), so a national-scale extract stays fast."""

from __future__ import annotations

from lapis.cases import timeliness as t
from lapis.cases.models import (
    CaseAssessment,
    CaseNeed,
    CasePerson,
    CasePlan,
    CaseRequest,
    CaseReview,
)


def records(partnership) -> dict:
    scope = {"partnership": partnership}
    requests = [t.Request(rid, pid, received, outcome or "A", decided) for
                rid, pid, received, outcome, decided in CaseRequest.objects.filter(**scope)
                .values_list("request_id", "person__person_id", "received", "outcome",
                             "outcome_date").iterator(chunk_size=20000)]
    assessments = [t.Assessment(rid, outcome or "A", decided, week20) for
                   rid, outcome, decided, week20 in CaseAssessment.objects.filter(**scope)
                   .values_list("request__request_id", "outcome", "outcome_date", "week20")
                   .iterator(chunk_size=20000)]
    plans = [t.Plan(plan, pid, rid, start, cease, reason or None) for
             plan, pid, rid, start, cease, reason in CasePlan.objects.filter(**scope)
             .values_list("plan_id", "person__person_id", "request__request_id", "start",
                          "cease", "cease_reason").iterator(chunk_size=20000)]
    reviews = [t.Review(plan, meeting, decided, outcome or None, *rest) for
               plan, meeting, decided, outcome, *rest in CaseReview.objects.filter(**scope)
               .values_list(
        "plan__plan_id", "meeting", "decision_date", "outcome", "amendment_notice",
        "amended_plan", "phase_transfer_due", "phase_transfer_final").iterator(
        chunk_size=20000)]
    people = [t.Person(*row) for row in CasePerson.objects.filter(**scope).values_list(
        "person_id", "birth_month", "sex")]
    needs = [t.Need(*row) for row in CaseNeed.objects.filter(**scope).values_list(
        "person__person_id", "sen_type", "rank")]
    return {"requests": requests, "assessments": assessments, "plans": plans,
            "reviews": reviews, "people": people, "needs": needs}


def timeliness(partnership, *, start, end, as_of, by=None) -> dict:
    found = records(partnership)
    return t.timeliness(found["requests"], found["assessments"], found["plans"],
                        found["reviews"], start=start, end=end, as_of=as_of, by=by,
                        people=found["people"], needs=found["needs"])


def at_risk(partnership, *, as_of, soon_days: int = 14) -> dict:
    found = records(partnership)
    return t.at_risk(found["requests"], found["assessments"], found["reviews"],
                     found["plans"], as_of=as_of, soon_days=soon_days)
