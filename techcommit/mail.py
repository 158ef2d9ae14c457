"""Sending e-mail from templates, after the surrounding transaction commits."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string


def send_templated_mail(
    template_prefix: str, *, to: list[str], context: dict, reply_to: list[str] | None = None
) -> None:
    """Render ``<prefix>_subject.txt`` and ``<prefix>_body.txt`` and send them on commit.

    Sending on commit means a rolled-back change never e-mails anyone.
    """
    context = {"site_name": settings.SITE_NAME, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    body = render_to_string(f"{template_prefix}_body.txt", context)
    message = EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or None)
    transaction.on_commit(message.send)
