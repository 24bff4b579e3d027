import calendar
import datetime as dt
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from lapis.cases import feed, loading
from lapis.cases.models import CaseImport
from lapis.core.actors import System
from lapis.demo import governance as governance_demo
from lapis.demo import inclusion as inclusion_demo
from lapis.demo import quality as quality_demo
from lapis.demo import risks as risk_demo
from lapis.demo import scorecard as scorecard_demo
from lapis.demo import sef as sef_demo
from lapis.demo import timeline as timeline_demo
from lapis.demo import voice as voice_demo
from lapis.governance import actions as meetings
from lapis.governance.models import Meeting
from lapis.partnership import actions as people
from lapis.partnership.commands import partnership_named
from lapis.partnership.models import Board, Role
from lapis.plans.models import Plan
from lapis.voice import feed as voice_feed

DEMO_PARTNERSHIP = "Hull Local Area Partnership (demo)"
DEMO_PLAN = "Hull SEND improvement plan"
DEMO_FILE = settings.PROJECT_DIR / "demo" / "hull-send-improvement-plan.xlsx"
EXAMPLE_CASES = Path(loading.__file__).with_name("examples")
# (username, role, the person they are in the plan, the boards they sit on)
LOGINS = [
    ("demo", Role.PROGRAMME_MANAGER, None, []),
    ("demo-lead", Role.LEAD, "Kelly Hare", []),
    ("demo-board", Role.BOARD_MEMBER, "Strategic Board chair (demo)",
     ["SEND Strategic Board", "SEND Delivery Group"]),
    ("demo-forum", Role.FORUM, "Hull Parent Carer Forum representative", []),
    ("demo-auditor", Role.AUDITOR, "EHC plan auditor, designated clinical officer (demo)", []),
]


class Command(BaseCommand):
    help = ("Load the demo partnership (Hull's real register, its boards, meetings, risks, "
            "milestones and figures, EHC plan audits and the voice of families) "
            "and print the demo logins.")

    def handle(self, *args, **options):
        partnership = partnership_named(DEMO_PARTNERSHIP, create=True, by=System("demo"))
        if not Plan.objects.filter(partnership=partnership, name=DEMO_PLAN).exists():
            call_command("import_plan", str(DEMO_FILE), plan=DEMO_PLAN,
                         partnership=DEMO_PARTNERSHIP, by="demo", stdout=self.stdout,
                         stderr=self.stderr)
        if not partnership.public:  # the friendly view, without names
            people.publish(partnership=partnership, public=True, names=partnership.public_names,
                           by=System("demo"), source="lapis demo")
        governance_demo.load(partnership)
        risk_demo.load(partnership)
        timeline_demo.load(Plan.objects.get(partnership=partnership, name=DEMO_PLAN))
        scorecard_demo.load(partnership)
        inclusion_demo.load(partnership)
        sef_demo.load(partnership)
        if not CaseImport.objects.filter(partnership=partnership).exists():
            # The hand-worked example set: a small pseudonymous extract for 2024.
            loading.import_cases(partnership=partnership, path=EXAMPLE_CASES,
                                 by=System("demo"),
                                 max_bytes=settings.LAPIS_MAX_CASE_IMPORT_BYTES)
            feed.publish(partnership, as_of=dt.date.today())
        quality_demo.load_demo(partnership, by="demo")
        voice_demo.load_demo(partnership, by="demo")
        voice_feed.publish(partnership, as_of=dt.date.today())
        added = meetings_ahead(partnership, dt.date.today())
        if added:
            self.stdout.write(f"Added {added} board meetings in the months ahead.")
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            for username, role, person, boards in LOGINS:
                login(partnership, username, role, person, boards, password)
        self.stdout.write(self.style.SUCCESS(
            "Demo logins, all with the password " + repr(password) + " (a new one each time "
            "`lapis demo` runs): " + "; ".join(
                f"{username} ({role.label.lower()}" + (f", {person}" if person else "") + ")"
                for username, role, person, _ in LOGINS)))


def login(partnership, username, role, person, boards, password):
    by = System("demo")
    sits_on = [Board.objects.get(partnership=partnership, name=name) for name in boards]
    user = get_user_model().objects.filter(username__iexact=username).first()
    if user is None:
        people.create_login(
            partnership=partnership, username=username, role=role, person=person or "",
            boards=sits_on, password=password, by=by, source="lapis demo")
        return
    # A second run: a new password, and the role, person and boards as LOGINS has them.
    people.update_login(partnership=partnership, user=user, role=role, person=person or "",
                        boards=sits_on, by=by, source="lapis demo")
    people.set_password(partnership=partnership, user=user, password=password, by=by,
                        source="lapis demo")


def _second_tuesday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7)


def _last_thursday(year: int, month: int) -> dt.date:
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.weekday() - 3) % 7)


def meetings_ahead(partnership, today: dt.date, months: int = 6) -> int:
    """Keep the demo alive: Delivery Group meetings for the next months, the Strategic Board
    each quarter, so that "due for update" always has a next meeting to prepare for."""
    group = Board.objects.get(partnership=partnership, name="SEND Delivery Group")
    board = Board.objects.get(partnership=partnership, name="SEND Strategic Board")
    wanted = []
    year, month = today.year, today.month
    for _ in range(months):
        wanted.append((group, _second_tuesday(year, month), "SEND Delivery Group"))
        if month in (3, 6, 9, 12):
            wanted.append((board, _last_thursday(year, month), "SEND Strategic Board"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    added = 0
    for body, date, title in wanted:
        if date > today and not Meeting.objects.filter(board=body, date=date).exists():
            meetings.add_meeting(board=body, date=date, title=f"{title}: {date:%B %Y}",
                                 by=System("demo"), source="demo")
            added += 1
    return added
