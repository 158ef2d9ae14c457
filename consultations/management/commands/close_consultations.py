"""Close the consultations whose closing date has passed (run it daily from cron)."""

from django.core.management.base import BaseCommand

from consultations.services import close_due


class Command(BaseCommand):
    help = "Close every open consultation whose closing date has passed."

    def handle(self, *args, **options):
        self.stdout.write(f"{close_due()} consultation(s) closed.")
