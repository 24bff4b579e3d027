"""A local area partnership, its people, its boards, and who may sign in to it."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from lapis.core.tenancy import PartnershipScopedQuerySet


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    la_code = models.CharField(
        "local authority code", max_length=10, blank=True,
        help_text="DfE's 3-digit code of the partnership's own LA, e.g. 810 for Hull",
    )
    public = models.BooleanField(
        default=False, help_text="Publish a friendly view of the plan at /public/ID/, no login"
    )
    public_names = models.BooleanField(
        default=False, help_text="Show the names of action owners on the public view"
    )
    two_factor = models.BooleanField(
        "two-factor sign-in", default=False,
        help_text="Administrators and programme managers prove a code from an authenticator "
                  "app when they sign in"
    )

    def __str__(self):
        return self.name


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council"
    ICB = "icb", "Integrated care board"
    HEALTH_PROVIDER = "health_provider", "Health provider"
    FORUM = "forum", "Parent carer forum"
    SCHOOL = "school", "School or trust"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A partner: the council, the ICB, a health provider, the parent carer forum, a school."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices,
                            default=OrganisationKind.OTHER)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("partnership", Lower("name"), name="organisation_unique_name"),
        ]

    def __str__(self):
        return self.name


class Person(models.Model):
    """Someone named in the plan (an SRO, an improvement lead), with a login or not."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, help_text="Where reminders go")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("partnership", Lower("name"), name="person_unique_name"),
        ]

    def __str__(self):
        return self.name


class Board(models.Model):
    """A governance board or group that actions report to."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(max_length=200)
    terms_of_reference = models.TextField(blank=True)
    members = models.ManyToManyField(Person, blank=True, related_name="boards")

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("partnership", Lower("name"), name="board_unique_name"),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    LEAD = "lead", "Lead"
    BOARD_MEMBER = "board_member", "Board member"
    FORUM = "forum", "Parent carer forum member"
    AUDITOR = "auditor", "Auditor"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.VIEWER)
    active = models.BooleanField(
        default=True, help_text="Switched off, the login keeps its history but has no access "
                                "to this partnership (other partnerships are not affected)")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships",
        help_text="Who this login is in the plan: a lead updates the actions this person leads",
    )
    boards = models.ManyToManyField(
        Board, blank=True, related_name="logins",
        help_text="Boards this login sits on without being named in the plan (a board member "
                  "with no person); members named in the plan sit on boards through Board.members",
    )

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="one_membership"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) in {self.partnership}"


class SignIn(models.Model):
    """One attempt to sign in: who (as typed), from where, and what came of it."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", "Signed in"
        FAILURE = "failure", "Wrong username or password"
        LOCKOUT = "lockout", "Locked out"
        RESET = "reset", "Asked to reset the password"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=20, default="password")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.username}: {self.get_outcome_display()} at {self.at:%Y-%m-%d %H:%M}"


class Download(models.Model):
    """A file a signed-in person took away: an export, a report, a board pack."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, null=True,
                                    related_name="downloads")
    path = models.CharField(max_length=500)
    filename = models.CharField(max_length=255, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user}: {self.path}"


class ExternalIdentity(models.Model):
    """A login's identity at a single sign-on provider: the issuer and its stable subject
    (Entra's `oid`), so a changed email address still finds the same login."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="external_identities")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=300)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_external_identity"),
        ]

    def __str__(self):
        return f"{self.user} at {self.issuer}"
