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


class OutgoingEmail(models.Model):
    """One e-mail to one person, kept until the mail server has taken it (techcommit/mail.py).

    Every e-mail the portal sends is written here first, one row per recipient, so nobody learns
    who else received it; a mail server that is down leaves the row failed for a retry
    (``manage.py send_email_again`` or the admin's "Send again") instead of failing the request
    that caused it. Once sent, the body is cleared: invitations and password resets carry links
    that must not outlive their delivery in the database.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent yet: the mail server refused it"

    to = models.EmailField("to")
    reply_to = models.EmailField("reply to", blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "outgoing e-mail"
        verbose_name_plural = "outgoing e-mails"

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class WorkerHeartbeat(models.Model):
    """A background worker's last sign of life (``manage.py db_worker`` writes it every few
    seconds; techcommit/health.py). ``/readyz`` reports the worker stale when the latest is older
    than WORKER_HEARTBEAT_MAX_AGE."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return (
            f"{self.worker_id} on {self.host} (pid {self.pid}), last seen {self.beat_at:%H:%M:%S}"
        )
