"""Meetings of a partnership's boards. Boards themselves live in `lapis.partnership`."""

from django.db import models

from lapis.core.tenancy import PartnershipScopedQuerySet
from lapis.partnership.models import Board


class MeetingQuerySet(PartnershipScopedQuerySet):
    partnership_path = "board__partnership"


class Meeting(models.Model):
    """A dated meeting of a board: what the due-for-update list is prepared for."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    minutes_url = models.URLField("link to the minutes", max_length=500, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every saved edit, so a stale edit is refused"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["board", "date"]
        constraints = [
            models.UniqueConstraint(fields=["board", "date"], name="meeting_once_a_day"),
        ]

    def __str__(self):
        return f"{self.board} {self.date.isoformat()}"

    @property
    def ref(self):
        """How the history names a meeting."""
        return f"{self.board.name[:48]} {self.date.isoformat()}"
