"""One redaction rule, applied when publishing: a publication's stored content never holds a
private answer, so neither its public page nor its PDF can show one; publications stored before
the rule are redacted by a data migration."""

import copy
import importlib
import json

import pytest
from django.apps import apps

from publications import services as publishing
from publications.enums import PdfState
from publications.models import Publication
from publications.redaction import redact
from tests.pdf_text import body_text
from tests.publications.test_pdf import accept_with_plan
from tests.submissions.conftest import ready  # noqa: F401 - a fixture

EMAIL, TELEPHONE = "lead.a@example.org", "0151 000 0000"


def question(kind: str, text: str, **extra) -> dict:
    return {"key": kind, "text": kind, "kind": kind, "boxes": [{"text": text}], **extra}


CONTENT = {
    "document": {
        "sections": [
            {"position": 1, "questions": [question("short_text", "Aldermoor")]},
            {
                "position": 2,
                "questions": [
                    question("email", EMAIL),
                    question("long_text", "<p>Our answer.</p>"),
                    question("telephone", TELEPHONE),
                    question("short_text", "Home address", private=True),
                ],
            },
        ],
        "plan": None,
    },
    "revision": 1,
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_redact_takes_out_every_private_answer_in_any_section_and_leaves_its_input():
    before = copy.deepcopy(CONTENT)
    redacted = redact(CONTENT)
    assert before == CONTENT
    kept = [q["kind"] for s in redacted["document"]["sections"] for q in s["questions"]]
    assert kept == ["short_text", "long_text"]
    assert (EMAIL in json.dumps(redacted), TELEPHONE in json.dumps(redacted)) == (False, False)
    assert redacted["revision"] == 1


@pytest.fixture
def publication(
    ready,  # noqa: F811
    lead_of_org_a,
    leader_of_org_a,
    administrator,
    django_capture_on_commit_callbacks,
):
    assessment, _ = accept_with_plan(ready, lead_of_org_a, leader_of_org_a, administrator)
    with django_capture_on_commit_callbacks(execute=True):
        return publishing.publish_self_assessment(assessment, by=lead_of_org_a)


def stored_pdf_text(publication) -> str:
    publication.refresh_from_db()
    assert publication.pdf_state == PdfState.READY
    with publication.pdf.open("rb") as stored:
        return body_text(stored.read(), footer=True)


def test_the_stored_content_the_page_and_the_pdf_hold_no_private_answer(
    client, publication, lead_of_org_a
):
    # The submitted revision has them (the reviewers see the lead's contact details) ...
    assert EMAIL in json.dumps(publication.snapshot.content)
    assert TELEPHONE in json.dumps(publication.snapshot.content)
    # ... the publication does not, anywhere.
    stored = json.dumps(Publication.objects.get(pk=publication.pk).content)
    page = client.get(publication.get_absolute_url()).content.decode()
    pdf = stored_pdf_text(publication)
    assert "Lena Aldous" in page
    assert "Lena Aldous" in pdf
    for where in (stored, page, pdf):
        assert (EMAIL in where, TELEPHONE in where) == (False, False)


def test_the_migration_redacts_publications_stored_before_the_rule(publication):
    # As a publication was stored before: the snapshot's content as it was, with the private
    # answers, and a telephone answer outside the header that the old PDF printed.
    old = {**publication.content, "document": copy.deepcopy(publication.snapshot.content)}
    old["document"]["sections"][1]["questions"].append(question("telephone", TELEPHONE))
    Publication.objects.filter(pk=publication.pk).update(content=old)
    migration = importlib.import_module("publications.migrations.0002_redact_published_content")

    migration.redact_publications(apps, None)

    publication.refresh_from_db()
    stored = json.dumps(publication.content)
    assert (EMAIL in stored, TELEPHONE in stored) == (False, False)
    assert publication.content == redact(old)
    pdf = stored_pdf_text(publication)  # rendered again, from the redacted content
    assert "Lena Aldous" in pdf
    assert (EMAIL in pdf, TELEPHONE in pdf) == (False, False)
