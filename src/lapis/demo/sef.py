"""A little of the Hull SEF 2023-24 (seed 000), typed in, for the demo partnership.

Areas 1, 3 and 9 get their big picture, a few numbered evidence items as the SEF numbers them,
inspection quotes, and the improvement priorities with their "IP" cross-references linked to
the real register's actions ("IP 4.6" -> action 4.6). The Hull SEF prints no judgement per area,
so none is set. Three local counts the SEF quotes become the partnership's own indicators,
so the evidence that quotes them is checked against the figure. The register's SEF/DBV/AFI
column maps actions to AFI1-AFI5; the AFIs' wording is not in the source documents, so their
text says so. Running `load` again changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from lapis.core.actors import System
from lapis.demo import scorecard
from lapis.plans.models import Action
from lapis.scorecard import actions as scorecard_actions
from lapis.scorecard.models import Indicator, Level, Observation, Polarity, Unit
from lapis.sef import actions
from lapis.sef.models import SourceKind

BY = System("demo")
SEF = "Hull SEF 2023-24 (seed 000)"
INSPECTION = "SEND inspection report, November 2023"
PERIOD, PERIOD_START = "2023/24", dt.date(2023, 9, 1)

# key: (name, value for 2023/24 as the SEF prints it)
LOCAL_COUNTS = {
    "ey_health_visitor_notifications": (
        "Statutory notifications from health visitors to the Early Years team", 385),
    "first_steps_communication_referrals": (
        "Children referred to the First Steps to Communication panel", 419),
    "specialist_send_places_created": ("Additional specialist SEND places created", 183),
}

AREAS = {
    1: {
        "big_picture": (
            "The introduction of Progressive Provision Levels in 23/24, underpinned by a "
            "detailed graduated approach document, has done much to promote a consistently "
            "evidence-based approach to the assessment of needs, with training embedding this. "
            "The identification of needs and strong, multi-agency work to meet them in the early "
            "years is another area of significant strength.\n\n"
            "Challenges relate primarily to the timeliness of assessments, linked to supply and "
            "demand. In Health, for example, recovery trajectories have been extended to 2026 due "
            "to NHS funding challenges. Within statutory SEN services, there are waits for "
            "educational psychology assessment, impacting on compliance."),
        "evidence": [
            ("1.1", "strength", "Strong partnership working between health and the local "
             "authority (LA) Early Years team ensures that needs are identified and met at the "
             "earliest possible stage. In 2023/24, 385 notifications were received.",
             SourceKind.INDICATOR, SEF, "ey_health_visitor_notifications", 385),
            ("1.5", "strength", "A multi-agency First Step to Communication panel reviews all "
             "referrals. 419 children were referred in 2023/24.",
             SourceKind.INDICATOR, SEF, "first_steps_communication_referrals", 419),
            ("1.7", "strength", "The quality of EHCP needs assessment is improving. No "
             "inadequate plans were recorded within quarter two of 2024 and there was a 14% "
             "increase in good plans with 8% Outstanding.", SourceKind.AUDIT,
             "EHCP quality audit, quarter 2 2024", None, None),
            ("1.9", "strength", "The Healthy Child programme \u201cis delivered effectively\u201d "
             "in the reception year and Year 6.", SourceKind.INSPECTION, INSPECTION, None, None),
            ("1.10", "strength", "Support for Hearing Impaired children from IPaSS has been "
             "extended to include babies, where intervention has greatest impact, and a "
             "pre-school group has also been established.", SourceKind.ANNUAL_REPORT,
             "IPaSS annual report", None, None),
            ("1.a", "development", "Timeliness of assessments: waits for educational psychology "
             "assessment are impacting on compliance with statutory timescales.",
             SourceKind.ANNUAL_REPORT, SEF + ", area 1 big picture", None, None),
        ],
        "priorities": [
            ("Reduce attention deficit hyperactivity disorder (ADHD) and Autism assessment "
             "waiting times and share recovery plan with stakeholders (IP 3.18)", ["3.18"], []),
            ("Reduce waiting times for Speech and Language Therapy and further improve quality "
             "of wait (IP 3.19)", ["3.19"], []),
            ("Reduce the waiting time for educational psychology (EP) assessments (IP 4.5)",
             ["4.5"], []),
            ("Increase the % of plans issued within statutory timescales to 50% (IP 4.6)",
             ["4.6"], ["ehcp_issued_20_weeks"]),
        ],
    },
    3: {
        "big_picture": (
            "Early support for emotional health and wellbeing was confirmed as a strength by "
            "inspectors as well as a responsive Early Years SEND support system which provides "
            "timely and holistic support through strong partnership working. However, "
            "sufficiency pressures across the system mean that the right support at the right "
            "time is not yet consistently provided by all services and for all ages."),
        "evidence": [
            ("3.2", "strength", "During 2023/4, Speech and Language Therapy (SALT) has trained "
             "323 Early Years professionals in how to deliver core interventions.",
             SourceKind.ANNUAL_REPORT, "Early Years annual report", None, None),
            ("3.9", "strength", "89% of Hull's education settings eligible have received the "
             "DfE grant for training a Senior Mental Health Lead (10% higher than the national "
             "average).", SourceKind.ANNUAL_REPORT, SEF, None, None),
            ("3.17", "strength", "Children in the early years experience a responsive SEND "
             "support system.", SourceKind.INSPECTION, INSPECTION, None, None),
            ("3.a", "development", "There remains a shortfall of specialist school places, "
             "which means that a minority of children and young people are not yet in the "
             "right provision for their needs.", SourceKind.ANNUAL_REPORT,
             SEF + ", area 3 big picture", None, None),
        ],
        "priorities": [
            ("In collaboration with the Learning Partnership, invest SEND capital into 'phase 2 "
             "schemes' so that all children and young people can access a local provision that "
             "meets their needs. (IP 3.9)", ["3.9"], []),
            ("Through remodelling and re-procurement of outreach services, fill the gaps in "
             "specialist support for cognition & learning needs (primary and secondary) and "
             "SEMH needs (secondary) (IP 3.7)", ["3.7"], []),
            ("Construct a new exemplary home for overnight short stays (Limetree Court & Tilia) "
             "and a two bedroom home for longer term needs. (IP 3.10 & 3.11)",
             ["3.10", "3.11"], []),
        ],
    },
    9: {
        "big_picture": (
            "The city is not immune from a national SEND sufficiency challenge impacting on "
            "access to specialist provision for all children who need it. However, the LA "
            "commissioned a detailed sufficiency assessment and has been proactive in planning "
            "additional capacity to fill the current and projected gap."),
        "evidence": [
            ("9.1", "strength", "The LAP Joint Commissioning Strategy (2024/27) enables partners "
             "to make best use of available resources and to improve children and young "
             "people's outcomes in the most efficient way.", SourceKind.ANNUAL_REPORT,
             "LAP Joint Commissioning Strategy 2024/27", None, None),
            ("9.5", "strength", "During 2023/24, the LA and LP created an additional 183 "
             "specialist SEND places through expansion of the city's SEND Unit and Resource "
             "base provision by 8 settings and the expansion of three special schools.",
             SourceKind.INDICATOR, SEF, "specialist_send_places_created", 183),
            ("9.9", "strength", "Leaders have increased capacity in the SEND team. This is "
             "helping to ensure that newer EHC plans more fully reflect the needs of children "
             "and young people and the support they should receive.", SourceKind.INSPECTION,
             INSPECTION, None, None),
        ],
        "priorities": [
            ("Ensure the SEND Hub (Lil Bilocca) is delivered within timescales and that it "
             "promotes an integrated approach to service delivery which minimises stress and "
             "waiting times for families (IP 2.1)", ["2.1"], []),
            ("Ensure that gaps in outreach support for secondary pupils with SEMH needs are "
             "filled and that the service supports a graduated approach to AP referral for "
             "secondary pupils, and reintegration (IP 3.7)", ["3.7"], []),
        ],
    },
}

# The measure each AFI is watched by: the demo's choice, from the actions it maps to.
AFI_MEASURES = {
    "AFI1": ["neet_or_not_known"],  # 6.x: preparing for adulthood
    "AFI2": ["ehcp_issued_20_weeks"],  # 2.5: health and care advice for EHC plans
    "AFI3": ["ehcp_issued_20_weeks"],  # 2.6: ICB SEND training
    "AFI4": ["ehc_requests_decided_6_weeks"],  # 1.x, 2.x, 3.x: graduated approach, QA
    "AFI5": ["ehcp_issued_20_weeks"],  # 1.2, 2.3, 2.8: workforce and quality assurance
}


def afi_code(code: str) -> str:
    """The register writes AFI2 as "AF12" (an I typed as 1) or "AF2": all become "AFI2"."""
    code = code.upper().replace(" ", "")
    if code.startswith("AFI"):
        return code
    digits = code[2:]
    return "AFI" + (digits[1:] if len(digits) > 1 and digits.startswith("1") else digits)


def _local_indicators(partnership) -> dict[str, Indicator]:
    """The three counts the SEF quotes, as the partnership's own indicators with their figure
    for 2023/24 (written once: a figure already held stays)."""
    by = System(BY)
    area = scorecard_actions.ensure_area(
        code=scorecard.HULL, name="Kingston upon Hull, City of", level=Level.LA,
        new_code="E06000010", by=by, source="lapis demo")
    specs = [scorecard_actions.IndicatorSpec(
        key=key, name=name, unit=Unit.COUNT, polarity=Polarity.NEITHER,
        frequency="Academic year", source=SEF) for key, (name, _) in LOCAL_COUNTS.items()]
    found = {spec.key: scorecard_actions.ensure_indicator(
        spec=spec, partnership=partnership, by=by, source="lapis demo") for spec in specs}
    held = Observation.objects.filter(indicator__in=found.values(), area=area, period=PERIOD,
                                      breakdown="All").count()
    if held < len(found) and partnership.la_code == area.code:
        scorecard_actions.publish_own_figures(
            partnership=partnership, by=by, source="lapis demo", indicators=specs,
            figures=[scorecard_actions.Figure(indicator=key, period=PERIOD,
                                              period_start=PERIOD_START, value=value)
                     for key, (_, value) in LOCAL_COUNTS.items()])
    return found


@transaction.atomic
def load(partnership) -> None:
    scorecard.load(partnership)  # the scorecard's indicators, and Hull's LA code 810
    local = _local_indicators(partnership)
    by_ref = {a.ref: a for a in Action.objects.filter(plan__partnership=partnership)}
    indicators = {i.key: i for i in Indicator.objects.all()}
    for sef_area in actions.ensure_areas(partnership=partnership):
        content = AREAS.get(sef_area.area.number)
        if content is None or sef_area.big_picture or sef_area.evidence.exists():
            continue
        actions.edit_area(sef_area=sef_area, by=BY, version=sef_area.version, source="lapis demo",
                          big_picture=content["big_picture"])
        for number, kind, text, source_kind, source, key, figure in content["evidence"]:
            actions.add_evidence(
                sef_area=sef_area, by=BY, number=number, kind=kind, text=text,
                source_kind=source_kind, source=source, indicator=local.get(key),
                period=PERIOD if key else "", figure=figure, origin="lapis demo")
        for text, refs, keys in content["priorities"]:
            actions.add_priority(sef_area=sef_area, by=BY, text=text,
                                 actions=[by_ref[r] for r in refs if r in by_ref],
                                 indicators=[indicators[k] for k in keys if k in indicators],
                                 origin="lapis demo")
    mapped: dict[str, list[Action]] = {}
    for action in by_ref.values():
        for link in action.links or []:
            if link.get("kind") == "afi":
                mapped.setdefault(afi_code(link["code"]), []).append(action)
    for code in sorted(mapped):
        actions.set_afi(
            partnership=partnership, by=BY, code=code, origin="lapis demo",
            text=f"{code}, an area for improvement from the November 2023 area SEND "
                 "inspection, as the register's SEF/DBV/AFI column cites it (its wording is "
                 "not in the source documents: type it in from the inspection report)",
            actions=mapped[code],
            indicators=[indicators[k] for k in AFI_MEASURES.get(code, []) if k in indicators])
