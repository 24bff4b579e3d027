"""Schools and their inclusion figures (exclusions, suspensions, attendance, persistent
absence, part-time timetables, elective home education), term by term or year by year.

Each partnership holds its own schools; a URN is unique within a partnership. The measures
are fixed in `lapis.inclusion.rules.MEASURES`.
"""

from django.db import models

from lapis.core.tenancy import PartnershipScopedQuerySet
from lapis.inclusion import rules
from lapis.partnership.models import Partnership

PHASE_CHOICES = list(rules.PHASES.items())
MEASURE_CHOICES = [(k, m.name) for k, m in rules.MEASURES.items()]


class School(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="inclusion_schools")
    urn = models.CharField("URN", max_length=10, help_text="DfE's unique reference number")
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=12, choices=PHASE_CHOICES)
    trust = models.CharField(max_length=200, blank=True,
                             help_text="The academy trust; blank for a maintained school")
    locality = models.CharField(max_length=100, blank=True)
    pupils = models.PositiveIntegerField("pupils on roll", null=True, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "urn"], name="school_unique_urn"),
        ]

    def __str__(self):
        return f"{self.name} ({self.urn})"

    @property
    def ref(self) -> str:
        """What the history shows for this school (see lapis.core.history.record)."""
        return f"URN {self.urn}"


class FigureQuerySet(PartnershipScopedQuerySet):
    partnership_path = "school__partnership"


class SchoolFigure(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="figures")
    measure = models.CharField(max_length=30, choices=MEASURE_CHOICES)
    period = models.CharField(max_length=20, help_text='"2024/25 Autumn" or "2023/24"')
    count = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField(
        null=True, blank=True, help_text="Pupils on roll, or possible sessions for attendance")
    value = models.FloatField(null=True, blank=True,
                              help_text="Per 100 of the denominator (a rate or a percentage)")
    source = models.CharField(max_length=300, blank=True)

    objects = FigureQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["school", "measure", "period"],
                                    name="school_figure_once"),
        ]

    def __str__(self):
        return f"{self.school.name}: {self.get_measure_display()} {self.period}"

    def save(self, *args, **kwargs):
        self.value = rules.rate(self.count, self.denominator)
        super().save(*args, **kwargs)

    @property
    def ref(self) -> str:
        return f"{self.school.urn} {self.measure} {self.period}"[:60]
