"""Every e-mail the portal sends goes through here: one message per recipient, written to the
outbox (``OutgoingEmail``) in the caller's transaction and handed to the mail server by a
background task after it commits.

* A rolled-back change never e-mails anyone: its outbox rows roll back with it.
* One message per recipient: nobody learns who else was told (an organisation never sees its
  reviewers' addresses in a To: header).
* A mail server that is down never fails the request that caused the e-mail: the error is
  logged, the row stays failed, the worker tries again with back-off (techcommit/tasks.py), and
  ``retry_failed`` (``manage.py send_email_again``, or the
  admin's "Send again") sends it later.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from techcommit.models import OutgoingEmail
from techcommit.tasks import retry_later

logger = logging.getLogger(__name__)


def site_url(path: str) -> str:
    """The portal's own address for ``path``, for links in e-mails (``SITE_URL``, never the
    host a request happened to use)."""
    return f"{settings.SITE_URL}{path}"


def send_templated_mail(
    template_prefix: str, *, to: list[str], context: dict, reply_to: list[str] | None = None
) -> list[OutgoingEmail]:
    """Render ``<prefix>_subject.txt`` and ``<prefix>_body.txt`` and send them, one message to
    each address in ``to``, after the surrounding transaction commits."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"{template_prefix}_subject.txt", context)
    body = render_to_string(f"{template_prefix}_body.txt", context)
    return queue_mail(subject, body, to=to, reply_to=reply_to)


def queue_mail(
    subject: str, body: str, *, to: list[str], reply_to: list[str] | None = None
) -> list[OutgoingEmail]:
    """Keep one outbox row per distinct address and send each once the transaction commits."""
    subject = " ".join(subject.split())
    addresses = list(dict.fromkeys(address for address in to if address))
    rows = OutgoingEmail.objects.bulk_create(
        OutgoingEmail(to=address, reply_to=(reply_to or [""])[0], subject=subject, body=body)
        for address in addresses
    )
    for pk in [row.pk for row in rows]:  # SQLite and PostgreSQL return the new ids
        transaction.on_commit(lambda pk=pk: send_email.enqueue(pk))
    return rows


@task()
def send_email(email_id: int) -> None:
    """Deliver one outbox row; a refusal is tried again with back-off (techcommit/tasks.py)
    until the attempts are spent, and the row then waits, failed, for ``retry_failed``."""
    if deliver(email_id):
        return
    attempts = (
        OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.FAILED)
        .values_list("attempts", flat=True)
        .first()
    )
    if attempts is not None:
        retry_later(send_email, attempts, email_id)


def deliver(email_id: int) -> bool:
    """Hand one outbox row to the mail server; True when it took it.

    Any error is logged and kept on the row, never raised: the action that queued the e-mail
    is already saved, and the row waits for ``retry_failed``.
    """
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=email_id)
            .exclude(status=OutgoingEmail.Status.SENT)
            .first()
        )
        if email is None:
            return False  # already sent by another worker or retry
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            to=[email.to],
            reply_to=[email.reply_to] if email.reply_to else None,
        )
        email.attempts += 1
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - any failure of the mail server is kept
            logger.exception("E-mail %s to %s not sent; kept for a retry", email.pk, email.to)
            email.status = OutgoingEmail.Status.FAILED
            email.last_error = f"{type(error).__name__}: {error}"[:500]
            email.save(update_fields=["status", "attempts", "last_error"])
            return False
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.body = ""
        email.last_error = ""
        email.save(update_fields=["status", "attempts", "sent_at", "body", "last_error"])
        return True


def retry_failed(queryset=None) -> tuple[int, int]:
    """Send again every failed row (and every pending one older than a few minutes, which a
    lost worker left behind); return (sent, still failing)."""
    if queryset is None:
        stale = timezone.now() - timedelta(minutes=5)
        queryset = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED) | (
            OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING, created_at__lt=stale)
        )
    sent = failed = 0
    for pk in queryset.exclude(status=OutgoingEmail.Status.SENT).values_list("pk", flat=True):
        if deliver(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed


def prune_sent(*, older_than_days: int) -> int:
    """Delete the sent e-mails older than ``older_than_days``; return how many went.

    A sent row keeps only its address, subject and dates (the body was cleared when it was sent),
    so it answers "did the invitation go out?" for a while; after that it is personal data the
    portal has no reason to keep. Failed and waiting rows are never pruned: they still need
    sending.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted
