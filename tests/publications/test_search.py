# ruff: noqa: F811 - the fixtures of test_public, imported by name, are the tests arguments
"""The search across published plans: public, found by words (full text on PostgreSQL, plain
substrings on SQLite), filtered, each hit linking to its action's row with its status history;
withdrawn documents never found; user text escaped in snippets; queries flat."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.enums import Status
from publications import services
from publications.models import PublishedAction
from signatories.enums import Nation, OrganisationKind
from tests import bulk_plans
from tests.publications.test_public import (  # noqa: F401 - fixtures
    WITHDRAWN_ACTION,
    _media,
    aldermoor,
    plan,
    published_plan,
    published_review,
    text_of,
    withdrawn_plan,
)

SEARCH = reverse("publications:search")


def titles(response) -> list[str]:
    return [hit.action.title for hit in response.context["hits"]]


def test_anyone_finds_an_action_by_its_words_with_its_status_history_and_row(
    client, published_review
):
    response = client.get(SEARCH, {"q": "professional registration"})
    assert response.status_code == 200
    assert titles(response) == ["Pay professional registration fees"]
    hit = response.context["hits"][0]
    html = response.content.decode()
    url = f"{hit.action.publication.get_absolute_url()}#{hit.action.anchor}"
    assert f'href="{url}"' in html
    assert "<mark>" in html  # the words are highlighted
    text = text_of(response)
    assert "1 result found" in text
    assert "Aldermoor" in text
    assert [(h["reviewed_on"].isoformat(), h["status"]) for h in hit.history] == [
        ("2027-06-30", Status.COMPLETE)
    ]
    assert "Status in published progress reviews: 30 June 2027: ✔ Completed" in text
    # The link leads to the action's own row in the published plan.
    page = client.get(hit.action.publication.get_absolute_url()).content.decode()
    row = page.split(f'id="{hit.action.anchor}"', 1)[1].split("</tr>", 1)[0]
    assert "Pay professional registration fees" in row


def test_a_signed_in_person_finds_the_same(client, published_plan, lead_of_org_a, reviewer):
    for person in (None, lead_of_org_a, reviewer):
        visitor = Client()
        if person:
            visitor.force_login(person)
        response = visitor.get(SEARCH, {"q": "technician"})
        assert response.status_code == 200
        assert len(titles(response)) == 3


def test_the_empty_search_lists_nothing_and_says_nothing_was_asked(client, published_plan):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["hits"] == []
    assert "found" not in text_of(response)


def test_filters_by_theme_status_nation_kind_and_cycle(client, published_plan):
    def found(**query):
        return sorted(titles(client.get(SEARCH, query)))

    assert found(theme="recognition") == ["Pay professional registration fees"]
    assert found(status=Status.RED) == ["Count technicians in every department"]
    assert found(q="technician", theme="visibility", status=Status.GREEN) == [
        "Celebrate technician achievements at an annual event",
        "Name technicians as authors on research outputs",
    ]
    assert len(found(nation=Nation.ENGLAND)) == 4
    assert found(nation=Nation.WALES) == []
    assert len(found(kind=published_plan.organisation.kind)) == 4
    other_kind = next(k for k in OrganisationKind if k != published_plan.organisation.kind)
    assert found(kind=other_kind) == []
    assert len(found(cycle="2026")) == 4
    # A filter the form does not offer is ignored rather than failing.
    assert found(q="registration", cycle="1999", status="purple") == [
        "Pay professional registration fees"
    ]


def test_a_withdrawn_plan_is_never_found_and_withdrawing_it_removes_its_actions(
    client, published_plan, withdrawn_plan, lead_of_org_a
):
    assert titles(client.get(SEARCH, {"q": "champion"})) == []
    assert WITHDRAWN_ACTION not in client.get(SEARCH, {"status": Status.RED}).content.decode()
    assert titles(client.get(SEARCH, {"q": "registration"})) == [
        "Pay professional registration fees"
    ]
    services.withdraw(published_plan, by=lead_of_org_a, reason="Replaced.")
    assert titles(Client().get(SEARCH, {"q": "registration"})) == []
    assert not PublishedAction.objects.exists()


def test_a_review_published_later_gives_the_actions_its_statuses(
    client, published_plan, plan, lead_of_org_a
):
    review = plan_services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=plan.starts_on.replace(year=2027, month=6),
        period_from=plan.starts_on,
        period_to=plan.starts_on.replace(year=2027, month=5),
    )
    review.entries.update(status=Status.AMBER)
    plan_services.finalise_review(review, by=lead_of_org_a)
    services.publish_review(review, by=lead_of_org_a)
    assert len(titles(client.get(SEARCH, {"status": Status.AMBER}))) == 4


def test_the_latest_published_reviews_comments_are_found_with_their_action(
    client, published_plan, plan, lead_of_org_a
):
    assert titles(client.get(SEARCH, {"q": "porcelain kilns"})) == []
    review = plan_services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=plan.starts_on.replace(year=2027, month=6),
        period_from=plan.starts_on,
        period_to=plan.starts_on.replace(year=2027, month=5),
    )
    entry = review.entries.select_related("action").first()
    entry.comment = "Training on the porcelain kilns began in May."
    entry.save()
    plan_services.finalise_review(review, by=lead_of_org_a)
    services.publish_review(review, by=lead_of_org_a)
    assert titles(client.get(SEARCH, {"q": "porcelain kilns"})) == [entry.action.title]


def test_user_text_in_titles_and_snippets_is_escaped_but_the_marks_are_not(
    client, lead_of_org_a, plan
):
    plan.actions.filter(title="Pay professional registration fees").update(
        title="<b>Bold</b> registration plan",
        description='Pay the registration fees <script>alert("x")</script> & report.',
    )
    services.publish_plan(plan, by=lead_of_org_a)
    html = client.get(SEARCH, {"q": "registration"}).content.decode()
    assert "<script>alert" not in html
    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; <mark>registration</mark>" in html
    assert "Pay the <mark>registration</mark> fees" in html
    if connection.vendor == "sqlite":  # PostgreSQL's headline leaves tags out of snippets
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&amp; report" in html


@pytest.mark.parametrize("count", [10, 150])
def test_the_search_runs_in_constant_queries(client, db, count, django_assert_max_num_queries):
    bulk_plans.build(count, actions=40, papers=True)
    # The themes, the plans' years, the count, the page of hits, their reviews, on PostgreSQL
    # their snippets; and the last public change from the shared cache.
    with django_assert_max_num_queries(7 if connection.vendor == "postgresql" else 6):
        response = client.get(SEARCH, {"q": "registration", "theme": "visibility"})
    # Actions 0 and 20 of each plan, and an achievement of each update paper.
    assert response.context["count"] == count * 3
    hits = response.context["hits"]
    assert len(hits) == 20
    assert all(hit.history for hit in hits if not hit.action.from_paper)
    # A page of update papers' achievements only, in as few queries.
    with django_assert_max_num_queries(7 if connection.vendor == "postgresql" else 6):
        achieved = Client().get(SEARCH, {"q": "achieved registration", "theme": "visibility"})
    assert achieved.context["count"] == count
    papers = achieved.context["hits"]
    assert len(papers) == min(count, 20)
    assert all(hit.action.from_paper and not hit.history for hit in papers)
    assert all(hit.paper_dated_on.isoformat() == "2028-02-01" for hit in papers)
    # The next visitor gets the page as rendered.
    with django_assert_max_num_queries(1):
        again = Client().get(SEARCH, {"q": "registration", "theme": "visibility"})
    assert again.content == response.content


def test_reindex_search_rebuilds_every_public_plans_rows_and_no_withdrawn_one(
    client, published_review, withdrawn_plan
):
    PublishedAction.objects.all().delete()
    out = io.StringIO()
    call_command("reindex_search", stdout=out)
    assert (
        out.getvalue().strip() == "Indexed 4 rows: published actions, achievements and next steps."
    )
    assert sorted(PublishedAction.objects.values_list("title", flat=True)) == [
        "Celebrate technician achievements at an annual event",
        "Count technicians in every department",
        "Name technicians as authors on research outputs",
        "Pay professional registration fees",
    ]
    assert set(PublishedAction.objects.values_list("publication", flat=True)) == {
        published_review.review.plan.publications.get(version=1).pk
    }


def test_many_hits_come_in_numbered_pages_as_the_directory_does(client, db):
    bulk_plans.build(3, actions=40)  # one action in five is on registration fees: 24 hits
    page = client.get(SEARCH, {"q": "registration fees"}).content.decode()
    assert '<span id="results-count">24 results found</span>' in page
    assert '<span class="visually-hidden">Page </span>1</span>' in page  # the current page
    assert (
        'href="?q=registration+fees&amp;page=2"><span class="visually-hidden">Page </span>2' in page
    )
    assert len(titles(client.get(SEARCH, {"q": "registration fees", "page": "2"}))) == 4
