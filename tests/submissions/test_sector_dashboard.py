"""The sector dashboard: its figures, that each links to a list the person may open, its filters,
its CSV tables, its query count and who may open it."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.enums import PlanStatus, Status
from actionplans.models import Action, ActionPlan, Heading, ProgressReview, ReviewEntry
from assessments.enums import AssessmentStatus
from assessments.models import CohortDeadline, FormVersion, SelfAssessment, Theme
from publications.enums import PdfState, PublicationKind
from publications.models import Publication
from signatories.enums import Nation, OrganisationKind
from submissions.models import Assignment
from tests.factories import OrganisationFactory
from tests.matrix import is_allowed, matrix, outcome

URL = "/signatories/dashboard/"


def text_of(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def assessment(organisation, status, due_on=None):
    return SelfAssessment.objects.create(
        organisation=organisation,
        form_version=FormVersion.objects.order_by("in_use_from").first(),
        due_on=due_on or date(2027, 1, 1),
        status=status,
    )


def plan_with_reviews(organisation, reviews, starts_on=None):
    """A published plan with one action per status given for the first review, and a finalised,
    published progress review for each list of statuses in ``reviews`` (one status per action)."""
    starts_on = starts_on or (timezone.localdate().replace(day=1) - timedelta(days=400))
    plan = ActionPlan.objects.create(
        organisation=organisation,
        title="Plan",
        starts_on=starts_on.replace(day=1),
        ends_on=date(starts_on.year + 3, starts_on.month, 1) - timedelta(days=1),
        horizon_months=36,
        status=PlanStatus.PUBLISHED,
    )
    themes = list(Theme.objects.order_by("position"))
    headings = [
        Heading.objects.create(plan=plan, theme=t, position=n) for n, t in enumerate(themes)
    ]
    actions = [
        Action.objects.create(
            plan=plan, heading=headings[n % len(headings)], position=n, title=f"Action {n}"
        )
        for n in range(len(reviews[0]))
    ]
    for n, statuses in enumerate(reviews):
        review = ProgressReview.objects.create(
            plan=plan,
            reviewed_on=starts_on + timedelta(days=100 * (n + 1)),
            period_from=starts_on,
            period_to=starts_on + timedelta(days=100 * (n + 1)),
            finalised_at=timezone.now(),
        )
        ReviewEntry.objects.bulk_create(
            ReviewEntry(review=review, action=a, status=s)
            for a, s in zip(actions, statuses, strict=True)
        )
        Publication.objects.create(
            organisation=organisation,
            kind=PublicationKind.PROGRESS_REVIEW,
            version=n + 1,
            title=f"Progress review {n + 1}",
            content={},
            review=review,
            pdf_state=PdfState.FAILED,
        )
    return plan


@pytest.fixture
def sector(org_a, org_b, reviewer):
    """Aldermoor (England, a draft, two reviews) and Brackenfield (Scotland, research institute,
    submitted and assigned to the reviewer, one review), and one signatory that has not started."""
    org_b.nation = Nation.SCOTLAND
    org_b.kind = OrganisationKind.RESEARCH_INSTITUTE
    org_b.save()
    assessment(org_a, AssessmentStatus.DRAFT)
    submitted = assessment(org_b, AssessmentStatus.SUBMITTED)
    Assignment.objects.create(
        assessment=submitted,
        reviewer=reviewer,
        assigned_at=timezone.now() - timedelta(days=12),
    )
    plan_with_reviews(
        org_a,
        [
            [Status.RED, Status.AMBER, Status.NOT_STARTED, Status.GREEN],
            [Status.GREEN, Status.GREEN, Status.AMBER, Status.COMPLETE],
        ],
    )
    plan_with_reviews(org_b, [[Status.COMPLETE, Status.COMPLETE]])
    OrganisationFactory(name="Cairnbeck College")
    return submitted


def test_the_figures_count_the_sector(client, reviewer, sector):
    client.force_login(reviewer)
    page = client.get(URL).content.decode()
    text = text_of(page)
    assert "3 organisations match these filters." in text
    # By state: one draft, one submitted, one not started.
    assert re.search(r"Not started( \d+)* 1 Draft( \d+)* 1 Awaiting sign-off( 0)+ Submitted", text)
    # Reviewer workload: one open review, assigned 12 days ago.
    assert re.search(r"Rhys Vaughan 1 \d+ \w+ \d{4} 12", text)
    # RAG by theme, with status words and shapes in the text alternative and the data table.
    assert "in the latest published progress review of 2 organisations" in text
    assert (
        '<desc id="theme-1-desc">Recognition: ● On track 1 (50%), ✔ Completed 1 (50%); '
        "2 actions in all.</desc>"
    ) in page
    assert "✔ Completed" in text
    # Small multiples by nation and kind.
    assert 'id="nation-england"' in page
    assert 'id="nation-scotland"' in page
    assert 'id="kind-research_institute"' in page
    assert "1 organisation in Scotland" in text
    # Each signatory across its reviews: Aldermoor's two reviews, oldest first, and its plan.
    trends = text.split("Each signatory across its reviews")[1]
    trend = re.search(r"University of Aldermoor (.*?) Download", trends)[1]
    assert re.search(
        r"Plan period: Month \d+ of 36 \d+ \w+ \d{4} 1 1 1 1 0 \d+ \w+ \d{4} 0 0 1 2 1$", trend
    )


def test_only_published_reviews_count_never_a_withdrawn_or_unpublished_one(
    client, reviewer, sector, org_b
):
    client.force_login(reviewer)
    Publication.objects.filter(organisation=org_b).update(withdrawn_at=timezone.now())
    text = text_of(client.get(URL).content.decode())
    assert "in the latest published progress review of 1 organisation" in text
    assert "1 organisation in Scotland" not in text
    Publication.objects.all().delete()  # finalised, never published
    text = text_of(client.get(URL).content.decode())
    assert "No progress review has been published yet." in text


def test_the_progress_bar_says_the_month_in_words(client, reviewer, org_a):
    start = timezone.localdate().replace(day=1)
    month_start = date(start.year - 1, start.month, 1)  # 13 months ago: month 13 of 36
    plan_with_reviews(org_a, [[Status.GREEN]], starts_on=month_start)
    client.force_login(reviewer)
    page = client.get(URL).content.decode()
    assert "Month 13 of 36 (36% of the period)" in page
    assert "Plan period: <strong>Month 13 of 36</strong>" in page


def links_of(page: str) -> list[str]:
    return sorted(
        {
            href.replace("&amp;", "&")
            for href in re.findall(r'href="([^"#]+)"', page)
            if href.startswith("/") and not href.startswith("/static/")
        }
    )


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_every_link_on_the_dashboard_and_its_lists_opens(client, request, persona, sector):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(URL + "?nation=england").content.decode()
    links = links_of(page)
    assert any(link.startswith("/signatories/?") for link in links)
    assert any(".csv" in link for link in links)
    # The lists behind the figures, and every link on those.
    for listed in [link for link in links if link.startswith("/signatories/?")]:
        links += links_of(client.get(listed).content.decode())
    broken = {}
    for link in sorted(set(links)):
        if link.startswith("/accounts/logout"):
            continue
        # The home page sends a signed-in person on to their own dashboard.
        response = client.get(link, follow=True)
        if response.status_code != 200:
            broken[link] = response.status_code
    assert broken == {}


def test_a_figure_leads_to_the_organisations_it_counts(client, reviewer, sector):
    client.force_login(reviewer)
    page = client.get(URL).content.decode()
    # The submitted one, by its state and the reviewer's open review.
    submitted = re.search(r'href="(/signatories/\?state=submitted)"', page)[1]
    listed = text_of(client.get(submitted).content.decode())
    assert "1 organisation, overdue first." in listed
    assert "Brackenfield Institute" in listed
    assert "Aldermoor" not in listed
    reviewer_link = re.search(r'href="(/signatories/\?reviewer=\d+)"', page)[1]
    assert "Brackenfield Institute" in text_of(client.get(reviewer_link).content.decode())
    reviewed = text_of(client.get("/signatories/?reviewed=1").content.decode())
    assert "2 organisations" in reviewed
    assert "Cairnbeck" not in reviewed


def test_the_filters_narrow_every_figure_and_its_links(client, reviewer, sector):
    client.force_login(reviewer)
    page = client.get(URL + "?nation=scotland").content.decode()
    text = text_of(page)
    assert "1 organisation match these filters." in text
    assert 'id="nation-england"' not in page
    assert 'id="nation-scotland"' in page
    assert "/signatories/?nation=scotland&amp;state=submitted" in page
    assert "/signatories/dashboard/states.csv?nation=scotland" in page


def test_cohorts_are_columns_with_their_own_links(client, reviewer, org_a):
    cohort = CohortDeadline.objects.create(
        name="Early signatories",
        signed_from=date(2019, 1, 1),
        signed_until=date(2021, 1, 1),
        due_on=date(2027, 3, 1),
        counts_from=date(2026, 1, 1),
    )
    assessment(org_a, AssessmentStatus.DRAFT)
    client.force_login(reviewer)
    page = client.get(URL).content.decode()
    assert '<th scope="col" class="text-end">Early signatories</th>' in page
    link = f"/signatories/?cohort={cohort.pk}&amp;state=draft"
    assert f'<a href="{link}">1</a>' in page
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert "University of Aldermoor" in listed


def test_due_windows_count_overdue_and_soon(client, reviewer, db):
    today = timezone.localdate()
    # The first self-assessment is due a year after signing.
    OrganisationFactory(name="Late College", signed_on=date(today.year - 2, 1, 1))
    OrganisationFactory(name="Soon College", signed_on=today - timedelta(days=360))
    client.force_login(reviewer)
    text = text_of(client.get(URL).content.decode())
    assert "Overdue 1 Due within 7 days 1 Due within 30 days 1 Due within 60 days 1" in text
    listed = text_of(client.get("/signatories/?due=overdue").content.decode())
    assert "Late College" in listed
    assert "Soon College" not in listed


@pytest.mark.parametrize(
    ("table", "first_row"),
    [
        ("states", ["Not started", "1", "1"]),
        ("due", ["Overdue", "3"]),  # every one signed in 2020 and never assessed
        ("reviewers", ["Rhys Vaughan", "1"]),
        ("nations", ["England", "0", "0", "1", "2", "1", "4"]),
        ("kinds", ["University", "0", "0", "1", "2", "1", "4"]),
        ("trends", ["Brackenfield Institute"]),
    ],
)
def test_each_table_downloads_as_csv(client, reviewer, sector, table, first_row):
    client.force_login(reviewer)
    response = client.get(reverse("submissions:sector_csv", args=[table]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="sector-{table}-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][: len(first_row)] == first_row


def test_the_themes_table_has_a_row_per_theme(client, reviewer, sector):
    client.force_login(reviewer)
    response = client.get(reverse("submissions:sector_csv", args=["themes"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Theme",
        "○ Not started",
        "■ Delayed",
        "▲ In progress",
        "● On track",
        "✔ Completed",
        "Total",
    ]
    assert sum(int(row[-1]) for row in rows[1:]) == 6  # Aldermoor's latest 4, Brackenfield's 2


def test_an_action_deleted_since_its_review_still_counts(client, reviewer, sector, org_a):
    """A published review is a record: deleting an own heading and its action from the plan keeps
    their entry (actionplans.models.keep_action_record), counted under 'Other headings'."""
    plan = ActionPlan.objects.get(organisation=org_a)
    outreach = Heading.objects.create(plan=plan, own_name="Fenwick outreach", position=9)
    visit = Action.objects.create(plan=plan, heading=outreach, position=9, title="Visit schools")
    latest = plan.reviews.order_by("-reviewed_on").first()
    ReviewEntry.objects.create(review=latest, action=visit, status=Status.COMPLETE)
    outreach.actions.all().delete()
    outreach.delete()
    client.force_login(reviewer)
    response = client.get(reverse("submissions:sector_csv", args=["themes"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Other headings", "0", "0", "0", "0", "1", "1"] in rows
    assert sum(int(row[-1]) for row in rows[1:]) == 7
    response = client.get(reverse("submissions:sector_csv", args=["nations"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["England", "0", "0", "1", "2", "2", "5"]


def test_the_list_behind_a_figure_downloads_with_its_filters(client, reviewer, sector):
    client.force_login(reviewer)
    page = client.get("/signatories/?nation=scotland").content.decode()
    assert 'href="/signatories/dashboard/signatories.csv?nation=scotland" download' in page
    response = client.get("/signatories/dashboard/signatories.csv?nation=scotland")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Organisation", "Nation", "Kind", "Status"]
    assert [row[:4] + row[7:] for row in rows[1:]] == [
        ["Brackenfield Institute", "Scotland", "Research institute", "Signatory", "Submitted", ""]
    ]


def test_an_unknown_table_is_not_there(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/signatories/dashboard/secrets.csv").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_dashboard_costs_no_query_per_organisation(
    client, reviewer, count, django_assert_max_num_queries
):
    for organisation in OrganisationFactory.create_batch(count):
        submitted = assessment(organisation, AssessmentStatus.SUBMITTED)
        Assignment.objects.create(assessment=submitted, reviewer=reviewer)
        plan_with_reviews(organisation, [[Status.RED, Status.GREEN], [Status.GREEN] * 2])
    client.force_login(reviewer)
    with django_assert_max_num_queries(11):
        page = client.get(URL).content.decode()
    assert f"{count} organisations match these filters." in text_of(page)
    assert page.count('<figure class="progress-chart') == count


@pytest.mark.parametrize(
    ("person", "result"), matrix({"reviewer", "administrator"}), indirect=["person"]
)
def test_who_opens_the_dashboard(client_as, person, org_a, result):
    response = client_as(person).get(URL)
    assert outcome(response) == result
    if is_allowed(result):
        assert "The sector at a glance" in response.content.decode()


@pytest.mark.parametrize(
    ("person", "result"), matrix({"reviewer", "administrator"}), indirect=["person"]
)
def test_who_downloads_a_table(client_as, person, org_a, result):
    response = client_as(person).get(reverse("submissions:sector_csv", args=["states"]))
    assert outcome(response) == result
    if is_allowed(result):
        assert response.content.decode("utf-8-sig").startswith("Self-assessment,")


def test_every_region_of_the_dashboard_has_a_name_of_its_own(client, reviewer, sector):
    """A section named by its heading and the scrolling table inside it are two regions: they
    must not share a name, or a screen reader's list of regions names one twice."""
    client.force_login(reviewer)
    page = client.get(URL).content.decode()
    headings = dict(re.findall(r'<h2[^>]* id="([^"]+)"[^>]*>(.*?)</h2>', page))
    sections = [headings[i] for i in re.findall(r'<section aria-labelledby="([^"]+)"', page)]
    tables = re.findall(r'role="region" aria-label="([^"]+)"', page)
    names = sections + tables
    assert len(sections) >= 7
    assert len(tables) == 2
    assert len(set(names)) == len(names), names
