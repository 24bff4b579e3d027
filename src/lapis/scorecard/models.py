"""Indicators, the areas they are measured for, observations, targets and scorecard sets.

Published figures (DfE's, for every LA) are public: an observation with no partnership is
seen by every signed-in user. A partnership's own figures (a monthly local count) carry its
partnership and are seen only by its members. Areas are matched by code, never by name.
"""

from django.db import models

from lapis.core.tenancy import PartnershipScopedQuerySet, SharedOrOwnQuerySet
from lapis.partnership.models import Partnership


class Level(models.TextChoices):
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Regional"
    LA = "la", "Local authority"
    GROUP = "group", "Comparator group"


class Area(models.Model):
    code = models.CharField(max_length=12, unique=True,
                            help_text="DfE's 3-digit LA code (810), or E92000001, E12000003")
    new_code = models.CharField(max_length=12, blank=True, help_text="E06000010")
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=Level.choices)
    region = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="las")

    class Meta:
        ordering = ["level", "name"]

    def __str__(self):
        return self.name


class Neighbour(models.Model):
    """DfE's statistical neighbours: ten LAs most like this one, in DfE's order."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["area", "position"]
        constraints = [models.UniqueConstraint(fields=["area", "neighbour"], name="sn_once")]

    def __str__(self):
        return f"{self.neighbour} is neighbour {self.position} of {self.area}"


class Unit(models.TextChoices):
    PERCENT = "%", "Percentage"
    COUNT = "count", "Count"
    RATE = "rate", "Rate"
    WEEKS = "weeks", "Weeks"
    SCORE = "score", "Score"
    GRADE = "grade", "Grade"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEITHER = "neither", "Neither"


class VisibleQuerySet(SharedOrOwnQuerySet):
    """Public rows (no partnership) and the user's own partnerships' rows."""


class Indicator(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=6, choices=Unit.choices, default=Unit.PERCENT)
    polarity = models.CharField(max_length=8, choices=Polarity.choices,
                                default=Polarity.HIGHER)
    frequency = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=300, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, null=True,
                                    blank=True, help_text="Blank: a published indicator")
    # From LAIT's data dictionary (`lapis import_lait`); blank for other indicators.
    topic = models.CharField(max_length=100, blank=True)
    dps = models.PositiveSmallIntegerField(null=True, blank=True,
                                           help_text="decimal places shown; blank: as published")
    year_type = models.CharField(max_length=40, blank=True,
                                 help_text="Academic Year, Financial Year, Calendar Year ...")
    methodology = models.TextField(blank=True)
    discontinued = models.BooleanField(default=False)
    no_quartile = models.BooleanField(default=False, help_text="LAIT shows no quartile band")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Observation(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="observations")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="observations")
    period = models.CharField(max_length=20)
    period_start = models.DateField(help_text="for ordering periods")
    breakdown = models.CharField(max_length=120, default="All")
    value = models.FloatField(null=True, blank=True)
    suppressed = models.CharField(max_length=10, blank=True, help_text="x, z, c, low ...")
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, null=True,
                                    blank=True, help_text="Blank: published, seen by all")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period_start", "area"]
        constraints = [models.UniqueConstraint(
            fields=["indicator", "area", "period", "breakdown"], name="one_observation")]
        indexes = [models.Index(fields=["indicator", "breakdown", "period_start"])]

    def __str__(self):
        return f"{self.indicator.key} {self.area.code} {self.period} {self.breakdown}"


class Target(models.Model):
    """A partnership's baseline, milestones and target for one indicator in its own area."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    breakdown = models.CharField(max_length=120, default="All")
    baseline_value = models.FloatField()
    baseline_date = models.DateField()
    target_value = models.FloatField()
    target_date = models.DateField()
    milestones = models.JSONField(default=list, blank=True,
                                  help_text='[["2025-03-31", 40.0], ...]')
    tolerance = models.FloatField(default=1.0, help_text="within this of the trajectory is "
                                  "on track")
    source = models.CharField(max_length=300, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["partnership", "indicator", "breakdown"], name="one_target")]

    def __str__(self):
        return f"{self.indicator}: {self.baseline_value} to {self.target_value}"


class ScorecardSet(models.Model):
    """A named scorecard: "Strategic Board scorecard", "Monthly headline impact measures"."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="scorecards")
    name = models.CharField(max_length=200)
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True,
                             help_text="Whose figures it shows; blank: the partnership's own LA")
    indicators = models.ManyToManyField(Indicator, through="ScorecardItem")

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"],
                                               name="scorecard_name")]

    def __str__(self):
        return self.name


class ScorecardItem(models.Model):
    scorecard = models.ForeignKey(ScorecardSet, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return f"{self.indicator} in {self.scorecard}"


class MeasureQuerySet(PartnershipScopedQuerySet):
    partnership_path = "action__plan__partnership"


class ActionMeasure(models.Model):
    """Benefits realisation: an action's impact measure is an indicator, so the action page,
    the register and the board see the evidence beside the action's own rating."""

    action = models.ForeignKey("plans.Action", on_delete=models.CASCADE,
                               related_name="measures")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="action_links")
    breakdown = models.CharField(max_length=120, default="All")

    objects = MeasureQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "indicator", "breakdown"],
                                               name="measure_once")]

    def __str__(self):
        return f"{self.action.ref} is measured by {self.indicator}"
