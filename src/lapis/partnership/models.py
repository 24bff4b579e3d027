"""A local area partnership, its people, its boards, and who may sign in to it."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self):
        return self.name


class PartnershipScopedQuerySet(models.QuerySet):
    """Every page and API call reads through `.visible_to(user)`: no partnership sees another's."""

    partnership_path = "partnership"

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        ids = Membership.objects.filter(user=user).values("partnership_id")
        return self.filter(**{f"{self.partnership_path}__in": ids})


class Person(models.Model):
    """Someone named in the plan (an SRO, an improvement lead). A login comes later, optionally."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)

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
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.VIEWER)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="one_membership"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) in {self.partnership}"
