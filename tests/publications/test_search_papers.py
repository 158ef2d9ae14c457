# ruff: noqa: F811 - the fixtures of test_update_papers, imported by name, are the tests arguments
"""The search finds published update papers too: each achievement (and the next steps) of the
latest public version of each paper, said to come from the update paper (its title and date),
linking to the achievement on the paper's page; filtered as plans' actions are (a status leaves
them out: an achievement has none); publishing again replaces the rows, withdrawing removes them;
the data migration builds the index for what was published before it."""

import io
from importlib import import_module

from django.apps import apps as project_apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from actionplans.enums import Status
from publications import services
from publications.models import Publication, PublishedAction
from publications.search import reindex_all
from signatories.enums import Nation, OrganisationKind
from tests.actionplans.test_update_papers import FIRST, SECOND, THIRD
from tests.publications.test_public import text_of
from tests.publications.test_update_papers import (  # noqa: F401 - fixtures
    _media,
    paper,
    plan,
    review,
)

SEARCH = reverse("publications:search")
MIGRATION = "0008_index_published_documents"
NEXT_STEPS = "Open a second clinic at the Quayside campus."


def rows() -> list[tuple]:
    return list(
        PublishedAction.objects.order_by("heading_number", "number").values_list(
            "heading_number", "number", "heading", "theme", "title", "text", "status"
        )
    )


def hits(response) -> list[tuple[str, str]]:
    return [(h.action.title, h.action.text) for h in response.context["hits"]]


def test_publishing_a_paper_indexes_its_achievements_and_next_steps(paper, lead_of_org_a):
    publication = services.publish_update_paper(paper, by=lead_of_org_a)
    assert rows() == [
        (0, 0, "", "", "Next steps", NEXT_STEPS, ""),
        (1, 1, "Year 1, Visibility", "visibility", FIRST, f"{FIRST}: Open weekly.", ""),
        (2, 1, "Year 2, Visibility", "visibility", SECOND, f"{SECOND}: Two seats from March.", ""),
        (2, 2, "Year 2, Recognition", "recognition", THIRD, THIRD, ""),
    ]
    assert set(PublishedAction.objects.values_list("publication", "starts_year")) == {
        (publication.pk, 2026)
    }


def test_publishing_again_replaces_the_rows_and_withdrawing_removes_them(paper, lead_of_org_a):
    services.publish_update_paper(paper, by=lead_of_org_a)
    paper.achievements.filter(action__title=THIRD).update(text="Held the first showcase in May.")
    paper.next_steps = ""
    paper.save()
    second = services.publish_update_paper(paper, by=lead_of_org_a)
    assert [r[5] for r in rows()] == [
        f"{FIRST}: Open weekly.",
        f"{SECOND}: Two seats from March.",
        "Held the first showcase in May.",
    ]
    assert set(PublishedAction.objects.values_list("publication", flat=True)) == {second.pk}
    # Withdrawing the latest version leaves the earlier public one found, as a plan's does.
    services.withdraw(second, by=lead_of_org_a, reason="A mistake in the dates.")
    first = Publication.objects.get(kind="update_paper", version=1)
    assert set(PublishedAction.objects.values_list("publication", flat=True)) == {first.pk}
    services.withdraw(first, by=lead_of_org_a, reason="Replaced by next year's paper.")
    assert not PublishedAction.objects.exists()
    assert Client().get(SEARCH, {"q": "clinic"}).context["hits"] == []


def test_a_search_finds_an_achievement_says_its_paper_and_links_to_it(client, paper, lead_of_org_a):
    publication = services.publish_update_paper(paper, by=lead_of_org_a)
    response = client.get(SEARCH, {"q": "seats"})
    assert hits(response) == [(SECOND, f"{SECOND}: Two seats from March.")]
    text = text_of(response)
    assert "1 result found" in text
    assert (
        "University of Aldermoor, from the update paper Update paper, February 2029, dated "
        "1 February 2029: Year 2, Visibility"
    ) in text
    assert "Two <mark>seats</mark> from March." in response.content.decode()
    assert "Status:" not in text  # an achievement has no status; it never says "none given"
    url = f"{publication.get_absolute_url()}#paper-p2-a1"
    assert f'href="{url}"' in response.content.decode()
    # The link leads to that achievement on the paper's page.
    page = client.get(publication.get_absolute_url()).content.decode()
    item = page.split('id="paper-p2-a1"', 1)[1].split("</li>", 1)[0]
    assert f"{SECOND}: Two seats from March." in item
    # The next steps are found too, and lead to their section.
    response = client.get(SEARCH, {"q": "Quayside"})
    assert hits(response) == [("Next steps", NEXT_STEPS)]
    assert f'href="{publication.get_absolute_url()}#paper-next-steps"' in response.content.decode()
    assert 'id="paper-next-steps"' in page


def test_the_filters_apply_to_papers_and_a_status_leaves_them_out(client, paper, lead_of_org_a):
    services.publish_update_paper(paper, by=lead_of_org_a)

    def found(**query):
        return sorted(title for title, _ in hits(client.get(SEARCH, query)))

    assert found(theme="recognition") == [THIRD]
    assert found(q="technician", theme="visibility") == sorted([FIRST, SECOND])
    assert found(q="technician", nation=Nation.ENGLAND) == sorted([FIRST, SECOND, THIRD])
    assert found(q="technician", nation=Nation.WALES) == []
    assert found(q="technician", kind=OrganisationKind.UNIVERSITY) == sorted([FIRST, SECOND, THIRD])
    other_kind = next(k for k in OrganisationKind if k != OrganisationKind.UNIVERSITY)
    assert found(q="technician", kind=other_kind) == []
    assert found(q="clinic", cycle="2026") == sorted([FIRST, "Next steps"])
    # The status an achievement's action had is the plan's and the review's to say, not the
    # paper's: a search by status finds actions only.
    assert found(q="technician", status=Status.COMPLETE) == []


def test_a_paper_published_before_themes_were_kept_has_none(paper, lead_of_org_a):
    publication = services.publish_update_paper(paper, by=lead_of_org_a)
    content = publication.content
    for period in content["periods"]:
        for heading in period["headings"]:
            del heading["theme"]
    Publication.objects.filter(pk=publication.pk).update(content=content)
    reindex_all()
    assert {r[3] for r in rows()} == {""}


def test_reindex_search_and_the_data_migration_index_what_is_published(paper, lead_of_org_a):
    services.publish_update_paper(paper, by=lead_of_org_a)
    indexed = rows()
    PublishedAction.objects.all().delete()
    out = io.StringIO()
    call_command("reindex_search", stdout=out)
    assert (
        out.getvalue().strip() == "Indexed 4 rows: published actions, achievements and next steps."
    )
    assert rows() == indexed
    # The data migration runs the same code on its historical models.
    PublishedAction.objects.all().delete()
    historical = (
        MigrationExecutor(connection).loader.project_state(("publications", MIGRATION)).apps
    )
    assert historical is not project_apps
    # (It changes no schema; SQLite refuses a schema editor inside the test's transaction.)
    import_module(f"publications.migrations.{MIGRATION}").build_index(historical, None)
    assert rows() == indexed
