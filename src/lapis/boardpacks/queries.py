"""Gathering a board pack: one board's view of the plan on a date, as plain JSON-ready data.

The pack covers the actions that report to the board (plans.ActionBoard); the partnership's
governing board (BoardPackSettings) sees the whole plan. Each section reuses the query the
rest of LAPIS uses, so the pack says what the pages say:

- roll-up by priority: `plans.queries.plan_rollup`;
- overdue and stale actions: `plans.queries.drift_by_ref` (only those two flags);
- change requests awaiting this board's decision;
- the scorecard: the partnership's first scorecard set (by id), for its area or the
  partnership's LA, through `scorecard.queries.scorecard`;
- the five open risks with the highest residual score (ties in risk ID order);
- the due-for-update list for the board's next meeting on or after the as-of date (or one
  on the as-of date itself, when none is planned): `governance.queries.due_list`;
- the quality of EHC plans: the quarterly QA report (`quality.reports.build`) for the latest
  quarter with an audit on or before the as-of date, without plan IDs;
- the voice of families: complaints by quarter answered within the standard
  (`voice.queries.timeliness_by_quarter`) and the latest "you said, we did" items.

Progress entries dated after the as-of date are left out, so a pack dated in the past does
not show later news. Everything else (statuses, due dates) is as it is when the pack is made.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser

from lapis.boardpacks.diff import ref_order
from lapis.boardpacks.models import BoardPack, BoardPackSettings
from lapis.governance import queries as governance
from lapis.governance.models import Meeting
from lapis.partnership.models import Board
from lapis.plans.drift import DueDate
from lapis.plans.models import Action, ChangeRequest, Decision
from lapis.plans.queries import drift_by_ref, plan_rollup
from lapis.risks.models import Risk, RiskStatus
from lapis.scorecard.models import Area, ScorecardSet
from lapis.scorecard.queries import scorecard as scorecard_lines

TOP_RISKS = 5
DRIFT_FLAGS = ("overdue", "stale")


class Operator(AnonymousUser):
    """The server operator at the terminal sees every figure, as a superuser would."""

    is_superuser = True

    @property
    def is_authenticated(self):
        return True


def governing_board(partnership_id: int) -> Board | None:
    found = (BoardPackSettings.objects.select_related("governing_board")
             .filter(partnership_id=partnership_id).first())
    return found.governing_board if found else None


def is_governing(board: Board) -> bool:
    governing = governing_board(board.partnership_id)
    return governing is not None and governing.pk == board.pk


def board_actions(board: Board, governing: bool) -> list[Action]:
    actions = Action.objects.filter(plan__partnership_id=board.partnership_id)
    if not governing:
        actions = actions.filter(board_links__board=board)
    return list(
        actions.distinct().select_related("priority", "status", "plan", "sro")
        .prefetch_related("lead_links", "progress__status_to", "progress__status_from")
        .order_by("plan__name", "ref_key")
    )


def _short(text: str, words: int = 20) -> str:
    parts = " ".join((text or "").split()).split(" ")
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def _due(action: Action) -> dict | None:
    if not action.due_date:
        return None
    due = DueDate(action.due_date, action.due_precision or "day")
    return {"label": due.label(), "end": due.end().isoformat()}


def action_row(action: Action, as_of: dt.date) -> dict:
    """What the diff compares, and what the pack lists per action."""
    progress = [e for e in action.progress.all() if e.date is None or e.date <= as_of]
    return {
        "ref": action.ref,
        "description": _short(action.description),
        "priority": action.priority.number,
        "status": action.status.label if action.status else None,
        "family": action.status.family if action.status else None,
        "closed": action.closed,
        "due": _due(action),
        "sro": action.sro.name if action.sro else None,
        "last_reviewed": action.last_reviewed.isoformat() if action.last_reviewed else None,
        "progress": [{
            "id": e.pk, "date": e.date.isoformat() if e.date else None, "text": e.text,
            "status_from": e.status_from.label if e.status_from else None,
            "status_to": e.status_to.label if e.status_to else None,
        } for e in progress],
    }


def _drift(actions: list[Action], as_of: dt.date) -> list[dict]:
    rows = []
    for flagged in drift_by_ref(actions, as_of=as_of).values():
        flags = [f for f in flagged.flags if f in DRIFT_FLAGS]
        if flags:
            data = flagged.as_json()
            rows.append({"ref": flagged.ref, "status": flagged.status, "flags": flags,
                         **{f: data[f] for f in flags}})
    return sorted(rows, key=lambda r: ref_order(r["ref"]))


def _change_requests(board: Board) -> list[dict]:
    pending = (ChangeRequest.objects.filter(board=board, decision=Decision.PENDING)
               .select_related("action", "new_owner").order_by("raised_at", "pk"))
    return [{
        "code": cr.code, "ref": cr.action.ref, "kind": cr.get_kind_display(),
        "reason": cr.reason, "evidence": cr.evidence, "raised_by": cr.raised_by,
        "raised_on": cr.raised_at.date().isoformat(),
        "new_due": cr.new_due.iso() if cr.new_due else None, "new_text": cr.new_text,
        "new_owner": cr.new_owner.name if cr.new_owner else None,
    } for cr in pending]


def _scorecard(board: Board, user) -> dict | None:
    partnership = board.partnership
    chosen = (ScorecardSet.objects.filter(partnership=partnership).select_related("area")
              .order_by("pk").first())
    if chosen is None:
        return None
    area = chosen.area or Area.objects.filter(code=partnership.la_code).first()
    if area is None:
        return {"name": chosen.name, "area": None, "lines": []}
    indicators = [item.indicator for item in chosen.items.select_related("indicator")]
    lines = scorecard_lines(indicators, area, user=user, partnership=partnership)
    return {"name": chosen.name, "area": f"{area.name} ({area.code})",
            "lines": [{**line.as_json(), "name": line.name, "unit": line.unit,
                       "status_text": (line.status or "").replace("_", " ").capitalize()}
                      for line in lines]}


def _risks(board: Board) -> list[dict]:
    risks = list(Risk.objects.filter(partnership_id=board.partnership_id,
                                     status=RiskStatus.OPEN).select_related("owner"))
    risks.sort(key=lambda r: (-r.residual_score, r.code_key))
    return [{
        "code": r.code, "title": r.title, "owner": r.owner.name if r.owner else None,
        "inherent": r.inherent_score, "residual": r.residual_score,
        "band": r.residual_band.label, "trend": r.get_trend_display(),
        "response": r.get_response_display(),
        "review_date": r.review_date.isoformat() if r.review_date else None,
    } for r in risks[:TOP_RISKS]]


def _due_list(board: Board, as_of: dt.date) -> dict:
    meeting = governance.next_meeting(board, as_of)
    planned = meeting is not None
    if meeting is None:
        meeting = Meeting(board=board, date=as_of)  # not saved: the list as of that day
    found = governance.due_list(board, meeting)
    data = found.as_json()
    titles = {action.ref: _short(action.description, 12) for action, _ in found.rows}
    for row in data["actions"]:
        row["title"] = titles.get(row["ref"], "")
    return {"meeting": data["meeting"], "planned": planned,
            "previous_meeting": data["previous_meeting"], "actions": data["actions"]}


def snapshot(board: Board, as_of: dt.date, *, user=None) -> dict:
    """The pack's content (see the module docstring). `user` decides which figures the
    scorecard may show; None is the operator, who sees every figure."""
    governing = is_governing(board)
    actions = board_actions(board, governing)
    rows, plan = plan_rollup(actions, as_of=as_of)
    return {
        "board": {"id": board.pk, "name": board.name},
        "partnership": board.partnership.name,
        "as_of": as_of.isoformat(),
        "governing": governing,
        "rollup": {"priorities": [r.as_json() for r in rows], "plan": plan.as_json()},
        "actions": {a.ref: action_row(a, as_of) for a in actions},
        "drift": _drift(actions, as_of),
        "change_requests": _change_requests(board),
        "scorecard": _scorecard(board, user or Operator()),
        "risks": _risks(board),
        "due": _due_list(board, as_of),
        "quality": _quality(board, as_of),
        "voice": _voice(board, as_of),
    }


def _quality(board: Board, as_of: dt.date) -> dict | None:
    from lapis.quality import reports
    from lapis.quality import rules as qa
    from lapis.quality.models import Audit

    framework = reports.framework_named(None, board.partnership)
    latest = (Audit.objects.counted().filter(partnership_id=board.partnership_id,
                                             framework=framework, audit_date__lte=as_of)
              .order_by("-audit_date").values_list("audit_date", flat=True).first()
              if framework else None)
    if latest is None:
        return None
    quarter = qa.Quarter.of(latest)
    report = reports.without_plan_ids(reports.build(board.partnership, quarter,
                                                    framework=framework, as_of=as_of))
    previous = report["previous"]
    return {
        "quarter": report["quarter"], "framework": report["framework"]["name"],
        "audits": report["audits"], "overall": report["overall"],
        "good_or_better_pct": report["good_or_better_pct"],
        "change": qa.change_in_words(report["change"]["good_or_better_points"],
                                     previous["quarter"], previous["good_or_better_pct"]),
        "recurring_themes": [t["theme"] for t in report["themes"] if t["recurring"]],
        "follow_ups_open": report["follow_ups"]["open"],
        "follow_ups_overdue": report["follow_ups"]["overdue"],
    }


def _voice(board: Board, as_of: dt.date) -> dict:
    from lapis.voice import queries as voice
    from lapis.voice.models import YouSaid

    partnership = board.partnership
    received = [c for c in voice.complaints(partnership) if c.received <= as_of]
    quarters = voice.timeliness_by_quarter(partnership, received, as_of)[-4:]
    items = (YouSaid.objects.filter(partnership=partnership, said_on__lte=as_of)
             .prefetch_related("actions").order_by("-said_on", "-pk")[:5])
    return {
        "complaints": [{"quarter": q.quarter, "received": q.received, "counted": q.counted,
                        "within": q.within, "pct": q.pct} for q in quarters],
        "you_said": [{"said": y.said, "did": y.did, "status": y.get_status_display(),
                      "said_on": y.said_on.isoformat(),
                      "actions": sorted((a.ref for a in y.actions.all()), key=ref_order)}
                     for y in items],
    }


def previous_pack(board: Board, as_of: dt.date, *, before_id: int | None = None):
    """The board's latest stored pack dated on or before `as_of` (the newest made, on a tie)."""
    packs = BoardPack.objects.filter(board=board, as_of__lte=as_of)
    if before_id is not None:
        packs = packs.filter(pk__lt=before_id)
    return packs.order_by("-as_of", "-pk").first()
