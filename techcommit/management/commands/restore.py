from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from techcommit.backups import BackupError, describe_target, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: replace every table of the configured "
        "database with the backup's, and put the backup's media files back."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A folder made by `manage.py backup`.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, folder: Path, interactive: bool, **options):
        try:
            target = describe_target()
            if interactive:
                answer = input(
                    f"This replaces everything in the {target} with the backup in {folder}.\n"
                    "Type 'yes' to continue: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled: nothing was changed.")
            restore(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {folder} into the {target}.")
