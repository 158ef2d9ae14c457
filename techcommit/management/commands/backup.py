from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from techcommit.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump, custom format) and the media folder into a "
        "new folder named for the date and time. Restore with `manage.py restore FOLDER`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            type=Path,
            default=settings.BASE_DIR / "backups",
            help="The folder in which to make the dated backup folder (default: backups/).",
        )

    def handle(self, *args, to: Path, **options):
        try:
            folder = backup(to)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        return str(folder)  # printed; and what call_command returns
