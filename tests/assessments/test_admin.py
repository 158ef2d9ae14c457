"""Administrators make a new form version by copying one and editing the copy, without code."""

from datetime import date

import pytest

from assessments.models import FormVersion, Question, Section

LATER = "later-form"


def later_form():
    return FormVersion.objects.get(for_first_assessment=False)


def test_copying_a_form_version_copies_everything(client, administrator):
    source = later_form()
    client.force_login(administrator)
    copy_url = f"/admin/assessments/formversion/{source.pk}/copy/"
    page = client.get(copy_url).content.decode()
    assert f"{source.name} (copy)" in page

    response = client.post(
        copy_url, {"name": "Later form, 2027", "slug": "later-2027", "in_use_from": "2027-04-01"}
    )
    copy = FormVersion.objects.get(slug="later-2027")
    assert response.url == f"/admin/assessments/formversion/{copy.pk}/change/"
    assert (copy.in_use_from, copy.cycle_months, copy.plan_horizon_months) == (
        date(2027, 4, 1),
        source.cycle_months,
        source.plan_horizon_months,
    )

    def shape(version):
        return (
            list(version.sign_offs.values_list("position", "role", "title")),
            list(Section.objects.filter(form_version=version).values_list("position", "title")),
            list(
                Question.objects.filter(section__form_version=version).values_list(
                    "section__position", "position", "key", "kind", "text", "word_limit"
                )
            ),
        )

    assert shape(copy) == shape(source)
    assert Question.objects.filter(section__form_version=source).count() > 10


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("slug", "early-form", "A form version with this short name already exists."),
        ("in_use_from", "2021-01-01", "Another version comes into use on this date."),
        ("in_use_from", "31/02/2027", "Enter a valid date."),
    ],
)
def test_the_copy_form_refuses_clashes_and_keeps_the_input(
    client, administrator, field, value, message
):
    source = later_form()
    existing = FormVersion.objects.exclude(pk=source.pk).first()
    value = {"early-form": existing.slug, "2021-01-01": str(source.in_use_from)}.get(value, value)
    client.force_login(administrator)
    data = {"name": "Later form, 2027", "slug": "later-2027", "in_use_from": "2027-04-01"}
    data[field] = value
    response = client.post(f"/admin/assessments/formversion/{source.pk}/copy/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="later-2027"' in page or field == "slug"
    assert not FormVersion.objects.filter(name="Later form, 2027").exists()


def test_a_version_in_use_is_read_only_and_its_copy_is_editable(client, administrator, assessment):
    used = assessment.form_version
    client.force_login(administrator)
    page = client.get(f"/admin/assessments/formversion/{used.pk}/change/").content.decode()
    assert "cannot be changed. Copy it to make a new version." in page
    assert 'name="name"' not in page
    before = used.name
    client.post(
        f"/admin/assessments/formversion/{used.pk}/change/",
        {"name": "Renamed", "slug": used.slug},
    )
    used.refresh_from_db()
    assert used.name == before

    section = Section.objects.filter(form_version=used).first()
    page = client.get(f"/admin/assessments/section/{section.pk}/change/").content.decode()
    assert 'name="title"' not in page

    copy = FormVersion.objects.create(
        name="Fresh",
        slug="fresh",
        in_use_from=date(2030, 1, 1),
        cycle_months=36,
        plan_horizon_months=36,
    )
    page = client.get(f"/admin/assessments/formversion/{copy.pk}/change/").content.decode()
    assert 'name="name"' in page


def test_the_form_version_list_counts_assessments_in_constant_queries(
    client, administrator, assessment, django_assert_max_num_queries
):
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        page = client.get("/admin/assessments/formversion/").content.decode()
    assert "Copy<span" in page


@pytest.mark.parametrize("persona", ["lead_of_org_a", "reviewer"])
def test_only_administrators_reach_the_copy_page(client, db, request, persona):
    source = later_form()
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"/admin/assessments/formversion/{source.pk}/copy/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


# --- The sign-off policy -------------------------------------------------------------------------


def policy_url(version) -> str:
    return f"/admin/assessments/formversion/{version.pk}/sign-off-policy/"


def test_the_sign_off_policy_changes_with_a_reason_even_while_the_version_is_in_use(
    client, administrator, assessment
):
    used = assessment.form_version
    client.force_login(administrator)
    page = client.get(f"/admin/assessments/formversion/{used.pk}/change/").content.decode()
    assert "Signers sign again when a resubmission changes." in page
    assert f'href="{policy_url(used)}"' in page
    response = client.post(policy_url(used), {"reason": "", "resign_on_change": ""})
    assert "Say why signers are not asked to sign again." in response.content.decode()
    used.refresh_from_db()
    assert used.resign_on_change is True
    response = client.post(policy_url(used), {"reason": "Only typing errors are corrected."})
    assert response.url == f"/admin/assessments/formversion/{used.pk}/change/"
    used.refresh_from_db()
    assert (used.resign_on_change, used.resign_off_reason, used.sign_off_policy_changed_by) == (
        False,
        "Only typing errors are corrected.",
        administrator,
    )
    page = client.get("/admin/assessments/formversion/").content.decode()
    assert "Signers are not asked again: Only typing errors are corrected." in page
    client.post(policy_url(used), {"resign_on_change": "on", "reason": "Ignored when on."})
    used.refresh_from_db()
    assert (used.resign_on_change, used.resign_off_reason) == (True, "")


@pytest.mark.parametrize("persona", ["lead_of_org_a", "reviewer"])
def test_only_administrators_reach_the_sign_off_policy(client, db, request, persona):
    version = later_form()
    client.force_login(request.getfixturevalue(persona))
    for response in (
        client.get(policy_url(version)),
        client.post(policy_url(version), {"reason": "Because."}),
    ):
        assert response.status_code == 302
        assert "/admin/login/" in response.url
    version.refresh_from_db()
    assert version.resign_on_change is True


def test_anonymous_visitors_are_sent_to_sign_in_for_the_sign_off_policy(client, db):
    version = later_form()
    response = client.post(policy_url(version), {"reason": "Because."})
    assert response.status_code == 302
    assert "/admin/login/" in response.url
    version.refresh_from_db()
    assert version.resign_on_change is True
