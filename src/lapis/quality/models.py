"""Quality assurance of EHC plans: audit frameworks as data, samples, audits and their grades,
moderation, findings with themes, and follow-ups.

A framework is shared (partnership empty: shipped with LAPIS, e.g. the EHC plan framework by
section of the SEND Code of Practice, and Plymouth's "Ten Wishes") or a partnership's own.
Plan IDs are pseudonymous (the case system's PlanID): no names are ever held here.
"""

from django.db import models
from django.db.models import Q

from lapis.core.tenancy import PartnershipScopedQuerySet, SharedOrOwnQuerySet
from lapis.partnership.models import Partnership, Person
from lapis.quality import rules


class Grade(models.TextChoices):
    OUTSTANDING = rules.OUTSTANDING, rules.OUTSTANDING
    GOOD = rules.GOOD, rules.GOOD
    REQUIRES_IMPROVEMENT = rules.REQUIRES_IMPROVEMENT, rules.REQUIRES_IMPROVEMENT
    INADEQUATE = rules.INADEQUATE, rules.INADEQUATE


class Method(models.TextChoices):
    RECORDED = rules.RECORDED, "Recorded by the auditor"
    COMPUTED = rules.COMPUTED, "Computed from the weighted criteria"


class Contributor(models.TextChoices):
    NONE = "", "Not one contributor's advice"
    EDUCATION = "education", "Education advice"
    HEALTH = "health", "Health advice"
    SOCIAL_CARE = "social_care", "Social care advice"


class FrameworkQuerySet(SharedOrOwnQuerySet):
    """Shared frameworks, and the partnership's own ones for its members."""


class Framework(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, null=True,
                                    blank=True, related_name="audit_frameworks",
                                    help_text="Empty for a framework shipped with LAPIS")
    key = models.SlugField(max_length=60, help_text='For example "ehc-plan"')
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=40, help_text='For example "2024"')
    description = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text="Where the framework comes from")
    scale = models.JSONField(help_text='Criterion score labels, lowest first: ["Not met", '
                             '"Partly met", "Met"]; a score is its position')
    outstanding_from = models.DecimalField(max_digits=5, decimal_places=2,
                                           help_text="Lowest weighted score (0-100) for "
                                           "Outstanding")
    good_from = models.DecimalField(max_digits=5, decimal_places=2)
    requires_improvement_from = models.DecimalField(max_digits=5, decimal_places=2)
    active = models.BooleanField(default=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], condition=Q(partnership=None),
                                    name="framework_shared_key"),
            models.UniqueConstraint(fields=["partnership", "key", "version"],
                                    name="framework_own_key"),
        ]

    def __str__(self):
        return f"{self.name} ({self.version})"

    def thresholds(self) -> rules.Thresholds:
        return rules.Thresholds.of(self.outstanding_from, self.good_from,
                                   self.requires_improvement_from)


class Section(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=10, help_text='"A".."K", "H1", "H2"')
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, help_text="What the section is for")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"],
                                               name="section_code")]

    def __str__(self):
        return f"{self.code}: {self.title}"


class Criterion(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=12, help_text='For example "A1"')
    text = models.TextField()
    guidance = models.TextField("what good looks like", blank=True)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    contributor = models.CharField(max_length=12, choices=Contributor.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section", "position"]
        constraints = [models.UniqueConstraint(fields=["section", "code"],
                                               name="criterion_code")]

    def __str__(self):
        return f"{self.code}: {self.text}"


class Sample(models.Model):
    """The plans chosen for a month's audit, by hand or drawn at random."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="audit_samples")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="samples")
    month = models.DateField(help_text="The 1st of the month audited")
    size = models.PositiveIntegerField(default=0)
    filters = models.JSONField(default=dict, blank=True,
                               help_text='How it was drawn: {"phase": .., "need": .., "team": '
                               '.., "seed": ..}')
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-pk"]

    def __str__(self):
        return f"Sample for {self.month:%B %Y}"


class SampledPlan(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="plans")
    plan_id = models.CharField(max_length=100, help_text="Pseudonymous PlanID")
    phase = models.CharField(max_length=40, blank=True)
    need = models.CharField(max_length=60, blank=True)
    team = models.CharField(max_length=100, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sample", "position"]
        constraints = [models.UniqueConstraint(fields=["sample", "plan_id"],
                                               name="sampled_once")]

    def __str__(self):
        return f"Sampled plan {self.position + 1}"


class AuditQuerySet(PartnershipScopedQuerySet):
    def counted(self):
        """Audits that count in reports: not second gradings made for moderation."""
        return self.filter(moderates__isnull=True)


class Audit(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="audits")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="audits")
    audit_id = models.CharField(max_length=60, help_text="The audit's own reference")
    plan_id = models.CharField(max_length=100, help_text="Pseudonymous PlanID")
    audit_date = models.DateField()
    auditor = models.CharField(max_length=150)
    agency = models.CharField(max_length=100, help_text="Education, health, social care ...")
    phase = models.CharField(max_length=40, blank=True)
    need = models.CharField(max_length=60, blank=True)
    team = models.CharField(max_length=100, blank=True)
    sample = models.ForeignKey(Sample, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="audits")
    moderates = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="moderations",
                                  help_text="The audit this one grades again, for moderation")
    notes = models.TextField(blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-audit_date", "-audit_id"]
        constraints = [models.UniqueConstraint(fields=["partnership", "audit_id"],
                                               name="audit_unique_id")]
        indexes = [models.Index(fields=["partnership", "audit_date"], name="audit_date")]

    def __str__(self):
        # Never the plan ID: this is what history and logs show to everyone in the partnership.
        return f"Audit {self.audit_id}"


class AuditGrade(models.Model):
    """A section's grade, or the plan's (section "overall"), recorded or computed."""

    OVERALL = "overall"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="grades")
    section = models.CharField(max_length=10, help_text='A section code, or "overall"')
    grade = models.CharField(max_length=24, choices=Grade.choices)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.RECORDED)
    score = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True,
                                help_text="The weighted score (0-100) when computed")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "section"],
                                               name="grade_once")]

    def __str__(self):
        return f"{self.section}: {self.grade}"


class CriterionScore(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(help_text="Position on the framework's scale")
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "criterion"],
                                               name="score_once")]

    def __str__(self):
        return f"Score {self.score}"


class Theme(models.Model):
    """A recurring theme of findings ("health advice not specific"), which can be raised as an
    improvement plan action."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="audit_themes")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    action = models.ForeignKey("plans.Action", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="audit_themes",
                               help_text="The improvement action raised for it")

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"],
                                               name="theme_unique_name")]

    def __str__(self):
        return self.name


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    DEVELOPMENT = "development", "Area for development"


class Finding(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    section = models.CharField(max_length=10, blank=True)
    kind = models.CharField(max_length=12, choices=FindingKind.choices,
                            default=FindingKind.DEVELOPMENT)
    text = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="findings")
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.get_kind_display()} (audit {self.audit.audit_id})"


class FollowUpKind(models.TextChoices):
    AMEND = "amend", "Amend the plan"
    REAUDIT = "reaudit", "Re-audit"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class FollowUp(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=10, choices=FollowUpKind.choices)
    description = models.TextField()
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="audit_follow_ups")
    due = models.DateField()
    done = models.DateField(null=True, blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} follow-up (audit {self.audit.audit_id})"

    @property
    def is_open(self) -> bool:
        return self.done is None


class AuditImport(models.Model):
    """Who imported which file when, for the history."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="audit_imports")
    file_name = models.CharField(max_length=255)
    by = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict)

    def __str__(self):
        return f"{self.file_name} ({self.at:%d %b %Y})"

