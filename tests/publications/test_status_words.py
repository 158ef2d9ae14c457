"""One status word and one badge: each status reads the same in the plan editor, on the public page
and in the PDF, in the plan's own word, with one fallback where the plan gave none."""

from datetime import date

import pytest
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.enums import STATUS_SHAPES, PlanStatus, Status, status_word
from actionplans.models import StatusWording
from publications import services as publishing
from publications.models import Publication
from publications.pdf import PlanPdf
from tests.pdf_text import body_text

# The plan's own words: red and complete reworded, the others as a new plan starts.
WORDS = {
    Status.NOT_STARTED: "Not started",
    Status.RED: "Behind schedule",
    Status.AMBER: "In progress",
    Status.GREEN: "On track",
    Status.COMPLETE: "Done and dusted",
}


def badge(status: str, word: str) -> str:
    return (
        f'<span class="status-badge status-{status}"><span class="shape" aria-hidden="true">'
        f"{STATUS_SHAPES[status]}</span> {word}</span>"
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(org_a, lead_of_org_a):
    """A plan with one action at each status; the amber word never stored, so that every view
    has to fall back to the same word."""
    plan = plan_services.create_plan(
        org_a, by=lead_of_org_a, starts_on=date(2026, 12, 1), horizon_months=24
    )
    plan_services.set_wording(plan, Status.RED, WORDS[Status.RED])
    plan_services.set_wording(plan, Status.COMPLETE, WORDS[Status.COMPLETE])
    StatusWording.objects.filter(plan=plan, status=Status.AMBER).delete()
    heading = plan.headings.get(theme__slug="visibility")
    for status in Status:
        plan_services.add_action(
            heading, by=lead_of_org_a, title=f"The action that is {status.value}", status=status
        )
    return plan


def test_status_word_has_one_fallback():
    assert status_word({"red": "Behind"}, "red") == "Behind"
    assert status_word({}, "red") == "Delayed"
    assert status_word(None, "amber") == "In progress"
    assert status_word({"red": ""}, "red") == "Delayed"
    assert status_word({}, "something_else") == "something_else"
    assert status_word({}, "") == ""


def test_each_status_reads_the_same_in_the_editor_the_public_page_and_the_pdf(
    client, plan, lead_of_org_a
):
    client.force_login(lead_of_org_a)
    editor = client.get(reverse("actionplans:plan", args=[plan.organisation.slug, plan.pk]))
    plan_services.transition(plan, to=PlanStatus.APPROVED, by=lead_of_org_a, comment="Accepted.")
    publication = publishing.publish_plan(plan, by=lead_of_org_a)
    # A publication made before its plan had worded every status (as older ones were).
    content = {**publication.content, "wording": {"red": WORDS[Status.RED]}}
    content["wording"]["complete"] = WORDS[Status.COMPLETE]
    Publication.objects.filter(pk=publication.pk).update(content=content)
    publication.refresh_from_db()
    client.logout()
    public = client.get(publication.get_absolute_url())
    _, _, data = PlanPdf().render(publication)
    pdf = body_text(data)

    editor_html, public_html = editor.content.decode(), public.content.decode()
    for status, word in WORDS.items():
        assert badge(status, word) in editor_html, status
        assert badge(status, word) in public_html, status
        assert f"The action that is {status.value} {STATUS_SHAPES[status]} {word}" in pdf
    for html in (editor_html, public_html, pdf):
        assert "Amber" not in html
        assert ">Red<" not in html
        assert " Red " not in html
