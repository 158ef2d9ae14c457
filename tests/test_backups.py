"""Backups that restore: `manage.py backup` dumps the database and the media folder; `manage.py
restore` puts both back into a fresh database and media folder, with every row, every published
document's content and its PDF as they were. PostgreSQL only: skipped on SQLite on a laptop, and
failing in CI, which runs on PostgreSQL."""

import hashlib
import json
import os
import stat
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from actionplans import services as plan_services
from actionplans.enums import PlanStatus
from actionplans.models import ActionPlan
from publications import services as publishing
from publications.enums import PdfState
from publications.models import Publication
from signatories.enums import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.postgres import connect, database_of_its_own
from tests.processes import run


def content_hash(content) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def row_counts(conn: psycopg.Connection) -> dict[str, int]:
    tables = conn.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return {
        table: conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        for (table,) in tables
    }


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI runs on PostgreSQL: DATABASE_URL must name a PostgreSQL database")
        pytest.skip(
            "backups need PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/..."
        )
    return connection.settings_dict


@pytest.fixture
def fresh_database(postgres):
    """An empty database of its own, dropped afterwards; its name and DATABASE_URL."""
    with database_of_its_own(postgres, "techcommit_restore") as found:
        yield found


@pytest.fixture
def published_plan(official_forms, settings, tmp_path):
    """A signatory with its people and a published action plan whose PDF is stored in media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    organisation = OrganisationFactory(name="University of Ravensholme", slug="ravensholme")
    lead = UserFactory(email="lead@ravensholme.ac.uk")
    MembershipFactory(organisation=organisation, user=lead, role=Role.LEAD)
    MembershipFactory(organisation=organisation, role=Role.SPONSOR)
    plan = plan_services.create_plan(organisation, by=lead, starts_on=date(2026, 12, 1))
    plan_services.add_action(
        plan.headings.get(theme__slug="visibility"),
        by=lead,
        title="Name technicians on every research output",
    )
    ActionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
    publication = publishing.publish_plan(plan, by=lead)  # renders and stores the PDF on commit
    publication.refresh_from_db()
    assert publication.pdf_state == PdfState.READY
    return publication


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(
    postgres, fresh_database, published_plan, settings, tmp_path
):
    folder = Path(call_command("backup", to=tmp_path / "backups"))
    assert folder.parent == tmp_path / "backups"
    # Only its owner may read a backup: it holds people's names and addresses.
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.iterdir()]} == {
        folder.name: 0o700,
        "database.dump": 0o600,
        "media.tar": 0o600,
    }

    with connect(postgres, postgres["NAME"]) as source:
        counts_before = row_counts(source)
    hashes_before = {
        pk: content_hash(c) for pk, c in Publication.objects.values_list("pk", "content")
    }
    pdf_name = published_plan.pdf.name
    pdf_before = Path(settings.MEDIA_ROOT, pdf_name).read_bytes()

    name, url = fresh_database
    restored_media = tmp_path / "restored-media"
    restore_args = ["manage.py", "restore", str(folder)]
    environment = {"DEBUG": "true", "DATABASE_URL": url, "MEDIA_ROOT": str(restored_media)}

    # Asked to confirm, anything but "yes" changes nothing.
    declined = run(restore_args, typed="no\n", **environment)
    assert declined.returncode == 1
    assert f"This replaces everything in the database {name}" in declined.stdout
    assert "Restore cancelled: nothing was changed." in declined.stderr
    with connect(postgres, name) as restored:
        assert row_counts(restored) == {}
    assert not restored_media.exists()

    result = run([*restore_args, "--no-input"], **environment)
    assert result.returncode == 0, result.stderr
    assert f"Restored {folder} into the database {name}" in result.stdout

    with connect(postgres, name) as restored:
        assert row_counts(restored) == counts_before
        hashes_after = {
            pk: content_hash(content)
            for pk, content in restored.execute("SELECT id, content FROM publications_publication")
        }
        (pdf_column,) = restored.execute(
            "SELECT pdf FROM publications_publication WHERE id = %s", [published_plan.pk]
        ).fetchone()
    assert counts_before["publications_publication"] == 1
    assert counts_before["actionplans_action"] == 1
    assert hashes_after == hashes_before
    assert pdf_column == pdf_name
    assert pdf_before.startswith(b"%PDF")
    assert (restored_media / pdf_name).read_bytes() == pdf_before


def test_restore_refuses_a_folder_that_is_not_a_backup(db, tmp_path):
    with pytest.raises(CommandError, match="is not a backup: database.dump and media.tar missing"):
        call_command("restore", str(tmp_path), "--no-input")


def test_on_sqlite_backup_says_it_needs_postgresql(tmp_path):
    result = run(
        ["manage.py", "backup", "--to", str(tmp_path / "backups")],
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 1
    assert "CommandError: Backups need PostgreSQL" in result.stderr
    assert "this database is SQLite." in result.stderr
    assert not (tmp_path / "backups").exists()
