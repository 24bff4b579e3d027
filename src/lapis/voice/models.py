"""The voice of children, young people and families: surveys, complaints, compliments,
engagement and "you said, we did". No names of families are held: a complaint has a
pseudonymous reference only, a survey response a respondent ID from the survey tool (or its row
number), and a survey import drops columns that look like names or contact details."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from lapis.core.tenancy import PartnershipScopedQuerySet
from lapis.partnership.models import Partnership
from lapis.voice import rules


def _choices(mapping):
    return list(mapping.items())


class VoiceSettings(models.Model):
    """The council's complaint response standards, per partnership."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE,
                                       related_name="voice_settings")
    stage_1_working_days = models.PositiveSmallIntegerField(
        default=rules.DEFAULT_STANDARD_DAYS[1], validators=[MinValueValidator(1)])
    stage_2_working_days = models.PositiveSmallIntegerField(
        default=rules.DEFAULT_STANDARD_DAYS[2], validators=[MinValueValidator(1)])

    objects = PartnershipScopedQuerySet.as_manager()

    def __str__(self):
        return f"Complaint response standards of {self.partnership}"

    @property
    def ref(self) -> str:
        return "complaint response standards"

    def standard(self, stage: int) -> int:
        return self.stage_2_working_days if stage == 2 else self.stage_1_working_days


class Audience(models.TextChoices):
    PARENTS = "parents", "Parents and carers"
    YOUNG_PEOPLE = "young_people", "Children and young people"
    SENCOS = "sencos", "SENCOs"
    PROFESSIONALS = "professionals", "Professionals"
    OTHER = "other", "Other"


class Survey(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="surveys")
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=20, choices=Audience.choices,
                                default=Audience.PARENTS)
    period = models.CharField(max_length=20, blank=True,
                              help_text="A scorecard period: 2024, 2024/25, 2024-25, 2024-04")
    run_by = models.CharField(max_length=200, blank=True,
                              help_text="For example, the parent carer forum")
    source_file = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-created_at", "title"]
        constraints = [models.UniqueConstraint("partnership", Lower("title"), "period",
                                               name="survey_unique_title_period")]

    def __str__(self):
        return f"{self.title} {self.period}".strip()

    @property
    def ref(self) -> str:
        return str(self)[:60]


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=_choices(rules.KINDS))
    indicator_name = models.CharField(
        max_length=200, blank=True,
        help_text='Publish this question to the scorecard, for example "% of parents '
        'confident in SEND support"')

    class Meta:
        ordering = ["survey", "number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"],
                                               name="question_unique_number")]

    def __str__(self):
        return f"Q{self.number} {self.text[:60]}"

    @property
    def ref(self) -> str:
        return f"Q{self.number}"


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.CharField(max_length=100, help_text="The survey tool's ID, or the row")
    submitted = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "respondent"],
                                               name="response_unique_respondent")]

    def __str__(self):
        return f"Response {self.respondent}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE,
                                 related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"],
                                               name="answer_once")]

    def __str__(self):
        return self.value[:60]


class Complaint(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="complaints")
    reference = models.CharField(max_length=40, help_text="A pseudonymous reference, never a "
                                 "name: for example C-2024-017")
    received = models.DateField()
    channel = models.CharField(max_length=12, choices=_choices(rules.CHANNELS))
    service = models.CharField(max_length=200, blank=True)
    themes = models.JSONField(default=list, blank=True, help_text="Theme keys")
    stage = models.PositiveSmallIntegerField(choices=_choices(rules.STAGES), default=1)
    outcome = models.CharField(max_length=15, choices=_choices(rules.OUTCOMES), default="open")
    responded = models.DateField("response date", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-received", "reference"]
        constraints = [models.UniqueConstraint("partnership", Lower("reference"),
                                               name="complaint_unique_reference")]

    def __str__(self):
        return f"Complaint {self.reference}"

    @property
    def ref(self) -> str:
        return self.reference

    @property
    def theme_labels(self) -> list[str]:
        return [rules.THEMES.get(t, t) for t in self.themes]

    def timeliness(self, standard: int, as_of) -> rules.Timeliness:
        return rules.timeliness(self.received, self.responded, standard, as_of)


class Compliment(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="compliments")
    received = models.DateField()
    service = models.CharField(max_length=200, blank=True)
    theme = models.CharField(max_length=100, blank=True)
    text = models.TextField(help_text="What was said, with no names")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-received", "pk"]

    def __str__(self):
        return f"Compliment of {self.received:%d %b %Y}"

    @property
    def ref(self) -> str:
        return str(self)


class EngagementKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    EVENT = "event", "Event"
    CONSULTATION = "consultation", "Consultation"


class Engagement(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="engagements")
    group = models.CharField(max_length=200, help_text="For example, the parent carer forum, "
                             "Youth Parliament")
    held = models.DateField("date")
    kind = models.CharField(max_length=15, choices=EngagementKind.choices,
                            default=EngagementKind.MEETING)
    hours = models.DecimalField(max_digits=6, decimal_places=1, default=0,
                                validators=[MinValueValidator(0)])
    participants = models.PositiveIntegerField(default=0)
    topic = models.CharField(max_length=300, blank=True)
    actions = models.ManyToManyField("plans.Action", blank=True, related_name="engagements")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-held", "pk"]

    def __str__(self):
        return f"{self.group} {self.get_kind_display().lower()} {self.held:%d %b %Y}"

    @property
    def ref(self) -> str:
        return str(self)[:60]


class YouSaidSource(models.TextChoices):
    SURVEY = "survey", "Survey"
    COMPLAINTS = "complaints", "Complaint theme"
    FORUM = "forum", "Forum meeting"
    YOUTH = "youth", "Youth group"
    OTHER = "other", "Other"


class YouSaidStatus(models.TextChoices):
    LISTENING = "listening", "Listening"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class YouSaid(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="you_said")
    said = models.TextField("you said", help_text="What families, children or young people "
                            "told us, in their words where possible, with no names")
    source = models.CharField(max_length=12, choices=YouSaidSource.choices,
                              default=YouSaidSource.FORUM)
    said_on = models.DateField("date said")
    did = models.TextField("we did", blank=True)
    did_on = models.DateField("date done", null=True, blank=True)
    status = models.CharField(max_length=12, choices=YouSaidStatus.choices,
                              default=YouSaidStatus.LISTENING)
    publish = models.BooleanField(default=False, help_text="Show on the public page")
    actions = models.ManyToManyField("plans.Action", blank=True, related_name="you_said")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-said_on", "pk"]
        verbose_name = "you said, we did item"

    def __str__(self):
        return f"You said: {self.said[:50]}"

    @property
    def ref(self) -> str:
        return f"You said {self.said_on:%d %b %Y}"
