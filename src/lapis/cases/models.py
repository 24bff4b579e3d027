"""Pseudonymised EHC case events, in the shape of DfE's SEN2 person-level return.

No names, no UPNs, no dates of birth: a person is the case system's pseudonymous ID, a month
and year of birth and a sex. Every table carries its partnership, so each is scoped through
`.visible_to(user)` and each grouped scan (requests received in a period, plans issued in it,
review meetings in it) is one indexed range over one table.

The case tables are the partnership's extract of record: `lapis import_cases` replaces them
wholesale (`lapis.cases.loading`). That is why the links between case rows are
`DO_NOTHING`: the loader deletes children before parents, one DELETE per table, instead of
Django's collector loading a million rows to cascade; the database's own foreign-key check
still refuses an orphan. Deleting a partnership deletes every table through its own
partnership foreign key.
"""

from django.db import models

from lapis.core.tenancy import PartnershipScopedQuerySet
from lapis.partnership.models import Partnership


class Outcome(models.TextChoices):
    """SEN2's request and assessment outcomes."""

    YES = "Y", "Y: yes (assess / issue a plan)"
    NO = "N", "N: no (not to assess / not to issue)"
    A = "A", "A"
    WITHDRAWN = "W", "W: withdrawn"
    H = "H", "H"


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


class ReviewOutcome(models.TextChoices):
    MAINTAIN = "maintain", "Maintain the plan"
    AMEND = "amend", "Amend the plan"
    CEASE = "cease", "Cease the plan"


class SENType(models.TextChoices):
    ASD = "ASD", "Autistic spectrum disorder"
    SLCN = "SLCN", "Speech, language and communication needs"
    SEMH = "SEMH", "Social, emotional and mental health"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SPLD = "SPLD", "Specific learning difficulty"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    OTH = "OTH", "Other difficulty or disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"


def _partnership(related_name):
    return models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name=related_name)


class CaseImport(models.Model):
    """One successful `lapis import_cases`: what came in, and the warnings it raised."""

    partnership = _partnership("case_imports")
    file_name = models.CharField(max_length=255)
    imported_at = models.DateTimeField(auto_now_add=True)
    by = models.CharField(max_length=150, help_text="Username, or the command that ran it")
    counts = models.JSONField(default=dict, help_text="Rows imported per module")
    warnings = models.JSONField(
        default=list, help_text="The soft problems: [{file, sheet, row, column, header, "
        "message}], at most 10,000")
    warnings_total = models.PositiveIntegerField(default=0)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-id"]
        get_latest_by = ["imported_at", "id"]

    def __str__(self):
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class CasePerson(models.Model):
    partnership = _partnership("case_people")
    person_id = models.CharField("PersonID", max_length=100, help_text="Pseudonymous ID")
    birth_month = models.DateField(help_text="The 1st of the month of birth")
    sex = models.CharField(max_length=1, choices=Sex.choices)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "person_id"],
                                               name="case_person_unique_id")]

    def __str__(self):
        return self.person_id


class CaseRequest(models.Model):
    """A request for an EHC needs assessment. Day 0 of every clock is `received`."""

    partnership = _partnership("case_requests")
    request_id = models.CharField("RequestID", max_length=100)
    person = models.ForeignKey(CasePerson, on_delete=models.DO_NOTHING, related_name="requests")
    received = models.DateField()
    source = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=1, choices=Outcome.choices, blank=True,
                               help_text="Blank while undecided")
    outcome_date = models.DateField(null=True, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "request_id"],
                                               name="case_request_unique_id")]
        indexes = [
            models.Index(fields=["partnership", "received"], name="case_request_received"),
            models.Index(fields=["partnership", "outcome_date"], name="case_request_decided"),
        ]

    def __str__(self):
        return self.request_id


class CaseAssessment(models.Model):
    """The EHC needs assessment of a request: outcome Y is a plan issued on `outcome_date`."""

    partnership = _partnership("case_assessments")
    request = models.OneToOneField(CaseRequest, on_delete=models.DO_NOTHING,
                                   related_name="assessment")
    outcome = models.CharField(max_length=1, choices=Outcome.choices, blank=True,
                               help_text="Blank while the assessment is open")
    outcome_date = models.DateField(null=True, blank=True,
                                    help_text="The plan's issue date, or the notice not to "
                                    "issue")
    week20 = models.BooleanField(default=False,
                                 help_text="A statutory exception to the 20-week limit applies")

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["partnership", "outcome_date"], name="case_assessment_decided"),
        ]

    def __str__(self):
        return f"assessment of {self.request_id}"


class CasePlan(models.Model):
    """A named EHC plan. `request` is empty for a plan made before the years the file covers."""

    partnership = _partnership("case_plans")
    plan_id = models.CharField("PlanID", max_length=100)
    person = models.ForeignKey(CasePerson, on_delete=models.DO_NOTHING, related_name="plans")
    request = models.ForeignKey(CaseRequest, on_delete=models.DO_NOTHING, null=True,
                                blank=True, related_name="plans")
    start = models.DateField()
    cease = models.DateField(null=True, blank=True)
    cease_reason = models.CharField(max_length=100, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "plan_id"],
                                               name="case_plan_unique_id")]
        indexes = [models.Index(fields=["partnership", "start"], name="case_plan_start")]

    def __str__(self):
        return self.plan_id


class CaseReview(models.Model):
    """An annual (or phase-transfer) review of a plan, from the meeting to the amended plan."""

    partnership = _partnership("case_reviews")
    plan = models.ForeignKey(CasePlan, on_delete=models.DO_NOTHING, related_name="reviews")
    meeting = models.DateField()
    decision_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=ReviewOutcome.choices, blank=True,
                               help_text="Blank while undecided")
    amendment_notice = models.DateField(null=True, blank=True)
    amended_plan = models.DateField(null=True, blank=True)
    phase_transfer_due = models.DateField(null=True, blank=True)
    phase_transfer_final = models.DateField(null=True, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "meeting"],
                                               name="case_review_one_per_meeting")]
        indexes = [
            models.Index(fields=["partnership", "meeting"], name="case_review_meeting"),
            models.Index(fields=["partnership", "amendment_notice"],
                         name="case_review_notice"),
        ]

    def __str__(self):
        return f"review of {self.plan_id} on {self.meeting}"


class CaseNeed(models.Model):
    """A type of special educational need, ranked: 1 is the primary need."""

    partnership = _partnership("case_needs")
    person = models.ForeignKey(CasePerson, on_delete=models.DO_NOTHING, related_name="needs")
    sen_type = models.CharField(max_length=4, choices=SENType.choices)
    rank = models.PositiveSmallIntegerField()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "rank"],
                                               name="case_need_one_per_rank")]

    def __str__(self):
        return f"{self.sen_type} ({self.rank})"


CASE_TABLES = (CaseReview, CaseNeed, CaseAssessment, CasePlan, CaseRequest, CasePerson)
"""Children before parents: the order `loading` deletes in."""
