"""Text endpoints refuse bodies over their cap with a message, and clean hostile paste quickly
(issue 11, item 1)."""

import time

from django.urls import reverse

from assessments.models import Answer

# The report's payload: unclosed Word list paragraphs. 35 KB took 148 seconds to clean.
UNCLOSED_WORD_LISTS = "<p mso-list:l1 level1 " * 1600


def test_a_sponsor_posting_unclosed_word_lists_gets_an_answer_at_once(client_as, sponsor_of_org_a):
    started = time.process_time()
    response = client_as(sponsor_of_org_a).post(
        reverse("assessments:clean_pasted_html"), {"html": UNCLOSED_WORD_LISTS}
    )
    assert time.process_time() - started < 1.0
    assert response.json() == {"html": ""}


def test_pasted_text_over_the_cap_is_refused_with_a_message(client_as, lead_of_org_a, settings):
    settings.TEXT_REQUEST_MAX_BYTES = 4096
    response = client_as(lead_of_org_a).post(
        reverse("assessments:clean_pasted_html"), {"html": "<p>" + "word " * 2000 + "</p>"}
    )
    assert response.status_code == 413
    assert response.json() == {
        "status": "too_large",
        "message": "this text is too long to send in one go (9 KB; the most is 4 KB). "
        "Shorten it, or paste it in parts.",
    }


def test_pasted_text_within_the_cap_is_cleaned(client_as, lead_of_org_a, settings):
    settings.TEXT_REQUEST_MAX_BYTES = 4096
    response = client_as(lead_of_org_a).post(
        reverse("assessments:clean_pasted_html"), {"html": "<div>Short</div>"}
    )
    assert response.json() == {"html": "<p>Short</p>"}


def test_an_autosave_over_the_cap_saves_nothing_and_says_why(
    client_as, lead_of_org_a, assessment, question, settings
):
    settings.TEXT_REQUEST_MAX_BYTES = 4096
    url = reverse("assessments:autosave", args=["aldermoor", assessment.pk, question().pk])
    response = client_as(lead_of_org_a).post(url, {"text": "word " * 2000, "version": "0"})
    assert response.status_code == 413
    assert response.json()["status"] == "too_large"
    assert not Answer.objects.filter(assessment=assessment, question=question()).exists()


def test_pasted_headings_are_kept_only_for_a_field_that_keeps_them(client_as, lead_of_org_a):
    client = client_as(lead_of_org_a)
    url = reverse("assessments:clean_pasted_html")
    pasted = "<h1>Aims</h1><div>Short</div>"
    assert client.post(url, {"html": pasted}).json() == {"html": "<p>Aims</p><p>Short</p>"}
    assert client.post(url, {"html": pasted, "headings": "1"}).json() == {
        "html": "<h3>Aims</h3><p>Short</p>"
    }
