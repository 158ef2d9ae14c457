"""Input no person types: NUL characters (PostgreSQL cannot store them) are taken out before
any view sees them, so autosave keeps the rest of the text instead of failing."""

from django.urls import reverse

from assessments.models import Answer


def test_autosave_of_short_text_with_nul_characters_saves_the_text_without_them(
    client, assessment, question, lead_of_org_a
):
    url = reverse(
        "assessments:autosave", args=["aldermoor", assessment.pk, question("lead_name").pk]
    )
    current = Answer.objects.filter(assessment=assessment, question=question("lead_name")).first()
    version = str(current.version if current else 0)
    client.force_login(lead_of_org_a)
    response = client.post(url, {"text": "Lena\x00 M. Aldous\x00", "version": version + "\x00"})
    assert response.status_code == 200
    assert response.json()["status"] == "saved"
    saved = Answer.objects.get(assessment=assessment, question=question("lead_name"))
    assert saved.text == "Lena M. Aldous"


def test_a_long_answer_with_nul_characters_in_a_section_form_is_saved_without_them(
    client, assessment, question, lead_of_org_a
):
    url = reverse("assessments:section", args=["aldermoor", assessment.pk, 2])
    client.force_login(lead_of_org_a)
    response = client.post(
        url, {"answer-profile": "<p>A small\x00 university.</p>", "answer-profile__version": "0"}
    )
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    saved = Answer.objects.get(assessment=assessment, question=question("profile"))
    assert saved.text == "<p>A small university.</p>"
