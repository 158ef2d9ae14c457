"""Delete sent e-mails from the outbox once they are old enough (run it from cron)."""

from django.core.management.base import BaseCommand

from techcommit.mail import prune_sent


class Command(BaseCommand):
    help = "Delete sent e-mails older than --days (default 30). Failed and waiting ones stay."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Keep sent e-mails this long.")

    def handle(self, *args, days: int, **options):
        if days < 1:
            self.stderr.write("--days must be 1 or more.")
            raise SystemExit(2)
        deleted = prune_sent(older_than_days=days)
        self.stdout.write(f"{deleted} sent e-mail(s) older than {days} days deleted.")
