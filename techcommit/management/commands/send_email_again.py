"""Send again the e-mails the mail server refused (run it from cron, or after an outage)."""

from django.core.management.base import BaseCommand

from techcommit.mail import retry_failed


class Command(BaseCommand):
    help = "Send again every e-mail that could not be sent, and any left waiting by a lost worker."

    def handle(self, *args, **options):
        sent, failed = retry_failed()
        self.stdout.write(f"{sent} sent, {failed} still not sent.")
