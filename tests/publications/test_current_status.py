"""One current status per action in public: the published plan shows each action's status from
the latest published progress review of the same plan, as of its date and linked to it, on the
organisation's page, the plan's page and in the plan's PDF; an earlier version of the plan is
labelled as such and keeps its own statuses; query counts stay flat."""

import re
from datetime import date

import pytest
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.enums import PlanStatus, Status
from actionplans.layout import with_review_statuses
from actionplans.models import ActionPlan, ReviewEntry
from publications import services
from publications.pdf import PlanPdf
from tests.pdf_text import body_text

FIRST, SECOND, THIRD = (
    "Name technicians on every research poster",
    "Publish a yearly census of technical roles",
    "Run a technician awards evening",
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(org_a, lead_of_org_a):
    """Organisation A's approved plan: three actions, none started, published as version 1."""
    plan = plan_services.create_plan(org_a, by=lead_of_org_a, starts_on=date(2026, 12, 1))
    visibility = plan.headings.get(theme__slug="visibility")
    recognition = plan.headings.get(theme__slug="recognition")
    plan_services.add_action(visibility, by=lead_of_org_a, title=FIRST)
    plan_services.add_action(visibility, by=lead_of_org_a, title=SECOND)
    plan_services.add_action(recognition, by=lead_of_org_a, title=THIRD)
    ActionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def first_version(plan, lead_of_org_a):
    return services.publish_plan(plan, by=lead_of_org_a)


def publish_review(plan, lead, day, statuses: dict):
    """A review of ``day`` with the given statuses by action title, finalised and published."""
    review = plan_services.start_review(
        plan, by=lead, reviewed_on=day, period_from=date(2026, 12, 1), period_to=day
    )
    for entry in review.entries.select_related("action"):
        if entry.action.title in statuses:
            ReviewEntry.objects.filter(pk=entry.pk).update(
                status=statuses[entry.action.title], comment="Reported to the board."
            )
    plan_services.finalise_review(review, by=lead)
    return services.publish_review(review, by=lead)


def plan_rows(html: str) -> dict[str, str]:
    """Each action of the plan table with the status word in its row."""
    rows = {}
    for row in re.findall(r"<tr[^>]*>\s*<th scope=\"row\" class=\"action\">(.*?)</tr>", html, re.S):
        title = re.sub(r"<[^>]+>", " ", row.split("</th>")[0])
        word = re.search(r'<span class="shape" aria-hidden="true">.</span> ([^<]+)</span>', row)
        rows[" ".join(title.split())] = word[1] if word else ""
    return rows


def test_the_public_plan_reads_the_latest_published_reviews_statuses(
    client, plan, first_version, lead_of_org_a
):
    publish_review(plan, lead_of_org_a, date(2027, 3, 1), {FIRST: Status.AMBER})
    latest = publish_review(
        plan, lead_of_org_a, date(2027, 6, 30), {FIRST: Status.COMPLETE, THIRD: Status.RED}
    )
    organisation = client.get(reverse("publications:organisation", args=["aldermoor"]))
    document = client.get(first_version.get_absolute_url())

    for response in (organisation, document):
        html = response.content.decode()
        plan_part = html[: html.index('id="review-title"')] if "review-title" in html else html
        assert plan_rows(plan_part) == {
            FIRST: "Completed",
            SECOND: "Not started",
            THIRD: "Delayed",
        }
        note = re.search(r'<p class="plan-status-note">(.*?)</p>', html, re.S)[1]
        assert " ".join(re.sub(r"<[^>]+>", "", note).split()) == (
            f"Statuses as of 30 June 2027, from {latest.title}."
        )
        assert f'<a href="{latest.get_absolute_url()}">' in note


def test_an_earlier_version_of_the_plan_is_labelled_and_keeps_its_statuses(
    client, plan, first_version, lead_of_org_a
):
    review = publish_review(plan, lead_of_org_a, date(2027, 6, 30), {FIRST: Status.COMPLETE})
    second = services.publish_plan(plan, by=lead_of_org_a)
    assert second.content["status_as_of"]["url"] == review.get_absolute_url()

    html = client.get(first_version.get_absolute_url()).content.decode()
    assert plan_rows(html)[FIRST] == "Not started"
    note = re.search(r'<div class="alert alert-info plan-snapshot-note">(.*?)</div>', html, re.S)
    assert "This is an earlier version of the action plan" in note[1]
    assert f'<a href="{second.get_absolute_url()}">version 2' in note[1]
    assert "plan-status-note" not in html

    current = client.get(second.get_absolute_url()).content.decode()
    assert plan_rows(current)[FIRST] == "Completed"
    assert "plan-snapshot-note" not in current


def test_the_plan_pdf_has_the_reviews_statuses_and_says_as_of_when(
    plan, first_version, lead_of_org_a
):
    review = publish_review(plan, lead_of_org_a, date(2027, 6, 30), {FIRST: Status.COMPLETE})
    second = services.publish_plan(plan, by=lead_of_org_a)
    text = " ".join(body_text(PlanPdf().render(second)[2]).split())
    assert f"Statuses as of 30 June 2027, from {review.title}." in text
    assert re.search(rf"{FIRST}.*?Completed", text)
    assert "Not started" in text  # the two actions the review left as they were


def test_an_action_the_review_does_not_hold_keeps_the_plans_status():
    plan = {
        "headings": [
            {
                "name": "Visibility",
                "actions": [
                    {"title": "Renamed since", "status": "amber"},
                    {"title": "Moved  heading", "status": "not_started"},
                    {"title": "Stays", "status": "red"},
                ],
            }
        ]
    }
    review = {
        "reviewed_on": "2027-06-30",
        "headings": [
            {"name": "Recognition", "entries": [{"title": "moved heading", "status": "complete"}]},
            {"name": "Visibility", "entries": [{"title": "Stays", "status": "green"}]},
        ],
    }
    found = with_review_statuses(plan, review, title="Progress review", url="/r/1/")
    assert [a["status"] for a in found["headings"][0]["actions"]] == ["amber", "complete", "green"]
    assert found["status_as_of"] == {
        "reviewed_on": "2027-06-30",
        "label": "30 June 2027",
        "title": "Progress review",
        "url": "/r/1/",
    }


@pytest.mark.parametrize("reviews", [1, 4])
def test_the_public_plan_pages_run_in_constant_queries(
    client, plan, first_version, lead_of_org_a, reviews, django_assert_max_num_queries
):
    for n in range(reviews):
        publish_review(plan, lead_of_org_a, date(2027, 1 + n, 1), {FIRST: Status.AMBER})
    with django_assert_max_num_queries(6):
        assert client.get(first_version.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(6):
        page = client.get(reverse("publications:organisation", args=["aldermoor"]))
    assert page.status_code == 200


def test_a_published_review_shows_its_progress_by_theme(client, plan, lead_of_org_a):
    review = publish_review(
        plan, lead_of_org_a, date(2027, 6, 30), {FIRST: Status.COMPLETE, THIRD: Status.RED}
    )
    html = " ".join(client.get(review.get_absolute_url()).content.decode().split())
    counts = html[
        html.index("Progress by theme") : html.index(
            'class="table table-sm review-table plan-cards"'
        )
    ]
    badge = '<span class="status-badge status-{}"><span class="shape" aria-hidden="true">{}</span> {}</span>'  # noqa: E501
    item = '<li class="list-inline-item">'
    done, todo = (
        badge.format("complete", "✔", "Completed"),
        badge.format("not_started", "○", "Not started"),
    )
    late = badge.format("red", "■", "Delayed")
    row = '<th scope="row">{}</th><td><ul class="list-inline mb-0">{}</ul>'

    def items(*badges):
        return "".join(f"{item}1 {b}</li>" for b in badges)

    assert row.format("Visibility", items(todo, done)) in counts
    assert row.format("Recognition", items(late)) in counts
    assert row.format("Overall", items(todo, late, done)) in counts
