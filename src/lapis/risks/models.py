"""The partnership's risk register: risks scored on a 5x5 matrix, linked to plan actions."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from lapis.core.tenancy import PartnershipScopedQuerySet
from lapis.partnership.models import Partnership, Person
from lapis.risks import rules

LEVEL = [MinValueValidator(1), MaxValueValidator(5)]
LEVEL_CHOICES = [(n, str(n)) for n in rules.LEVELS]


class Response(models.TextChoices):
    TOLERATE = "tolerate", "Tolerate"
    TREAT = "treat", "Treat"
    TRANSFER = "transfer", "Transfer"
    TERMINATE = "terminate", "Terminate"


class Trend(models.TextChoices):
    RISING = "rising", "Rising"
    STABLE = "stable", "Stable"
    FALLING = "falling", "Falling"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RiskQuerySet(PartnershipScopedQuerySet):
    def for_register(self):
        return self.select_related("owner", "partnership")


class Risk(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    code = models.CharField("risk ID", max_length=20, help_text='For example "R1"')
    code_key = models.CharField(max_length=80, editable=False, help_text="natural sort order")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="risks")
    inherent_likelihood = models.PositiveSmallIntegerField(validators=LEVEL,
                                                           choices=LEVEL_CHOICES)
    inherent_impact = models.PositiveSmallIntegerField(validators=LEVEL, choices=LEVEL_CHOICES)
    residual_likelihood = models.PositiveSmallIntegerField(validators=LEVEL,
                                                           choices=LEVEL_CHOICES)
    residual_impact = models.PositiveSmallIntegerField(validators=LEVEL, choices=LEVEL_CHOICES)
    response = models.CharField(max_length=10, choices=Response.choices)
    trend = models.CharField(max_length=10, choices=Trend.choices, default=Trend.STABLE)
    review_date = models.DateField(null=True, blank=True)
    actions = models.ManyToManyField("plans.Action", blank=True, related_name="risks",
                                     help_text="Actions that mitigate the risk")
    measures = models.TextField("measures in place", blank=True)
    status = models.CharField(max_length=10, choices=RiskStatus.choices,
                              default=RiskStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every saved edit, so a stale edit is refused")

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "code_key"]
        constraints = [
            models.UniqueConstraint("partnership", Lower("code"), name="risk_unique_code"),
            *[models.CheckConstraint(condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                                     name=f"risk_{name}_1_to_5")
              for name in ("inherent_likelihood", "inherent_impact", "residual_likelihood",
                           "residual_impact")],
        ]

    def __str__(self):
        return f"{self.code} {self.title[:60]}"

    def save(self, *args, **kwargs):
        self.code_key = rules.code_key(self.code)
        if kwargs.get("update_fields") is not None and "code" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "code_key"}
        super().save(*args, **kwargs)

    @property
    def ref(self) -> str:
        """What the history shows for this risk (see lapis.core.history.record)."""
        return self.code

    @property
    def inherent_score(self) -> int:
        return rules.score(self.inherent_likelihood, self.inherent_impact)

    @property
    def residual_score(self) -> int:
        return rules.score(self.residual_likelihood, self.residual_impact)

    @property
    def inherent_band(self) -> rules.Band:
        return rules.band(self.inherent_score)

    @property
    def residual_band(self) -> rules.Band:
        return rules.band(self.residual_score)

    @property
    def closed(self) -> bool:
        return self.status == RiskStatus.CLOSED

    def review_overdue(self, as_of) -> bool:
        return rules.review_overdue(self.review_date, as_of, closed=self.closed)

    def facts(self) -> rules.RiskFacts:
        return rules.RiskFacts(self.code, self.inherent_score, self.residual_score,
                               self.review_date, self.closed)
