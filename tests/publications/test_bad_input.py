"""A withdrawal's reason with NUL characters is recorded without them (PostgreSQL cannot store
NUL; the view reads the reason straight from the form)."""

from django.urls import reverse

from actionplans.models import ActionPlan
from publications import services
from tests.publications.test_manage import accepted  # noqa: F401 - the fixture


def test_a_withdrawal_reason_with_nul_characters_is_recorded_without_them(
    client,
    accepted,  # noqa: F811
    lead_of_org_a,
):
    publication = services.publish_plan(ActionPlan.objects.get(), by=lead_of_org_a)
    client.force_login(lead_of_org_a)
    response = client.post(
        reverse("publications:withdraw", args=["aldermoor", publication.pk]),
        {"reason": "Replaced\x00 by version 2.\x00"},
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.withdrawal_reason == "Replaced by version 2."
