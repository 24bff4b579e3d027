"""Milestones: dated deliverables of an action or of a whole priority (workstream)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from lapis.core.tenancy import PartnershipScopedQuerySet
from lapis.plans.models import Action, Plan, Precision, Priority
from lapis.timeline.rules import When


class MilestoneQuerySet(PartnershipScopedQuerySet):
    partnership_path = "plan__partnership"


class Milestone(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="milestones")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="milestones",
                                 help_text="For a milestone of the whole priority (workstream)")
    title = models.CharField(max_length=300)
    planned_date = models.DateField(help_text="The date first planned")
    planned_precision = models.CharField(max_length=5, choices=Precision.choices,
                                         default=Precision.DAY)
    current_date = models.DateField(help_text="The date now forecast")
    current_precision = models.CharField(max_length=5, choices=Precision.choices,
                                         default=Precision.DAY)
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every saved edit, so a stale edit is refused")

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["current_date", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(action__isnull=False, priority__isnull=True)
                           | Q(action__isnull=True, priority__isnull=False)),
                name="milestone_action_or_priority",
                violation_error_message="A milestone belongs to an action or to a priority, "
                                        "not both and not neither.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def planned(self) -> When:
        return When(self.planned_date, self.planned_precision)

    @property
    def current(self) -> When:
        return When(self.current_date, self.current_precision)

    @property
    def belongs_to(self) -> str:
        """'Action 4.6' or 'Priority 4'."""
        if self.action_id:
            return f"Action {self.action.ref}"
        return f"Priority {self.priority.number}" if self.priority_id else ""

    def clean(self):
        errors = {}
        if bool(self.action_id) == bool(self.priority_id):
            message = ("Choose an action or a priority, not both" if self.action_id
                       else "Choose the action or the priority this milestone belongs to")
            errors["action"] = message
        elif self.plan_id:
            if self.action_id and self.action.plan_id != self.plan_id:
                errors["action"] = "That action is in another plan"
            if self.priority_id and self.priority.plan_id != self.plan_id:
                errors["priority"] = "That priority is in another plan"
        for name in ("planned", "current"):
            value, precision = getattr(self, f"{name}_date"), getattr(self, f"{name}_precision")
            if value and precision == Precision.MONTH and value.day != 1:
                setattr(self, f"{name}_date", value.replace(day=1))
        if errors:
            raise ValidationError(errors)
