"""A stored pack as HTML (a page, or a standalone document) and as PDF, from one template."""

from __future__ import annotations

from django.template.loader import render_to_string

from lapis.boardpacks import diff
from lapis.boardpacks.models import BoardPack

FAMILIES = [("not_started", "Not started"), ("on_track", "On track"),
            ("some_concerns", "Some concerns"), ("off_track", "Off track"),
            ("complete", "Complete"), ("embedded", "Embedded"), ("closed", "Closed"),
            ("none", "No status")]
CHANGE_LABELS = {"added": "Now reports here", "removed": "No longer reports here",
                 "update": "Progress update", "status": "Status moved", "closed": "Closed",
                 "reopened": "Reopened", "slipped": "Slipped",
                 "brought_forward": "Brought forward", "due_set": "Due date set",
                 "due_removed": "Due date removed"}


def changes_context(changes):
    """Each change with its label and a line of plain English, for the templates."""
    if changes is None:
        return None
    return [{**change, "label": CHANGE_LABELS[change["kind"]], "text": diff.describe(change)}
            for change in changes]


def _rollup_rows(snapshot: dict) -> list[dict]:
    rollup = snapshot["rollup"]
    return [{"label": row["label"], "total": row["total"],
             "counts": [row["families"][key] for key, _ in FAMILIES],
             "percent": row["percent_complete"], "overdue": row["overdue"],
             "plan": row is rollup["plan"]}
            for row in [*rollup["priorities"], rollup["plan"]]]


def context(pack: BoardPack) -> dict:
    snapshot = pack.snapshot
    return {
        "pack": pack, "s": snapshot, "families": FAMILIES, "rollup": _rollup_rows(snapshot),
        "changes": changes_context(snapshot.get("changes")),
        "change_counts": [(CHANGE_LABELS[kind].lower(), n) for kind, n in
                          diff.summary(snapshot.get("changes") or []).items()],
        "action_count": len(snapshot["actions"]),
    }


def document(pack: BoardPack) -> str:
    """The pack as one standalone, accessible HTML document (what the PDF is made from)."""
    return render_to_string("boardpacks/document.html", context(pack))


def pdf(pack: BoardPack) -> bytes:
    """The pack as a tagged PDF (PDF/UA-1: structure tags, title, language)."""
    from weasyprint import HTML

    return HTML(string=document(pack)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_identifier=f"lapis-board-pack-{pack.pk}".encode())
