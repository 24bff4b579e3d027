"""Boards and meetings for the Hull demo partnership: `load(partnership)` after `import_plan`.

The terms of reference follow the reporting cycle in Hull's plan: the SEND Delivery Group
meets monthly and holds leads to account for delivery; the SEND Strategic Board meets
quarterly and owns the plan, deciding change requests. Hull Parent Carer Forum sits on both.
The meeting dates in `data/hull-meetings.csv` (January 2025 to March 2026) are illustrative:
the second Tuesday of each month for the Delivery Group; the last Thursday of each quarter's
final month for the Strategic Board (the second Thursday in December). Running `load` again
changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from lapis.core.actors import System
from lapis.governance import actions
from lapis.governance.meetings_io import read_meetings
from lapis.governance.queries import board_fingerprint
from lapis.partnership import actions as partnership_actions
from lapis.partnership.models import Board, Organisation, OrganisationKind, Partnership, Person

MEETINGS = Path(__file__).with_name("data") / "hull-meetings.csv"
FORUM = "Hull Parent Carer Forum"
FORUM_PERSON = "Hull Parent Carer Forum representative"
BY, SOURCE = System("demo"), "demo"

TERMS = {
    "SEND Delivery Group": (
        "Purpose: to drive the day-to-day delivery of the SEND improvement plan and hold "
        "strategic and improvement leads to account for progress against each action.\n\n"
        "Meets: monthly. Before each meeting the programme manager circulates the "
        "due-for-update list; leads update their actions in LAPIS a week before the meeting.\n\n"
        "Membership: strategic leads (SROs) for the plan's priorities from Hull City Council "
        "and NHS Humber and North Yorkshire ICB, improvement leads as needed, and a "
        "representative of Hull Parent Carer Forum, who co-produces the plan.\n\n"
        "Reports to: the SEND Strategic Board, with a highlight report and any change "
        "requests to close an action, move it to business as usual, or change its due date "
        "or scope."
    ),
    "SEND Strategic Board": (
        "Purpose: to own the local area partnership's SEND improvement plan, assure its impact "
        "for children and young people aged 0-25 and their families, and decide change "
        "requests escalated by the SEND Delivery Group.\n\n"
        "Meets: quarterly.\n\n"
        "Membership: the Director of Children's Services (chair), the ICB's Director of "
        "Nursing and Quality, senior leaders from education, health and social care, school "
        "and trust representatives, and Hull Parent Carer Forum, an equal partner on the "
        "board.\n\n"
        "Accountable to: the Hull Health and Wellbeing Board; reports progress to the DfE and "
        "NHS England."
    ),
}


@transaction.atomic
def load(partnership: Partnership) -> None:
    """Terms of reference, members and a year of meetings for Hull's two main boards."""
    forum = (Organisation.objects.filter(partnership=partnership, name__iexact=FORUM).first()
             or partnership_actions.add_organisation(
                 partnership=partnership, name=FORUM, kind=OrganisationKind.FORUM, by=BY,
                 source=SOURCE))
    rep = (Person.objects.filter(partnership=partnership, name__iexact=FORUM_PERSON).first()
           or partnership_actions.add_person(partnership=partnership, name=FORUM_PERSON,
                                             organisation=forum, by=BY, source=SOURCE))
    for name, terms in TERMS.items():
        board = (Board.objects.filter(partnership=partnership, name__iexact=name).first()
                 or actions.add_board(partnership=partnership, name=name, by=BY, source=SOURCE))
        # The strategic leads whose actions report to the board sit on it, with the forum.
        sros = Person.objects.filter(sro_actions__board_links__board=board).distinct()
        members = {p.pk: p for p in [*board.members.all(), *sros, rep]}
        actions.edit_board(board=board, fingerprint=board_fingerprint(board),
                           terms_of_reference=terms, members=list(members.values()),
                           by=BY, source=SOURCE)
    rows, problems = read_meetings(MEETINGS, partnership)
    if problems:  # the shipped file is checked by the tests; this guards a local edit of it
        raise ValueError("; ".join(str(p) for p in problems))
    actions.import_meetings(rows=rows, by=BY, source=SOURCE)
