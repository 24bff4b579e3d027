"""The improvement plan register: plans, status scales, priorities, objectives, actions."""

import re

from django.db import models

from lapis.core.tenancy import PartnershipScopedQuerySet
from lapis.partnership.models import Board, Partnership, Person


class Family(models.TextChoices):
    """What a status means, whatever a partnership calls it; the rules read families, not labels."""

    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    SOME_CONCERNS = "some_concerns", "Some concerns"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"
    EMBEDDED = "embedded", "Embedded or sustained"
    CLOSED = "closed", "Closed"


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"


class StatusScale(models.Model):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    def __str__(self):
        return self.name

    def match(self, label: str):
        """The status whose label matches, ignoring case and spacing; None if none does."""
        key = _label_key(label)
        return next((s for s in self.statuses.all() if _label_key(s.label) == key), None)


def _label_key(label: str) -> str:
    return re.sub(r"\s+", " ", label or "").strip().casefold()


class Status(models.Model):
    scale = models.ForeignKey(StatusScale, on_delete=models.CASCADE, related_name="statuses")
    label = models.CharField(max_length=100)
    colour = models.CharField(max_length=20, help_text="A GOV.UK tag colour name")
    family = models.CharField(max_length=20, choices=Family.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scale", "position"]
        constraints = [models.UniqueConstraint(fields=["scale", "label"], name="status_label")]

    def __str__(self):
        return self.label


class Plan(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(max_length=200)
    scale = models.ForeignKey(StatusScale, on_delete=models.PROTECT, related_name="plans")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="plan_unique_name"),
        ]

    def __str__(self):
        return self.name


class Priority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="priority_number"),
        ]

    def __str__(self):
        return f"Priority {self.number}"


class Objective(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField()

    def __str__(self):
        return self.text[:80]


class ActionQuerySet(PartnershipScopedQuerySet):
    partnership_path = "plan__partnership"

    def for_register(self):
        """Everything the register shows, in a fixed number of queries whatever the row count."""
        return self.select_related("priority", "objective", "status", "sro").prefetch_related(
            "leads", "boards"
        )


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="actions")
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    ref = models.CharField(max_length=30)
    ref_key = models.CharField(max_length=90, editable=False, help_text="natural sort order")
    description = models.TextField(blank=True)
    pillar = models.CharField("SEND reform pillar", max_length=100, blank=True)
    outcomes = models.TextField("intended outcomes and impact", blank=True)
    impact_measures = models.TextField(blank=True)
    sro = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="sro_actions"
    )
    leads = models.ManyToManyField(Person, through="ActionLead", related_name="led_actions")
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    due_date = models.DateField(null=True, blank=True)
    due_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    links = models.JSONField(default=list, blank=True,
                             help_text='[{"kind": "afi", "code": "AFI4"}]')
    dependencies = models.TextField("inter-dependencies", blank=True)
    status = models.ForeignKey(
        Status, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    last_reviewed = models.DateField(null=True, blank=True)
    boards = models.ManyToManyField(Board, through="ActionBoard", related_name="actions")
    bau_location = models.TextField("moved to business as usual: where", blank=True)
    closed = models.BooleanField(default=False, help_text="Closed through change control")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every saved edit, so a stale edit is refused"
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "ref_key"]
        constraints = [models.UniqueConstraint(fields=["plan", "ref"], name="action_unique_ref")]

    def __str__(self):
        return f"{self.ref} {self.description[:60]}"

    def save(self, *args, **kwargs):
        self.ref_key = ref_key(self.ref)
        super().save(*args, **kwargs)

    @property
    def start(self):
        return _partial(self.start_date, self.start_precision)

    @property
    def due(self):
        return _partial(self.due_date, self.due_precision)

    def ordered_leads(self):
        return [link.person for link in self.lead_links.all()]

    def ordered_boards(self):
        return [link.board for link in self.board_links.all()]


def ref_key(ref: str) -> str:
    """'3.11a' -> '0003.0011a' so that the database sorts refs as people read them."""
    return re.sub(r"\d+", lambda m: m.group().zfill(4), ref)


def _partial(value, precision):
    from lapis.core.dates import PartialDate

    return PartialDate(value, precision or "day") if value else None


class ActionLead(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="lead_links")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="lead_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["action", "person"], name="lead_once"),
        ]

    def __str__(self):
        return f"{self.person} leads {self.action.ref}"


class ActionBoard(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="board_links")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="action_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["action", "board"], name="board_once"),
        ]

    def __str__(self):
        return f"{self.action.ref} reports to {self.board}"


class ProgressEntry(models.Model):
    """A dated line of the progress log. Never edited in place: a correction is a new entry."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress")
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.CharField(max_length=150, blank=True)
    status_from = models.ForeignKey(
        Status, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_to = models.ForeignKey(
        Status, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The status this update set, if it changed it",
    )
    reason = models.TextField(blank=True, help_text="Why the status changed")

    class Meta:
        ordering = ["action", "position", "id"]
        verbose_name_plural = "progress entries"

    def __str__(self):
        return f"{self.date or 'undated'}: {self.text[:60]}"

    @property
    def when(self):
        return _partial(self.date, self.date_precision)


class ChangeKind(models.TextChoices):
    CLOSE = "close", "Close the action"
    BAU = "bau", "Move to business as usual"
    DUE_DATE = "due_date", "Change the due date"
    SCOPE = "scope", "Change the scope"
    OWNER = "owner", "Change the owner (SRO)"


class Decision(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ChangeRequestQuerySet(PartnershipScopedQuerySet):
    partnership_path = "action__plan__partnership"


class ChangeRequest(models.Model):
    """A proposed change to an action, decided by a board on a meeting date (change control)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    reason = models.TextField(help_text="The rationale for the change")
    evidence = models.TextField(blank=True, help_text="Evidence of impact")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="change_requests")
    new_due_date = models.DateField(null=True, blank=True)
    new_due_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    new_text = models.TextField(
        blank=True, help_text="The new scope, or where the action moved to business as usual"
    )
    new_owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_by = models.CharField(max_length=150)
    raised_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    decided_on = models.DateField(null=True, blank=True, help_text="The board's meeting date")
    decided_by = models.CharField(max_length=150, blank=True)
    decision_note = models.TextField(blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self):
        return f"CR-{self.pk} {self.get_kind_display()} {self.action.ref}"

    @property
    def code(self):
        return f"CR-{self.pk}"

    @property
    def new_due(self):
        return _partial(self.new_due_date, self.new_due_precision)
