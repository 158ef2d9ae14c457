"""A mail server that is down never turns a saved action into a server error: every e-mail is
kept in the outbox, one row per recipient, and sent again later."""

import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from signatories.enums import Role
from signatories.models import Invitation
from submissions import services
from submissions.enums import Decision, SignOffState
from submissions.models import Assignment
from techcommit.mail import retry_failed
from techcommit.models import OutgoingEmail
from tests.submissions.conftest import signed_and_ready

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class MailServerDown:
    """An e-mail backend whose server refuses every connection, as SMTP does when it is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "Service not available")


@pytest.fixture
def mail_server_down(settings, official_forms):
    """The real request cycle: the service's transaction commits inside the request, so its
    e-mail is sent there too (a test transaction would hold the callbacks back). The forms
    come back after each flush through ``official_forms``."""
    settings.EMAIL_BACKEND = "tests.submissions.test_email_outbox.MailServerDown"
    return settings


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def url(name, assessment, *args):
    return reverse(f"submissions:{name}", args=["aldermoor", assessment.pk, *args])


def failed_to(address: str) -> OutgoingEmail:
    return OutgoingEmail.objects.get(to=address, status=OutgoingEmail.Status.FAILED)


def assert_sent_later(settings, *addresses):
    """The mail server is back: the retry sends exactly the kept messages, once."""
    settings.EMAIL_BACKEND = LOCMEM
    mail.outbox = []
    out = StringIO()
    call_command("send_email_again", stdout=out)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(addresses)
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert out.getvalue() == f"{len(addresses)} sent, 0 still not sent.\n"
    assert retry_failed() == (0, 0)


def test_requesting_sign_off_is_saved_and_its_e_mail_kept(
    mail_server_down, browser, ready, lead_of_org_a, leader_of_org_a
):
    browser.force_login(lead_of_org_a)
    response = browser.post(url("request_sign_off", ready))
    assert (response.status_code, response.url) == (302, url("submission", ready))
    assert ready.snapshots.get().sign_offs.count() == 2
    assert failed_to("leader.a@example.org").subject.startswith("Please sign")
    assert failed_to("leader.a@example.org").attempts == 1
    assert_sent_later(mail_server_down, "lead.a@example.org", "leader.a@example.org")


def test_signing_is_saved_and_its_e_mail_kept(
    mail_server_down, browser, ready, lead_of_org_a, leader_of_org_a
):
    snapshot = services.request_sign_off(ready, by=lead_of_org_a)
    sign_off = snapshot.sign_offs.get(role="leader")
    OutgoingEmail.objects.all().delete()
    browser.force_login(leader_of_org_a)
    response = browser.post(
        url("sign", ready, sign_off.pk),
        {"sign-name": "Leo Arden", "sign-job_title": "Vice-Chancellor", "sign-confirm": "on"},
    )
    assert (response.status_code, response.url) == (302, url("submission", ready))
    sign_off.refresh_from_db()
    assert sign_off.state == SignOffState.SIGNED
    assert failed_to("lead.a@example.org").subject.startswith("Signed:")
    assert_sent_later(mail_server_down, "lead.a@example.org")


def test_submitting_is_saved_and_its_e_mail_kept(
    mail_server_down, browser, ready, lead_of_org_a, leader_of_org_a, administrator
):
    signed_and_ready(ready, lead_of_org_a, leader_of_org_a)
    OutgoingEmail.objects.all().delete()
    browser.force_login(lead_of_org_a)
    response = browser.post(url("submit", ready))
    assert (response.status_code, response.url) == (302, url("submission", ready))
    ready.refresh_from_db()
    assert ready.status == "submitted"
    assert failed_to("admin@example.org").subject.startswith("Submitted:")
    assert_sent_later(mail_server_down, "admin@example.org", "lead.a@example.org")


def test_inviting_is_saved_and_its_e_mail_kept(mail_server_down, browser, lead_of_org_a):
    browser.force_login(lead_of_org_a)
    response = browser.post(
        reverse("signatories:invite", args=["aldermoor"]),
        {"email": "new.colleague@example.org", "role": Role.CONTRIBUTOR},
    )
    assert (response.status_code, response.url) == (
        302,
        reverse("signatories:members", args=["aldermoor"]),
    )
    assert Invitation.objects.get().email == "new.colleague@example.org"
    kept = failed_to("new.colleague@example.org")
    assert kept.reply_to == "lead.a@example.org"
    assert "/invitations/" in kept.body
    assert_sent_later(mail_server_down, "new.colleague@example.org")
    # Once sent, the link is not kept in the database (the invitation stores only its hash).
    assert OutgoingEmail.objects.get().body == ""


def test_a_rolled_back_action_e_mails_nobody(ready, lead_of_org_a, mailoutbox):
    def request_then_fail():
        with transaction.atomic():
            services.request_sign_off(ready, by=lead_of_org_a)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        request_then_fail()
    assert (OutgoingEmail.objects.count(), mailoutbox) == (0, [])


def test_the_admin_sends_a_kept_e_mail_again(
    mail_server_down, browser, ready, lead_of_org_a, leader_of_org_a, administrator
):
    services.request_sign_off(ready, by=lead_of_org_a)
    kept = failed_to("leader.a@example.org")
    browser.force_login(administrator)
    changelist = reverse("admin:techcommit_outgoingemail_changelist")
    page = browser.get(changelist + "?status__exact=failed").content.decode()
    assert "leader.a@example.org" in page
    # Still down: nothing is lost, and the admin is told.
    response = browser.post(
        changelist, {"action": "send_again", "_selected_action": [kept.pk]}, follow=True
    )
    assert "0 sent, 1 still not sent." in response.content.decode()
    kept.refresh_from_db()
    assert (kept.status, kept.attempts) == (OutgoingEmail.Status.FAILED, 2)
    # Back up: sent once, to that person only.
    mail_server_down.EMAIL_BACKEND = LOCMEM
    mail.outbox = []
    response = browser.post(
        changelist, {"action": "send_again", "_selected_action": [kept.pk]}, follow=True
    )
    assert "1 sent, 0 still not sent." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["leader.a@example.org"]]
    kept.refresh_from_db()
    assert (kept.status, kept.body) == (OutgoingEmail.Status.SENT, "")


def test_a_password_reset_with_the_mail_server_down_is_kept(
    mail_server_down, browser, lead_of_org_a
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=lead_of_org_a, email=lead_of_org_a.email, verified=True, primary=True
    )
    response = browser.post(reverse("account_reset_password"), {"email": "lead.a@example.org"})
    assert response.url == reverse("account_reset_password_done")
    assert "/accounts/password/reset/key/" in failed_to("lead.a@example.org").body
    assert_sent_later(mail_server_down, "lead.a@example.org")


def test_every_message_of_the_flow_has_one_recipient_and_never_names_the_reviewer(
    ready,
    lead_of_org_a,
    contributor_of_org_a,
    sponsor_of_org_a,
    leader_of_org_a,
    administrator,
    reviewer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    Assignment.objects.create(assessment=ready, reviewer=reviewer, assigned_by=administrator)
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = signed_and_ready(ready, lead_of_org_a, leader_of_org_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(ready, by=lead_of_org_a)
    snapshot.refresh_from_db()
    services.save_feedback(
        snapshot, by=reviewer, text="A strong plan.", decision=Decision.ACCEPT, seen_version=0
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.release_feedback(snapshot, by=administrator)
    organisation = {
        "lead.a@example.org",
        "contributor.a@example.org",
        "sponsor.a@example.org",
        "leader.a@example.org",
    }
    kinds = {m.subject.split()[0] for m in mailoutbox}
    assert kinds == {"Please", "Signed:", "Submitted:", "Feedback"}
    for message in mailoutbox:
        assert (len(message.to), message.cc, message.bcc) == (1, [], [])
        if message.to[0] in organisation:
            raw = message.message().as_string()
            assert "reviewer@example.org" not in raw
            assert "Rhys Vaughan" not in raw


def test_pruning_deletes_only_sent_e_mails_older_than_the_days_kept(db):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    old_sent = OutgoingEmail.objects.create(
        to="old@example.org",
        subject="Old",
        status=OutgoingEmail.Status.SENT,
        sent_at=now - timedelta(days=31),
    )
    recent_sent = OutgoingEmail.objects.create(
        to="recent@example.org",
        subject="Recent",
        status=OutgoingEmail.Status.SENT,
        sent_at=now - timedelta(days=29),
    )
    old_failed = OutgoingEmail.objects.create(
        to="failed@example.org",
        subject="Failed",
        status=OutgoingEmail.Status.FAILED,
        created_at=now - timedelta(days=90),
    )
    out = StringIO()
    call_command("prune_outbox", "--days", "30", stdout=out)
    assert out.getvalue().strip() == "1 sent e-mail(s) older than 30 days deleted."
    assert set(OutgoingEmail.objects.values_list("pk", flat=True)) == {
        recent_sent.pk,
        old_failed.pk,
    }
    assert not OutgoingEmail.objects.filter(pk=old_sent.pk).exists()
