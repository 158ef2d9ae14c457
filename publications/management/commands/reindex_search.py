"""Rewrite the search's rows of every published plan and update paper (publications.search), for
instance after restoring a backup. Publishing and withdrawing keep them current on their own, and
migration publications 0008 built them for what was published before."""

from django.core.management.base import BaseCommand

from publications.search import reindex_all


class Command(BaseCommand):
    help = "Rewrite the search rows of every published action plan and update paper."

    def handle(self, *args, **options):
        count = reindex_all()
        self.stdout.write(f"Indexed {count} rows: published actions, achievements and next steps.")
