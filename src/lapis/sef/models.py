"""The self-evaluation (SEF): an inspection framework's areas, and a partnership's content for each.

The framework is data, loaded by a migration and versioned, so a later framework can sit beside
the current one; a partnership's SEF has one `SefArea` per area of the framework it uses.
Evidence, priorities and areas for improvement link to plan actions and indicators rather than
quoting them, so the document and the checks read the live records.
"""

from django.db import models

from lapis.core.tenancy import PartnershipScopedQuerySet
from lapis.partnership.models import Partnership


class Framework(models.Model):
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    valid_from = models.DateField()

    class Meta:
        ordering = ["-valid_from", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "version"],
                                               name="framework_version")]

    def __str__(self):
        return f"{self.name} ({self.version})"


class FrameworkArea(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField()
    title = models.TextField()
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"],
                                               name="framework_area_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Judgement(models.TextChoices):
    STRONG = "strong", "Strong"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class SefArea(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="sef_areas")
    area = models.ForeignKey(FrameworkArea, on_delete=models.PROTECT, related_name="+")
    big_picture = models.TextField(blank=True)
    judgement = models.CharField("self-assessed judgement", max_length=25, blank=True,
                                 choices=Judgement.choices)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every saved edit, so a stale edit is refused")

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "area__framework", "area__number"]
        constraints = [models.UniqueConstraint(fields=["partnership", "area"],
                                               name="sef_area_once")]

    def __str__(self):
        return f"Area {self.area.number}"

    @property
    def ref(self):
        return f"SEF area {self.area.number}"

    def paragraphs(self) -> list[str]:
        """The big picture's paragraphs (blank-line separated), for pages and documents."""
        return [p.strip() for p in self.big_picture.split("\n\n") if p.strip()]

    def has_content(self) -> bool:
        return bool(self.big_picture.strip() or self.judgement or self.evidence.exists()
                    or self.priorities.exists())


class EvidenceKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    DEVELOPMENT = "development", "Area for development"


class SourceKind(models.TextChoices):
    INSPECTION = "inspection", "Inspection report quote"
    ANNUAL_REPORT = "annual_report", "Annual report"
    AUDIT = "audit", "Audit"
    INDICATOR = "indicator", "Indicator"


class ScopedByArea(PartnershipScopedQuerySet):
    partnership_path = "sef_area__partnership"


class EvidenceItem(models.Model):
    sef_area = models.ForeignKey(SefArea, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=12, choices=EvidenceKind.choices,
                            default=EvidenceKind.STRENGTH)
    number = models.CharField(max_length=12, help_text='As the SEF numbers it: "1.7"')
    number_key = models.CharField(max_length=40, editable=False)
    text = models.TextField()
    source_kind = models.CharField(max_length=15, choices=SourceKind.choices)
    source = models.CharField(max_length=300, blank=True,
                              help_text='Where it comes from: "SEND inspection report, '
                              'November 2023"')
    indicator = models.ForeignKey("scorecard.Indicator", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    period = models.CharField(max_length=20, blank=True, help_text="The indicator's period")
    breakdown = models.CharField(max_length=120, blank=True, default="All")
    figure = models.FloatField("figure quoted", null=True, blank=True)

    objects = ScopedByArea.as_manager()

    class Meta:
        ordering = ["sef_area", "number_key", "id"]

    def __str__(self):
        return f"{self.number} {self.text[:60]}"

    def save(self, *args, **kwargs):
        from lapis.plans.models import ref_key

        self.number_key = ref_key(self.number)
        super().save(*args, **kwargs)


class SefPriority(models.Model):
    sef_area = models.ForeignKey(SefArea, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    actions = models.ManyToManyField("plans.Action", blank=True, related_name="sef_priorities")
    indicators = models.ManyToManyField("scorecard.Indicator", blank=True, related_name="+")

    objects = ScopedByArea.as_manager()

    class Meta:
        ordering = ["sef_area", "position", "id"]
        verbose_name_plural = "SEF priorities"

    def __str__(self):
        return self.text[:80]


class Afi(models.Model):
    """An area for improvement named by the last inspection ("AFI4")."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="afis")
    code = models.CharField(max_length=20)
    text = models.TextField(blank=True)
    actions = models.ManyToManyField("plans.Action", blank=True, related_name="afis")
    indicators = models.ManyToManyField("scorecard.Indicator", blank=True, related_name="+")

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "code"]
        verbose_name = "area for improvement"
        constraints = [models.UniqueConstraint(fields=["partnership", "code"],
                                               name="afi_code_once")]

    def __str__(self):
        return self.code

    @property
    def ref(self):
        return self.code
