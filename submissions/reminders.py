"""Reminders of an organisation's self-assessment due date, safe to send every day.

Each organisation expected to self-assess gets at most four reminders for each due date: 60, 30
and 7 days before it, and one once it has passed. The ``ReminderSent`` row for (organisation, due
date, reminder) is written in the same transaction that queues the e-mail, and its unique
constraint means no reminder goes out twice, however often (or however concurrently) the
``send_reminders`` command runs.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from assessments.services import DueDate, due_dates_for
from signatories.enums import ASSESSED_STATUSES, Role
from signatories.models import Membership, Organisation, User
from submissions.enums import Reminder
from submissions.models import ReminderSent
from techcommit.mail import send_templated_mail, site_url

# From the least to the most urgent; each number is the days left at which it applies.
THRESHOLDS = [(Reminder.DAYS_60, 60), (Reminder.DAYS_30, 30), (Reminder.DAYS_7, 7)]
URGENCY = [Reminder.DAYS_60, Reminder.DAYS_30, Reminder.DAYS_7, Reminder.OVERDUE]

# A self-assessment in one of these states has not been submitted yet: its organisation is
# still reminded. Any other state means the steering group has it.
NOT_YET_SUBMITTED = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.AWAITING_SIGN_OFF})


def reminder_due(due: DueDate) -> Reminder | None:
    """The most urgent reminder that applies on ``due.today``, or None before 60 days out.

    A reminder applies from its day on (``days_left <= threshold``), so a day the command did not
    run still gets its reminder the next day it does.
    """
    if due.is_overdue:
        return Reminder.OVERDUE
    applying = [reminder for reminder, days in THRESHOLDS if due.days_left <= days]
    return applying[-1] if applying else None


def _recipients(organisations: list[Organisation]) -> dict[int, tuple[list[str], bool]]:
    """{organisation id: (addresses, whether they are the administrators')}: the organisation's
    active institutional leads or, when it has none, the portal's administrators."""
    leads: dict[int, set[str]] = {}
    for organisation_id, email in Membership.objects.filter(
        organisation__in=organisations, role=Role.LEAD, user__is_active=True
    ).values_list("organisation_id", "user__email"):
        if email:
            leads.setdefault(organisation_id, set()).add(email)
    administrators: list[str] | None = None
    recipients = {}
    for organisation in organisations:
        if organisation.pk in leads:
            recipients[organisation.pk] = (sorted(leads[organisation.pk]), False)
            continue
        if administrators is None:
            administrators = sorted(
                User.objects.filter(is_active=True, is_staff=True)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        recipients[organisation.pk] = (administrators, True)
    return recipients


def send_due_reminders(today: date | None = None) -> list[ReminderSent]:
    """Send the reminders due on ``today`` and return the rows recorded for those sent.

    The rules:

    * Only signatories in good standing are reminded (never lapsed or withdrawn ones), and only
      while the self-assessment for that due date has not been submitted (one still in draft or
      awaiting sign-off does not stop reminders; any later state does).
    * On any day, only the most urgent reminder that applies is considered: overdue once the due
      date has passed, otherwise the smallest of 60, 30 and 7 with ``days_left <= threshold``.
      It is sent unless it, or a more urgent one, was already sent for that due date. So after a
      gap (the command did not run for weeks) the organisation gets one reminder saying how
      close the date now is, not a burst of stale ones; the reminders it skipped are never sent
      later and are not recorded, because nobody received them.
    * Reminders are keyed by due date: when the due date moves (a cohort deadline, a new cycle)
      the reminders for the new date start afresh.
    * They go to the organisation's active institutional leads; an organisation without one is
      reminded through the portal's administrators. With nobody to write to nothing is recorded,
      so the reminder goes out once someone is there.

    Every row is inserted in its own transaction (a savepoint when called inside one) together
    with queuing the e-mail, which is sent when that commits. If another run inserted the same
    row first, the unique constraint refuses this one, the savepoint rolls back and its e-mail
    is dropped with it. Each reminder is queued once; a mail server that refuses it leaves it in
    the outbox for ``manage.py send_email_again`` (techcommit/mail.py), never queued twice.

    Each returned row carries ``recipients``, the addresses it went to.
    """
    today = today or timezone.localdate()
    organisations = list(Organisation.objects.filter(status__in=ASSESSED_STATUSES))
    dues = due_dates_for(organisations, today)
    candidates: list[tuple[Organisation, DueDate, Reminder]] = []
    for organisation in organisations:
        due = dues[organisation.pk]
        reminder = reminder_due(due) if due else None
        if reminder is not None:
            candidates.append((organisation, due, reminder))
    if not candidates:
        return []

    ids = [organisation.pk for organisation, _, _ in candidates]
    submitted = set(
        SelfAssessment.objects.filter(organisation_id__in=ids)
        .exclude(status__in=NOT_YET_SUBMITTED)
        .values_list("organisation_id", "due_on")
    )
    already: dict[tuple[int, date], set[str]] = {}
    for organisation_id, due_on, reminder in ReminderSent.objects.filter(
        organisation_id__in=ids
    ).values_list("organisation_id", "due_on", "reminder"):
        already.setdefault((organisation_id, due_on), set()).add(reminder)

    to_send = []
    for organisation, due, reminder in candidates:
        key = (organisation.pk, due.due_on)
        if key in submitted:
            continue
        as_urgent = URGENCY[URGENCY.index(reminder) :]
        if already.get(key, set()) & set(as_urgent):
            continue
        to_send.append((organisation, due, reminder))
    if not to_send:
        return []

    recipients = _recipients([organisation for organisation, _, _ in to_send])
    sent = []
    for organisation, due, reminder in to_send:
        to, to_administrators = recipients[organisation.pk]
        if not to:
            continue
        try:
            with transaction.atomic():
                row = ReminderSent.objects.create(
                    organisation=organisation,
                    due_on=due.due_on,
                    reminder=reminder,
                    sent_at=timezone.now(),
                )
                _send(organisation, due, reminder, to, to_administrators=to_administrators)
        except IntegrityError:
            continue  # a concurrent run recorded (and sent) this one first
        row.recipients = to
        sent.append(row)
    return sent


def _send(
    organisation: Organisation,
    due: DueDate,
    reminder: Reminder,
    to: list[str],
    *,
    to_administrators: bool,
) -> None:
    link = site_url(reverse("assessments:list", args=[organisation.slug]))
    send_templated_mail(
        "submissions/email/reminder",
        to=to,
        context={
            "organisation": organisation,
            "due": due,
            "reminder": reminder,
            "overdue": reminder == Reminder.OVERDUE,
            "link": link,
            "to_administrators": to_administrators,
        },
    )
