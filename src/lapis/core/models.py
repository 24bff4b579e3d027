"""The history of every change to partnership records: who, when, what, from what, to what.

No foreign keys on purpose (as in OpenSAFELY's job-server): the log must outlive the rows it
describes and never block a delete. Written only by `lapis.core.history.record`, in the same
transaction as the change, so a bulk import is audited exactly like a form.
"""

from django.db import models


class ChangeRecord(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.CharField(max_length=150, help_text="Username, or the command that made it.")
    source = models.CharField(max_length=300, help_text="web, api, or import:<file name>")
    partnership_id = models.BigIntegerField(db_index=True)
    model = models.CharField(max_length=60)  # "plans.Action"
    object_id = models.BigIntegerField()
    object_ref = models.CharField(max_length=60, blank=True)  # "3.11a", for humans
    field = models.CharField(max_length=60)  # "due", "status", ... or "created"
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["model", "object_id", "field"])]
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.object_ref} {self.field}: {self.old!r} -> {self.new!r}"
