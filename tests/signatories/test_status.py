"""An organisation's status (signatory, lapsed, withdrawn) changes only through the transition:
every change allowed or refused by the table, each with a reason, kept in its history, which
the administrator changes in the admin and the organisation's members read on its dashboard."""

import pytest
from django.urls import reverse

from signatories import services
from signatories.enums import ALLOWED_TRANSITIONS, OrganisationStatus
from signatories.models import Organisation, OrganisationStatusChange
from signatories.services import StatusError
from tests.matrix import is_allowed, matrix, outcome
from tests.transitions import assert_table_decides, pairs


def status_of(organisation) -> str:
    return Organisation.objects.get(pk=organisation.pk).status


@pytest.mark.parametrize(("start", "to"), pairs(OrganisationStatus))
def test_every_transition_is_allowed_or_refused_by_the_table(org_a, administrator, start, to):
    row = assert_table_decides(
        org_a,
        start=start,
        to=to,
        table=ALLOWED_TRANSITIONS,
        move=lambda org, status: services.transition(
            org, to=status, by=administrator, comment="Agreed by the group."
        ),
        history=lambda: OrganisationStatusChange.objects.filter(organisation=org_a),
        refused=StatusError,
    )
    if row:
        assert (row.by, row.comment) == (administrator, "Agreed by the group.")


def test_a_status_change_needs_a_reason(org_a, administrator):
    with pytest.raises(StatusError, match="Say why the status changes"):
        services.transition(org_a, to=OrganisationStatus.LAPSED, by=administrator, comment="  ")
    assert status_of(org_a) == OrganisationStatus.SIGNATORY
    assert not OrganisationStatusChange.objects.exists()


# --- The admin ---------------------------------------------------------------------------------


def change_url(organisation) -> str:
    return f"/admin/signatories/organisation/{organisation.pk}/change/"


def admin_form(organisation, **overrides) -> dict:
    data = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "nation": organisation.nation,
        "technical_staff_count": "",
        "signed_on": organisation.signed_on.isoformat(),
        "last_assessed_on": "",
        "webpage": "",
        "contact_name": "",
        "contact_email": "",
        "new_status": "",
        "status_reason": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


def test_the_admin_changes_a_status_through_the_transition_with_its_reason(
    client, administrator, org_a
):
    client.force_login(administrator)
    response = client.post(
        change_url(org_a),
        admin_form(org_a, new_status="lapsed", status_reason="No self-assessment for 4 years."),
    )
    assert response.status_code == 302
    assert status_of(org_a) == OrganisationStatus.LAPSED
    change = OrganisationStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.by, change.comment) == (
        "signatory",
        "lapsed",
        administrator,
        "No self-assessment for 4 years.",
    )
    page = client.get(change_url(org_a)).content.decode()
    assert "No self-assessment for 4 years." in page  # the status history


def test_the_admin_refuses_a_status_change_without_a_reason_and_keeps_the_input(
    client, administrator, org_a
):
    client.force_login(administrator)
    response = client.post(
        change_url(org_a), admin_form(org_a, new_status="withdrawn", short_name="Typed")
    )
    page = response.content.decode()
    assert "Say why the status changes." in page
    assert 'value="Typed"' in page
    assert status_of(org_a) == OrganisationStatus.SIGNATORY
    assert not OrganisationStatusChange.objects.exists()


def test_the_admin_offers_only_the_moves_the_table_allows(client, administrator, org_a):
    Organisation.objects.filter(pk=org_a.pk).update(status=OrganisationStatus.WITHDRAWN)
    client.force_login(administrator)
    page = client.get(change_url(org_a)).content.decode()
    assert '<option value="signatory">Signatory</option>' in page
    assert '<option value="lapsed">' not in page
    response = client.post(
        change_url(org_a), admin_form(org_a, new_status="lapsed", status_reason="Because.")
    )
    assert "Select a valid choice." in response.content.decode()
    assert status_of(org_a) == OrganisationStatus.WITHDRAWN


def test_the_admin_form_cannot_set_the_status_field_directly(client, administrator, org_a):
    """Regression: the status field was an ordinary editable field of the change form."""
    client.force_login(administrator)
    client.post(change_url(org_a), admin_form(org_a, status="withdrawn"))
    assert status_of(org_a) == OrganisationStatus.SIGNATORY
    assert not OrganisationStatusChange.objects.exists()


# --- The history on the dashboard ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "result"),
    matrix(
        {"lead_of_org_a", "contributor_of_org_a", "sponsor_of_org_a", "leader_of_org_a"}
        | {"reviewer", "administrator"}
    ),
    indirect=["person"],
)
def test_the_dashboard_shows_the_status_history(client_as, person, result, org_a, administrator):
    services.transition(
        org_a, to=OrganisationStatus.LAPSED, by=administrator, comment="No self-assessment."
    )
    services.transition(
        org_a, to=OrganisationStatus.SIGNATORY, by=administrator, comment="Signed again."
    )
    response = client_as(person).get(reverse("signatories:dashboard", args=["aldermoor"]))
    assert outcome(response) == result
    if is_allowed(result):
        page = response.content.decode()
        assert page.index("Lapsed → Signatory. Signed again.") < page.index(
            "Signatory → Lapsed. No self-assessment."
        )
