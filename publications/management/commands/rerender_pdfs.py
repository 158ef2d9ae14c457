"""Render again the PDFs of publications whose render failed (or, with --all, every one)."""

from django.core.management.base import BaseCommand

from publications.enums import PdfState
from publications.models import Publication
from publications.tasks import rerender


class Command(BaseCommand):
    help = "Render again every publication's PDF that failed; with --all, every publication's."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Render every publication's PDF again, ready ones included.",
        )

    def handle(self, *args, all: bool = False, **options):  # noqa: A002 - the option's name
        publications = Publication.objects.all()
        if not all:
            publications = publications.filter(pdf_state=PdfState.FAILED)
        count = rerender(publications)
        self.stdout.write(f"{count} PDF{'s' if count != 1 else ''} queued to be rendered again.")
