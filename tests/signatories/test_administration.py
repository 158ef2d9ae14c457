"""The portal's own administration: organisations added, edited and given a new status with a
reason, the signatory list imported, for administrators only."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from signatories.enums import Nation, OrganisationKind, OrganisationStatus
from signatories.models import Organisation
from tests.factories import OrganisationFactory
from tests.matrix import is_allowed, matrix, outcome

ADMINISTRATORS = {"administrator"}

PAGES = [
    ("signatories:admin_organisations", []),
    ("signatories:admin_organisation_add", []),
    ("signatories:admin_import", []),
    ("signatories:admin_organisation", ["aldermoor"]),
    ("signatories:admin_organisation_status", ["aldermoor"]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS), indirect=["person"])
def test_administration_pages(client_as, person, result, name, args):
    response = client_as(person).get(reverse(name, args=args))
    assert outcome(response) == result
    if is_allowed(result):
        assert '<nav aria-label="Administration"' in response.content.decode()


@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS, ok=302), indirect=["person"])
def test_adding_an_organisation(client_as, person, result):
    response = client_as(person).post(
        reverse("signatories:admin_organisation_add"),
        {
            "name": "Fenmarsh College",
            "short_name": "Fenmarsh",
            "slug": "fenmarsh",
            "kind": OrganisationKind.OTHER,
            "nation": Nation.WALES,
            "signed_on": "2021-06-01",
        },
    )
    assert outcome(response) == result
    added = list(Organisation.objects.filter(slug="fenmarsh").values_list("name", "status"))
    if is_allowed(result):
        assert response.url == reverse("signatories:admin_organisation", args=["fenmarsh"])
        assert added == [("Fenmarsh College", OrganisationStatus.SIGNATORY)]
    else:
        assert added == []


def test_an_invalid_organisation_keeps_what_was_typed_and_links_each_error(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("signatories:admin_organisation_add"),
        {"name": "Fenmarsh College", "slug": "not a slug", "kind": "", "nation": Nation.WALES},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_slug">' in page
    assert '<a href="#id_signed_on">Date signed: This field is required.</a>' in page
    assert 'value="Fenmarsh College"' in page
    assert Organisation.objects.filter(name="Fenmarsh College").count() == 0


@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS, ok=302), indirect=["person"])
def test_editing_an_organisation(client_as, person, result, org_a):
    response = client_as(person).post(
        reverse("signatories:admin_organisation", args=[org_a.slug]),
        {
            "name": "University of Aldermoor",
            "short_name": "UoA",
            "slug": "aldermoor",
            "kind": OrganisationKind.UNIVERSITY,
            "nation": Nation.SCOTLAND,
            "signed_on": "2020-01-15",
        },
    )
    assert outcome(response) == result
    org_a.refresh_from_db()
    assert (org_a.short_name, org_a.nation) == (
        ("UoA", Nation.SCOTLAND) if is_allowed(result) else ("Aldermoor", Nation.ENGLAND)
    )


@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS, ok=302), indirect=["person"])
def test_changing_a_status_with_a_reason(client_as, person, result, org_a):
    response = client_as(person).post(
        reverse("signatories:admin_organisation_status", args=[org_a.slug]),
        {"to": OrganisationStatus.LAPSED, "reason": "No self-assessment for six years."},
    )
    assert outcome(response) == result
    org_a.refresh_from_db()
    history = list(org_a.status_changes.values_list("from_status", "to_status", "comment"))
    if is_allowed(result):
        assert org_a.status == OrganisationStatus.LAPSED
        assert history == [("signatory", "lapsed", "No self-assessment for six years.")]
        page = client_as(person).get(reverse("signatories:admin_organisation", args=["aldermoor"]))
        assert "Signatory → Lapsed, by Ada Minter." in page.content.decode()
        assert "Reason: No self-assessment for six years." in page.content.decode()
    else:
        assert (org_a.status, history) == (OrganisationStatus.SIGNATORY, [])


def test_a_status_needs_a_reason_and_an_allowed_move(client, administrator, org_a):
    client.force_login(administrator)
    url = reverse("signatories:admin_organisation_status", args=[org_a.slug])
    response = client.post(url, {"to": OrganisationStatus.LAPSED, "reason": "  "})
    assert '<a href="#id_reason">Reason: This field is required.</a>' in response.content.decode()
    response = client.post(url, {"to": OrganisationStatus.SIGNATORY, "reason": "Again"})
    assert "Select a valid choice." in response.content.decode()
    org_a.refresh_from_db()
    assert (org_a.status, org_a.status_changes.count()) == (OrganisationStatus.SIGNATORY, 0)


def test_a_get_to_the_import_confirmation_changes_nothing(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("signatories:admin_import_confirm"))
    assert response.status_code == 405


HEADER = "Name,Short name,Kind,Nation,Date signed,Contact,Web page\n"
GOOD = (
    "University of Holloway Fen,Holloway,University,England,14/03/2017,"
    "Hal Reed <hal@holloway.example.org>,https://holloway.example.org/tc\n"
    "Marram Research Institute,Marram,Research institute,Scotland,2018-09-01,,\n"
)


def upload(client, text: str, name="signatories.csv"):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("signatories:admin_import"), {"file": file})


def test_a_bad_row_blocks_the_import_with_its_reasons(client, administrator):
    client.force_login(administrator)
    upload(client, HEADER + GOOD + "Dunwick College,,College,Atlantis,31/02/2019,,\n")
    page = client.get(reverse("signatories:admin_import_preview")).content.decode()
    assert "1 row cannot be imported; the table says why." in page
    assert "Kind: ‘College’ is not one of University, Research institute, Other." in page
    assert "Nation: ‘Atlantis’ is not one of England" in page
    assert "Date signed: ‘31/02/2019’ is not a date." in page
    assert "signatories/administration/organisations/import/confirm/" not in page
    response = client.post(reverse("signatories:admin_import_confirm"))
    assert response.status_code == 400
    assert Organisation.objects.count() == 0


def test_importing_creates_then_updates_instead_of_duplicating(client, administrator):
    client.force_login(administrator)
    upload(client, HEADER + GOOD)
    page = client.get(reverse("signatories:admin_import_preview")).content.decode()
    assert "2 rows: 2 new, 0 to update, 0 unchanged." in page
    response = client.post(reverse("signatories:admin_import_confirm"))
    assert response.url == reverse("signatories:admin_organisations")
    holloway = Organisation.objects.get(slug="holloway")
    assert (holloway.contact_name, holloway.contact_email, holloway.signed_on) == (
        "Hal Reed",
        "hal@holloway.example.org",
        date(2017, 3, 14),
    )
    # Again, with one organisation named by its short name and given a new web page.
    changed = GOOD.replace(
        "University of Holloway Fen,Holloway", "Holloway Fen University,Holloway"
    ).replace(",,\n", ",,https://marram.example.org\n")
    upload(client, HEADER + changed)
    page = client.get(reverse("signatories:admin_import_preview")).content.decode()
    assert "2 rows: 0 new, 2 to update, 0 unchanged." in page
    assert "Update: Name" in page
    assert "Update: Web page" in page
    client.post(reverse("signatories:admin_import_confirm"))
    assert list(Organisation.objects.values_list("name", "webpage").order_by("name")) == [
        ("Holloway Fen University", "https://holloway.example.org/tc"),
        ("Marram Research Institute", "https://marram.example.org"),
    ]
    upload(client, HEADER + changed)
    page = client.get(reverse("signatories:admin_import_preview")).content.decode()
    assert "2 rows: 0 new, 0 to update, 2 unchanged." in page


def test_a_file_without_the_needed_columns_is_refused(client, administrator):
    client.force_login(administrator)
    response = upload(client, "Name,Short name\nFenmarsh College,Fenmarsh\n")
    assert (
        "The header row has no column for ‘Kind’, ‘Nation’, ‘Date signed’."
        in response.content.decode()
    )


def test_the_organisation_list_has_flat_query_counts(
    client, administrator, django_assert_max_num_queries
):
    client.force_login(administrator)
    OrganisationFactory.create_batch(3)
    with django_assert_max_num_queries(12):
        client.get(reverse("signatories:admin_organisations"))
    OrganisationFactory.create_batch(20)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("signatories:admin_organisations"))
    assert "23 organisations." in response.content.decode()


def test_an_administrator_invites_a_lead_with_the_role_chosen(client, administrator, org_a):
    client.force_login(administrator)
    response = client.get(reverse("signatories:invite", args=[org_a.slug]) + "?role=lead")
    assert '<option value="lead" selected>' in response.content.decode()


def test_an_xlsx_list_imports_like_a_csv(client, administrator):
    from io import BytesIO

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Organisation name", "Acronym", "Type", "Country", "Date signed", "Website"])
    sheet.append(
        ["Marram Research Institute", "MRI", "Research institute", "Scotland", date(2018, 9, 1)]
    )
    buffer = BytesIO()
    workbook.save(buffer)
    client.force_login(administrator)
    client.post(
        reverse("signatories:admin_import"),
        {"file": SimpleUploadedFile("list.xlsx", buffer.getvalue())},
    )
    client.post(reverse("signatories:admin_import_confirm"))
    assert list(
        Organisation.objects.values_list("name", "short_name", "slug", "nation", "signed_on")
    ) == [("Marram Research Institute", "MRI", "mri", Nation.SCOTLAND, date(2018, 9, 1))]


def test_150_signatories_import_and_importing_again_changes_nothing(
    client, administrator, django_assert_max_num_queries
):
    rows = "".join(
        f"University of Testhaven {n},Testhaven {n},University,Wales,01/0{1 + n % 9}/2019,"
        f"Contact {n} <tc{n}@testhaven.example.org>,https://testhaven{n}.example.org\n"
        for n in range(150)
    )
    client.force_login(administrator)
    upload(client, HEADER + rows)
    client.post(reverse("signatories:admin_import_confirm"))
    assert Organisation.objects.count() == 150
    before = list(Organisation.objects.order_by("pk").values())
    upload(client, HEADER + rows)
    # The preview reads every organisation once, however many rows the list has.
    with django_assert_max_num_queries(10):
        page = client.get(reverse("signatories:admin_import_preview")).content.decode()
    assert "150 rows: 0 new, 0 to update, 150 unchanged." in page
    client.post(reverse("signatories:admin_import_confirm"))
    assert list(Organisation.objects.order_by("pk").values()) == before


def test_a_row_is_matched_by_name_first_and_a_repeated_row_is_refused(org_a, org_b):
    from signatories import transfer

    table = [
        ["Name", "Short name", "Kind", "Nation", "Date signed"],
        # Aldermoor's name with Brackenfield's short name: the name decides.
        ["University of Aldermoor", "Brackenfield", "Other", "England", "2020-01-15"],
        ["Fenmarsh College", "", "Other", "Wales", "2021-06-01"],
        ["fenmarsh  college", "", "Other", "Wales", "2021-06-01"],
    ]
    result = transfer.preview(table)
    assert [(row.number, row.outcome, row.problems) for row in result.rows] == [
        (2, "Update: Short name, Kind", []),
        (3, "New", []),
        (4, "Cannot be imported", ["Row 3 names the same organisation."]),
    ]
    assert result.rows[0].organisation.pk == org_a.pk


def test_a_mistyped_slug_is_explained_while_the_page_keeps_the_saved_one(
    client, administrator, org_a
):
    client.force_login(administrator)
    response = client.post(
        reverse("signatories:admin_organisation", args=["aldermoor"]),
        {
            "name": "University of Aldermoor",
            "slug": "not a slug",
            "kind": OrganisationKind.UNIVERSITY,
            "nation": Nation.ENGLAND,
            "signed_on": "2020-01-15",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_slug">' in page
    assert 'value="not a slug"' in page
    assert reverse("signatories:admin_organisation_status", args=["aldermoor"]) in page
    org_a.refresh_from_db()
    assert org_a.slug == "aldermoor"


@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS, ok=302), indirect=["person"])
def test_the_import_preview_and_confirmation_are_for_administrators(client_as, person, result):
    client = client_as(person)
    preview = client.get(reverse("signatories:admin_import_preview"))
    confirm = client.post(reverse("signatories:admin_import_confirm"))
    assert (outcome(preview), outcome(confirm)) == (result, result)
    if is_allowed(result):
        # Nothing uploaded yet: both send the administrator to the upload.
        assert preview.url == confirm.url == reverse("signatories:admin_import")


@pytest.mark.parametrize(("person", "result"), matrix(ADMINISTRATORS, ok=302), indirect=["person"])
def test_an_upload_is_checked_only_for_administrators(client_as, person, result):
    client = client_as(person)
    response = upload(client, HEADER + GOOD)
    assert outcome(response) == result
    if is_allowed(result):
        assert response.url == reverse("signatories:admin_import_preview")
        assert client.session["signatories.import"]["name"] == "signatories.csv"
    else:
        assert "signatories.import" not in client.session
    # Uploading saves nothing: org A and B only.
    assert Organisation.objects.count() == 2


def test_the_error_summary_links_a_missing_status_to_its_first_radio_button(
    client, administrator, org_a
):
    client.force_login(administrator)
    url = reverse("signatories:admin_organisation_status", args=[org_a.slug])
    page = client.post(url, {"reason": "Lapsed for years."}).content.decode()
    assert '<a href="#id_to_0">New status: This field is required.</a>' in page
    assert 'id="id_to_0"' in page
    assert "Lapsed for years." in page


def test_the_organisation_list_finds_by_name_or_short_name(client, administrator, org_a, org_b):
    client.force_login(administrator)
    url = reverse("signatories:admin_organisations")
    page = client.get(url, {"q": "bracken"}).content.decode()
    assert "1 organisation matching ‘bracken’" in page
    assert "Brackenfield Institute" in page
    assert "University of Aldermoor" not in page
    assert 'value="bracken"' in page
