"""Backups that restore: the PostgreSQL database, in pg_dump's custom format, and the media folder
(uploaded figures, rendered PDFs), side by side in one dated folder; and putting both back.

A backup folder holds ``database.dump`` and ``media.tar``. It is written under a hidden name and
renamed when complete, so a folder with a date for a name is always a whole backup. On SQLite
there is no backup command: stop the portal and copy ``db.sqlite3`` and the media folder.
"""

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

DUMP = "database.dump"
MEDIA = "media.tar"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


def _database() -> dict:
    connection = connections["default"]
    if connection.vendor != "postgresql":
        raise BackupError(
            f"Backups need PostgreSQL (DATABASE_URL=postgres://...); this database is "
            f"{connection.display_name}. On SQLite, stop the portal and copy the database file "
            f"and {settings.MEDIA_ROOT}."
        )
    return connection.settings_dict


def _client_environment(database: dict) -> dict:
    """pg_dump and pg_restore read the server and credentials from the environment, so that the
    password never shows in the process list."""
    env = dict(os.environ)
    for variable, value in [
        ("PGHOST", database.get("HOST")),
        ("PGPORT", database.get("PORT")),
        ("PGUSER", database.get("USER")),
        ("PGPASSWORD", database.get("PASSWORD")),
        ("PGSSLMODE", database.get("OPTIONS", {}).get("sslmode")),
    ]:
        if value:
            env[variable] = str(value)
    return env


def _run(args: list[str], database: dict) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - fixed programs, arguments from settings
            args, env=_client_environment(database), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{args[0]} is not installed: on Debian, apt-get install postgresql-client"
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def backup(parent: Path) -> Path:
    """Dump the database and the media folder into ``parent/YYYY-MM-DD-HHMMSS/``; its path."""
    database = _database()
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
    folder = Path(parent) / stamp
    if folder.exists():
        raise BackupError(f"{folder} already exists: wait a second and try again.")
    partial = Path(parent) / f".{stamp}.partial"
    partial.mkdir(parents=True)
    try:
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--file={partial / DUMP}",
                f"--dbname={database['NAME']}",
            ],
            database,
        )
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(partial / MEDIA, "w") as archive:
            if media_root.is_dir():
                for child in sorted(media_root.iterdir()):
                    archive.add(child, arcname=child.name)
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


def describe_target() -> str:
    """The database and media folder a restore would replace, for the operator to confirm."""
    database = _database()
    host = database.get("HOST") or "the local server"
    return f"database {database['NAME']} on {host}, and media in {settings.MEDIA_ROOT}"


def restore(folder: Path) -> None:
    """Put a backup back: every table of the configured database is replaced by the dump's (in one
    transaction), and the backup's media files are written into MEDIA_ROOT (files not in the
    backup are left alone)."""
    folder = Path(folder)
    missing = [name for name in (DUMP, MEDIA) if not (folder / name).is_file()]
    if missing:
        raise BackupError(f"{folder} is not a backup: {' and '.join(missing)} missing.")
    database = _database()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(folder / DUMP),
        ],
        database,
    )
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA) as archive:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(media_root, filter="data")
