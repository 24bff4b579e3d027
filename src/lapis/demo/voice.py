"""Demo voice records: INVENTED, and labelled so wherever they appear.

Shaped like what the seed self-evaluations describe (Hull's Voice and Influence team and
Youth Parliament, parent carer forum surveys and termly forums, a youth participation group,
a "feedback loop" with families; Hull plan 1.1 "reduced number of complaints citing
communication" and 1.4 "learning from complaints"), but every figure, reference and sentence
here is made up. Deterministic: the same partnership gets the same records.

`load_demo(partnership, by=...)` goes through the same writes as the pages and imports, so
every record has its history. Running it twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from lapis.core.actors import System
from lapis.risks.actions import resolve_refs
from lapis.voice import actions, rules
from lapis.voice.importing import (
    ParsedComplaint,
    ParsedComplaints,
    ParsedQuestion,
    ParsedResponse,
    ParsedSurvey,
)
from lapis.voice.models import Compliment, Engagement, YouSaid

LABEL = "Invented demo data"
SURVEY_TITLE = "Parent carer survey (invented demo data)"
SURVEY_PERIOD = "2024/25"
START = dt.date(2024, 4, 1)

QUESTIONS = [
    ("I feel confident that my child's special educational needs are supported", "agree"),
    ("Professionals communicate well with me about my child's plan", "agree"),
    ("I know where to find the Local Offer", "yes_no"),
    ("Which service have you used most in the last year?", "choice"),
    ("What one thing would make the biggest difference to your family?", "free_text"),
]
SERVICES = ["SEND casework", "Educational psychology", "Speech and language therapy",
            "SEND transport", "Short breaks"]
FREE = ["Being kept up to date while we wait for the plan", "One named contact",
        "Shorter waits for therapy", "Plans that say what school will actually do",
        "Transport that turns up on time"]


def _survey(rng: random.Random) -> ParsedSurvey:
    scale = list(rules.AGREE_SCALE)
    parsed = ParsedSurvey(file="demo")
    parsed.questions = [ParsedQuestion(n, text, kind, chr(66 + n))
                        for n, (text, kind) in enumerate(QUESTIONS, start=1)]
    for i in range(1, 121):
        answers = {
            1: rng.choices(scale, weights=[14, 34, 18, 20, 10, 4])[0],
            2: rng.choices(scale, weights=[10, 28, 20, 24, 14, 4])[0],
            3: rng.choices(["Yes", "No", "Don't know"], weights=[62, 30, 8])[0],
            4: rng.choice(SERVICES),
        }
        if i % 3 == 0:
            answers[5] = rng.choice(FREE)
        if i % 17 == 0:
            del answers[2]  # some leave a question blank
        parsed.responses.append(ParsedResponse(f"DEMO-{i:03d}",
                                               dt.date(2025, 2, 1) + dt.timedelta(i % 28),
                                               answers))
    return parsed


def _complaints(rng: random.Random) -> ParsedComplaints:
    parsed = ParsedComplaints(file="demo")
    number = 0
    for month in range(12):
        first = dt.date(START.year + (START.month + month - 1) // 12,
                        (START.month + month - 1) % 12 + 1, 1)
        # Communication falls over the year, as plan action 1.1 hopes.
        for _ in range(rng.randint(4, 7)):
            number += 1
            received = first + dt.timedelta(days=rng.randint(0, 27))
            themes = set(rng.sample(["ehcp_delay", "provision", "transport", "placement",
                                     "annual_review", "health"], k=rng.choice([1, 1, 2])))
            if rng.random() < 0.55 - month * 0.035:
                themes.add("communication")
            late = rng.random() < 0.35 - month * 0.02
            responded = rules.add_working_days(received, rng.randint(21, 35) if late
                                               else rng.randint(8, 20))
            still_open = month == 11 and rng.random() < 0.5
            outcome = "open" if still_open else rng.choice(
                ["upheld", "partly_upheld", "partly_upheld", "not_upheld", "not_upheld",
                 "withdrawn"])
            parsed.rows.append(ParsedComplaint(
                "", 0, f"DEMO-C-{number:03d}", received,
                rng.choice(list(rules.CHANNELS)), rng.choice(SERVICES),
                [t for t in rules.THEMES if t in themes], 2 if rng.random() < 0.1 else 1,
                outcome, None if still_open else responded))
    return parsed


COMPLIMENTS = [
    (dt.date(2024, 5, 14), "SEND casework", "Communication",
     "Invented example: thank you for ringing every week while the plan was written."),
    (dt.date(2024, 7, 2), "Educational psychology", "Advice",
     "Invented example: the advice really understood our son."),
    (dt.date(2024, 9, 20), "SEND transport", "Transport",
     "Invented example: the new driver has made mornings calm again."),
    (dt.date(2024, 11, 8), "Short breaks", "Provision",
     "Invented example: the holiday club was the best week of the year."),
    (dt.date(2025, 1, 15), "Speech and language therapy", "Provision",
     "Invented example: the drop-in saved us months of waiting."),
    (dt.date(2025, 3, 3), "SEND casework", "Annual review",
     "Invented example: the annual review was on time and listened to us."),
]
ENGAGEMENT = [
    # group, date, kind, hours, participants, topic, action refs
    ("Parent carer forum", dt.date(2024, 5, 9), "meeting", "2.5", 34,
     "Termly forum: waiting for EHC plans", ["1.1"]),
    ("Youth Parliament", dt.date(2024, 6, 19), "meeting", "2", 18,
     "SEND priorities for the year", []),
    ("Voice and Influence team SEND group", dt.date(2024, 7, 10), "consultation", "3", 12,
     "The Local Offer website", []),
    ("Parent carer forum", dt.date(2024, 10, 3), "meeting", "2.5", 41,
     "Termly forum: learning from complaints", ["1.4"]),
    ("Youth Parliament", dt.date(2024, 11, 13), "event", "4", 26,
     "Young people question the SEND Board", ["1.2"]),
    ("Parent carer forum", dt.date(2025, 1, 30), "consultation", "3", 57,
     "Annual parent carer survey design", []),
    ("Voice and Influence team SEND group", dt.date(2025, 2, 12), "meeting", "1.5", 9,
     "Preparing for adulthood", []),
    ("Parent carer forum", dt.date(2025, 3, 6), "meeting", "2.5", 38,
     "Termly forum: communication from the SEND team", ["1.1"]),
]
YOU_SAID = [
    # said, source, said_on, did, did_on, status, publish, action refs
    ("Invented example: we hear nothing while we wait for the EHC plan.", "forum",
     dt.date(2024, 5, 9), "Every family now gets a named caseworker and an update every "
     "fortnight until the plan is issued.", dt.date(2024, 9, 1), "done", True, ["1.1"]),
    ("Invented example: complaints go in and nothing seems to change.", "complaints",
     dt.date(2024, 6, 1), "Complaint themes are reported to the SEND Board every quarter, "
     "and families who complain are asked how it went.", dt.date(2024, 10, 3), "done", True,
     ["1.4"]),
    ("Invented example: young people want to hold leaders to account themselves.", "youth",
     dt.date(2024, 6, 19), "The Youth Parliament now questions the SEND Board twice a year.",
     dt.date(2024, 11, 13), "done", True, ["1.2"]),
    ("Invented example: the Local Offer is hard to find and hard to read.", "survey",
     dt.date(2024, 7, 10), "Young people are rewriting the Local Offer pages with the "
     "Voice and Influence team.", dt.date(2025, 1, 1), "in_progress", True, []),
    ("Invented example: plans arrive late and we miss the start of term.", "survey",
     dt.date(2024, 9, 15), "We have added caseworkers and track every plan against the 20 "
     "week deadline.", dt.date(2025, 2, 1), "in_progress", True, ["4.6"]),
    ("Invented example: therapy waiting lists are too long.", "forum",
     dt.date(2024, 10, 3), "", None, "listening", True, []),
    ("Invented example: transport changes are told to us the night before.", "complaints",
     dt.date(2025, 1, 20), "Transport changes are now sent a week ahead.",
     dt.date(2025, 3, 1), "done", False, []),
]


@transaction.atomic
def load_demo(partnership, *, by="demo") -> dict:
    """Load the invented records into the partnership; returns what was added. `by` is who
    acts: a user, a `System` actor, or the name of one."""
    rng = random.Random(2024)
    by = System(by) if isinstance(by, str) else by
    added = {"survey": 0, "complaints": 0, "compliments": 0, "engagement": 0, "you_said": 0}
    survey = actions.import_survey(partnership=partnership, parsed=_survey(rng),
                                   title=SURVEY_TITLE, period=SURVEY_PERIOD,
                                   audience="parents", run_by="Parent carer forum (invented)",
                                   by=by)
    added["survey"] = int(survey.created)
    if survey.created:
        confident = survey.survey.questions.get(number=1)
        actions.set_indicator(question=confident,
                              name="% of parents confident in SEND support (demo)",
                              by=by, source="demo")
    result = actions.import_complaints(partnership=partnership, parsed=_complaints(rng),
                                       by=by)
    added["complaints"] = len(result.created)
    if not Compliment.objects.filter(partnership=partnership,
                                     text__startswith="Invented example").exists():
        for received, service, theme, text in COMPLIMENTS:
            actions.create(obj=Compliment(partnership=partnership, received=received,
                                          service=service, theme=theme, text=text),
                           by=by, source="demo")
            added["compliments"] += 1
    if not Engagement.objects.filter(partnership=partnership,
                                     topic__startswith="Termly forum").exists():
        for group, held, kind, hours, people, topic, refs in ENGAGEMENT:
            linked, _ = resolve_refs(partnership.pk, refs)
            actions.create(obj=Engagement(partnership=partnership, group=group, held=held,
                                          kind=kind, hours=Decimal(hours),
                                          participants=people, topic=topic),
                           by=by, source="demo", links=linked)
            added["engagement"] += 1
    if not YouSaid.objects.filter(partnership=partnership,
                                  said__startswith="Invented example").exists():
        for said, source, said_on, did, did_on, status, publish, refs in YOU_SAID:
            linked, _ = resolve_refs(partnership.pk, refs)
            actions.create(obj=YouSaid(partnership=partnership, said=said, source=source,
                                       said_on=said_on, did=did, did_on=did_on,
                                       status=status, publish=publish),
                           by=by, source="demo", links=linked)
            added["you_said"] += 1
    return added
