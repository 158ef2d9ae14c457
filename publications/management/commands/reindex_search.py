"""Rewrite the search's rows of every published plan (publications.search), for instance after
restoring a backup. Publishing and withdrawing keep them current on their own."""

from django.core.management.base import BaseCommand

from publications.search import reindex_all


class Command(BaseCommand):
    help = "Rewrite the search rows of every published action plan."

    def handle(self, *args, **options):
        count = reindex_all()
        self.stdout.write(f"Indexed {count} published actions.")
