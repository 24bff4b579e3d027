import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from lapis.partnership.models import Membership, Partnership, Role
from lapis.plans.models import Plan

DEMO_PARTNERSHIP = "Hull Local Area Partnership (demo)"
DEMO_PLAN = "Hull SEND improvement plan"
DEMO_FILE = settings.PROJECT_DIR / "demo" / "hull-send-improvement-plan.xlsx"


class Command(BaseCommand):
    help = "Load the demo partnership (Hull's real register) and print a demo login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")

    def handle(self, *args, **options):
        partnership, _ = Partnership.objects.get_or_create(name=DEMO_PARTNERSHIP)
        if not Plan.objects.filter(partnership=partnership, name=DEMO_PLAN).exists():
            call_command("import_plan", str(DEMO_FILE), plan=DEMO_PLAN,
                         partnership=DEMO_PARTNERSHIP, by="demo", stdout=self.stdout,
                         stderr=self.stderr)
        user, _ = get_user_model().objects.get_or_create(username=options["username"])
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        Membership.objects.update_or_create(
            user=user, partnership=partnership,
            defaults={"role": Role.PROGRAMME_MANAGER})
        self.stdout.write(self.style.SUCCESS(
            f"Demo login: username {user.username!r}, password {password!r} "
            "(a new password each time `lapis demo` runs)"))
