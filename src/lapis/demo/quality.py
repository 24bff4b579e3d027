"""Invented demo audits for the Hull demo partnership: a year (July 2023 to June 2024) of
monthly multi-agency EHC plan audits under the EHC plan framework, with pseudonymous plan IDs
("PLAN-1004"), shaped to reproduce Hull's report of quarter two of 2024 roughly (no
inadequate plans, 8% outstanding, section A 79% good or better, good plans up about 14
points), moderations by a second auditor, one plan audited twice, and findings with the themes
Plymouth's action plans name (health advice, social care input, preparation for adulthood)
and their follow-ups. None of it is real data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction

from lapis.core.actors import System
from lapis.partnership import actions as people
from lapis.quality import actions, importing, reports
from lapis.quality.models import Audit, Finding, FindingKind, FollowUpKind, Theme

FILE = Path(__file__).with_name("data") / "hull-audits.csv"

THEMES = {
    "Health advice": "Health advice not specific about needs and provision, or late.",
    "Social care input": "Social care needs and provision missing or 'not known to social "
                         "care' without enquiry.",
    "Preparation for adulthood": "No outcomes for adulthood from year 9.",
}
# (section, theme, finding text) for audits graded below Good in that section, in turn.
FINDINGS = [
    ("C", "Health advice", "Health advice describes a diagnosis but not its effect on "
     "learning, and was returned after the six weeks."),
    ("D", "Social care input", "Section D says 'not known to social care'; no social care "
     "advice was sought for a child with a disability."),
    ("E", "Preparation for adulthood", "Year 10 plan with no outcomes for employment or "
     "independent living."),
]
OWNERS = ["Designated Clinical Officer", "Children's disability social work team",
          "EHC plan coordinator team"]  # in the order of FINDINGS
KINDS = {"Health advice": FollowUpKind.AMEND, "Social care input": FollowUpKind.AMEND,
         "Preparation for adulthood": FollowUpKind.TRAINING}


@transaction.atomic
def load_demo(partnership, *, by="demo") -> importing.ImportResult:
    """Load (or refresh) the demo audits, findings and follow-ups into a partnership. The
    audits go through the importer (so re-loading changes nothing); findings and follow-ups
    are added on the first load only. `by` is who acts: a user, a `System` actor, or the
    name of one."""
    actor = System(by) if isinstance(by, str) else by
    framework = reports.framework_named(None)
    rows = importing.read_audits(FILE, sections=importing.section_codes(framework),
                                 max_bytes=settings.LAPIS_MAX_IMPORT_BYTES)
    result = actions.import_audits(partnership=partnership, framework=framework, rows=rows,
                                   by=actor, publish=False)
    themes = {}
    for name, description in THEMES.items():
        themes[name] = (Theme.objects.filter(partnership=partnership, name__iexact=name).first()
                        or actions.create_theme(partnership=partnership, by=actor, name=name,
                                                description=description, source="demo"))
    owners = {owner: people.add_person(partnership=partnership, name=owner, by=actor,
                                       source="demo")
              for owner in OWNERS}
    audits = (Audit.objects.filter(partnership=partnership, framework=framework,
                                   audit_id__in=[a.audit_id for a in rows.audits],
                                   moderates__isnull=True)
              .prefetch_related("grades", "findings").order_by("audit_date", "audit_id"))
    if Finding.objects.filter(audit__in=audits).exists():
        audits = []  # loaded before: the findings and follow-ups are there already
    turn = 0
    for number, found in enumerate(audits):
        if number % 3:
            continue
        grades = {g.section: g.grade for g in found.grades.all()}
        section, theme, text = FINDINGS[turn % len(FINDINGS)]
        turn += 1
        if grades.get(section) not in ("Requires improvement", "Inadequate"):
            continue
        actions.add_finding(audit=found, by=actor, text=text, kind=FindingKind.DEVELOPMENT,
                            section=section, themes=[themes[theme]], source="demo")
        owner = owners[OWNERS[FINDINGS.index((section, theme, text))]]
        due = found.audit_date + dt.timedelta(days=42)
        done = due - dt.timedelta(days=7) if found.audit_date < dt.date(2024, 4, 1) else None
        what = (f"amend section {section}" if KINDS[theme] == FollowUpKind.AMEND
                else "training for the plan writers")
        follow = actions.add_follow_up(audit=found, by=actor, kind=KINDS[theme], owner=owner,
                                       due=due, description=f"{theme}: {what}", source="demo")
        if done is not None:
            actions.complete_follow_up(follow_up=follow, by=actor, on=done, source="demo")
    from lapis.quality import feed

    result.published = feed.publish(partnership, framework=framework)
    return result
