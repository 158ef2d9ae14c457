"""An organisation's slug is never a word that is an address of its own at the same place
(/administration/organisations/add/ and .../import/): such an organisation could not be reached.
Neither the administration's form nor the Django admin accepts one, and the signatory list's
import never makes one."""

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils.text import slugify

from signatories import transfer
from signatories.enums import Nation, OrganisationKind
from signatories.models import RESERVED_SLUGS, Organisation
from tests.signatories.test_admin import ADD_URL, organisation_form


def routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_every_fixed_word_where_an_organisations_slug_goes_is_reserved():
    every = list(routes(get_resolver().url_patterns))
    levels = {route.split("<slug:slug>")[0] for route in every if "<slug:slug>" in route}
    assert "administration/organisations/" in levels
    words = {
        route[len(level) :].split("/")[0]
        for level in levels
        for route in every
        if route.startswith(level) and not route[len(level) :].startswith("<")
    }
    # Only a word that is itself a slug could be mistaken for one (not 'signatories.csv').
    fixed = {word for word in words if word and slugify(word) == word}
    assert {"add", "import"} <= fixed
    assert fixed <= RESERVED_SLUGS, f"Add {fixed - RESERVED_SLUGS} to RESERVED_SLUGS."


def administration_form(**changes):
    return {
        "name": "Addington College",
        "short_name": "Add",
        "slug": "addington",
        "kind": OrganisationKind.OTHER,
        "nation": Nation.WALES,
        "signed_on": "2021-06-01",
    } | changes


@pytest.mark.parametrize("slug", ["add", "import", "Import"])
def test_the_administration_refuses_a_reserved_slug_and_keeps_what_was_typed(
    client, administrator, slug
):
    client.force_login(administrator)
    url = reverse("signatories:admin_organisation_add")
    response = client.post(url, administration_form(slug=slug))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<a href="#id_slug">Slug: ‘{slug}’ cannot be a slug: ‘add’ and ‘import’ are pages of '
        "the portal&#x27;s administration." in page
    )
    assert 'value="Addington College"' in page
    assert not Organisation.objects.filter(name="Addington College").exists()


def test_an_organisation_cannot_be_renamed_to_a_reserved_slug(client, administrator, org_a):
    client.force_login(administrator)
    url = reverse("signatories:admin_organisation", args=[org_a.slug])
    data = administration_form(name=org_a.name, slug="import")
    page = client.post(url, data).content.decode()
    assert "‘import’ cannot be a slug" in page
    org_a.refresh_from_db()
    assert org_a.slug == "aldermoor"


def test_the_django_admin_refuses_a_reserved_slug(client, administrator):
    client.force_login(administrator)
    page = client.post(ADD_URL, organisation_form(slug="add")).content.decode()
    assert "‘add’ cannot be a slug" in page
    assert not Organisation.objects.filter(name="Northfield University").exists()


def test_the_import_never_makes_a_reserved_slug(db):
    table = [
        ["Name", "Short name", "Kind", "Nation", "Date signed"],
        ["Addington College", "Add", "Other", "Wales", "2021-06-01"],
        ["Import Institute", "", "Other", "Wales", "2021-06-01"],
    ]
    result = transfer.preview(table)
    assert [row.organisation.slug for row in result.rows] == ["add-2", "import-institute"]
    result = transfer.preview([*table, ["The Import", "Import", "Other", "England", "2022-01-01"]])
    assert [row.organisation.slug for row in result.rows] == [
        "add-2",
        "import-institute",
        "import-2",
    ]
