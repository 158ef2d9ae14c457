"""Forms with radio buttons, shown again with their errors, give every element its own id (WCAG
4.1.1 and the error summary's links rely on it). Crispy's radio groups put
``aria-invalid="true"`` on every button: that is an attribute, not an id, and a check by regular
expression that reads it as ``id="true"`` reports duplicates that are not there."""

from datetime import date

from django.urls import reverse

from actionplans import services as plan_services
from tests.html_ids import duplicate_ids


def test_the_parser_reads_ids_only():
    page = (
        '<input id="id_to_0" aria-invalid="true"><input id="id_to_1" aria-invalid="true">'
        '<p data-id="x"></p><p data-id="x"></p><br id="twice"/><span id="twice"></span>'
    )
    assert duplicate_ids(page) == {"twice": 2}


def test_a_status_change_with_errors(client, administrator, org_a):
    client.force_login(administrator)
    url = reverse("signatories:admin_organisation_status", args=[org_a.slug])
    page = client.post(url, {"to": "not-a-status", "reason": ""}).content.decode()
    assert 'href="#id_to_0">New status: Select a valid choice.' in page
    assert page.count('aria-invalid="true"') >= 3  # the radio buttons, and the reason
    assert duplicate_ids(page) == {}


def test_a_plan_start_with_errors(client, lead_of_org_a, org_a):
    client.force_login(lead_of_org_a)
    data = {"starts_on": "soon", "horizon_months": "7", "timing_style": "none"}
    response = client.post(reverse("actionplans:start", args=[org_a.slug]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_horizon_months_0">Horizon: Select a valid choice.' in page
    assert duplicate_ids(page) == {}


def test_a_plans_details_with_errors(client, lead_of_org_a, org_a):
    plan = plan_services.create_plan(
        org_a, by=lead_of_org_a, starts_on=date(2026, 12, 1), horizon_months=24
    )
    client.force_login(lead_of_org_a)
    url = reverse("actionplans:settings_part", args=[org_a.slug, plan.pk, "details"])
    data = {"details-horizon_months": "7", "details-timing_style": "none"}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "is not one of the available choices" in page
    assert duplicate_ids(page) == {}
