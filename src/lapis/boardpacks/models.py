"""Stored board packs, and which board governs a partnership's plan."""

from django.db import models

from lapis.core.tenancy import PartnershipScopedQuerySet
from lapis.partnership.models import Board, Partnership


class BoardPackSettings(models.Model):
    """The partnership's governing board: its pack covers the whole plan, not only the actions
    that name it."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE,
                                       related_name="board_pack_settings")
    governing_board = models.ForeignKey(Board, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+")

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "board pack settings"

    def __str__(self):
        return f"{self.partnership}: governed by {self.governing_board or 'no board'}"

    @property
    def ref(self):
        return self.partnership.name[:60]


class BoardPackQuerySet(PartnershipScopedQuerySet):
    partnership_path = "board__partnership"


class BoardPack(models.Model):
    """A dated snapshot of one board's view of the plan, kept so that two can be compared.
    `snapshot` is plain JSON made by `lapis.boardpacks.queries.snapshot`; never edited."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="packs")
    as_of = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)
    snapshot = models.JSONField()

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["board", "-as_of", "-id"]

    def __str__(self):
        return f"{self.board} pack as of {self.as_of.isoformat()}"

    @property
    def ref(self):
        """How the history names a pack."""
        return f"{self.board.name[:45]} {self.as_of.isoformat()}"

    @property
    def changes(self):
        return self.snapshot.get("changes")
