"""Send the self-assessment reminders due today. Safe to run every day, or more often."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from submissions.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Remind organisations of their self-assessment due date (60, 30 and 7 days before, and "
        "when overdue). Never sends the same reminder twice, so it is safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Act as if it were this date (default: today in the portal's time zone).",
        )

    def handle(self, *args, today=None, **options):
        if today:
            try:
                today = date.fromisoformat(today)
            except ValueError:
                raise CommandError(
                    f"--today must be a date like 2027-01-31, not {today!r}."
                ) from None
        sent = send_due_reminders(today)
        for row in sent:
            due_on = f"{row.due_on.day} {row.due_on:%B %Y}"
            self.stdout.write(
                f"{row.organisation.name}, due {due_on}: sent the reminder "
                f"“{row.get_reminder_display()}” to {', '.join(row.recipients)}"
            )
        self.stdout.write(f"{len(sent)} reminder{'' if len(sent) == 1 else 's'} sent.")
