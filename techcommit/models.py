"""Shared abstract models. Each app's concrete table names its own object with a real foreign
key; techcommit imports no app."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class StatusChange(models.Model):
    """One change of an object's status: from, to, who, when and why (see
    techcommit/transitions.py). A concrete subclass adds the foreign key to its object."""

    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.from_status} → {self.to_status}"
