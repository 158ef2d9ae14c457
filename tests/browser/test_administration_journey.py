"""An administrator loads the signatory list, corrects it, loads it again, and changes an
organisation's status with a reason."""

import pytest

from signatories.models import Organisation
from tests.browser.helpers import sign_in
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "Name,Short name,Kind,Nation,Date signed,Contact,Web page\n"
HOLLOWAY = (
    "University of Holloway Fen,Holloway,University,England,14/03/2017,"
    "Hal Reed <hal@holloway.example.org>,https://holloway.example.org/tc\n"
)
MARRAM = "Marram Research Institute,Marram,Research institute,Scotland,2018-09-01,,\n"
BAD = "Dunwick College,Dunwick,College,Wales,12/05/2019,,\n"
FIXED = "Dunwick College,Dunwick,Other,Wales,12/05/2019,,\n"


def upload(page, text: str) -> None:
    page.goto("/administration/organisations/import/")
    page.get_by_label("Signatory list").set_input_files(
        files=[{"name": "signatories.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Upload and check").click()


def test_an_administrator_imports_corrects_and_imports_again(page, live_server, administrator):
    sign_in(page, administrator, live_server)
    upload(page, HEADER + HOLLOWAY + MARRAM + BAD)
    summary = page.get_by_role("alert")
    summary.get_by_text("1 row cannot be imported; the table says why.").wait_for()
    problems = page.get_by_role("table", name="Rows that cannot be imported, and why")
    problems.get_by_text("Kind: ‘College’ is not one of University, Research institute, Other.")
    assert problems.get_by_role("row").count() == 2  # the header and row 4
    assert page.get_by_role("button", name="Import").count() == 0
    assert Organisation.objects.count() == 0

    upload(page, HEADER + HOLLOWAY + MARRAM + FIXED)
    page.get_by_text("3 rows: 3 new, 0 to update, 0 unchanged.").wait_for()
    page.get_by_role("button", name="Import 3 new and update 0").click()
    page.get_by_text("Imported ‘signatories.csv’: 3 new, 0 updated, 0 unchanged.").wait_for()
    assert page.get_by_text("3 organisations.").is_visible()

    # The list again, Marram with a web page: one update, nothing duplicated.
    marram = MARRAM.replace(",,\n", ",,https://marram.example.org\n")
    upload(page, HEADER + HOLLOWAY + marram + FIXED)
    page.get_by_text("3 rows: 0 new, 1 to update, 2 unchanged.").wait_for()
    page.get_by_text("Update: Web page").wait_for()
    page.get_by_role("button", name="Import 0 new and update 1").click()
    page.get_by_text("0 new, 1 updated, 2 unchanged.").wait_for()
    assert list(Organisation.objects.order_by("name").values_list("slug", "webpage")) == [
        ("dunwick", ""),
        ("marram", "https://marram.example.org"),
        ("holloway", "https://holloway.example.org/tc"),
    ]


def test_an_administrator_changes_a_status_with_a_reason(page, live_server, administrator):
    OrganisationFactory(name="University of Aldermoor", short_name="Aldermoor", slug="aldermoor")
    sign_in(page, administrator, live_server)
    page.goto("/")
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="University of Aldermoor").click()
    page.get_by_role("link", name="Change the status").click()
    page.get_by_label("Lapsed").check()
    page.get_by_label("Reason").fill("No self-assessment since 2019; the lead has left.")
    page.get_by_role("button", name="Change the status").click()
    page.get_by_text("University of Aldermoor is now lapsed.").wait_for()
    history = page.get_by_role("region", name="Status history")
    history.get_by_text("Signatory → Lapsed, by Ada Minter.").wait_for()
    history.get_by_text("Reason: No self-assessment since 2019; the lead has left.").wait_for()


def sector_list(rows: int) -> str:
    """A fictional signatory list as long as the sector's: ``rows`` organisations of every kind
    and nation, some with a contact and a web page."""
    kinds = ["University", "Research institute", "Other"]
    nations = ["England", "Scotland", "Wales", "Northern Ireland"]
    lines = [HEADER]
    for n in range(1, rows + 1):
        contact = f"Lead {n} <lead{n}@org{n}.example.org>" if n % 3 else ""
        web = f"https://org{n}.example.org/technicians" if n % 2 else ""
        lines.append(
            f"Example Organisation {n:03d},Org{n:03d},{kinds[n % 3]},{nations[n % 4]},"
            f"{1 + n % 28:02d}/{1 + n % 12:02d}/{2012 + n % 12},{contact},{web}\n"
        )
    return "".join(lines)


def test_the_sectors_list_of_150_imports_and_importing_it_again_changes_nothing(
    page, live_server, administrator
):
    text = sector_list(150)
    sign_in(page, administrator, live_server)
    upload(page, text)
    page.get_by_text("150 rows: 150 new, 0 to update, 0 unchanged.").wait_for()
    page.get_by_role("button", name="Import 150 new and update 0").click()
    page.get_by_text("Imported ‘signatories.csv’: 150 new, 0 updated, 0 unchanged.").wait_for()
    assert Organisation.objects.count() == 150
    before = list(Organisation.objects.order_by("pk").values())

    upload(page, text)
    page.get_by_text("150 rows: 0 new, 0 to update, 150 unchanged.").wait_for()
    page.get_by_role("button", name="Import 0 new and update 0").click()
    page.get_by_text("0 new, 0 updated, 150 unchanged.").wait_for()
    assert list(Organisation.objects.order_by("pk").values()) == before
    seventh = Organisation.objects.get(short_name="Org007")
    assert (seventh.name, seventh.nation, seventh.webpage) == (
        "Example Organisation 007",
        "northern_ireland",
        "https://org7.example.org/technicians",
    )
