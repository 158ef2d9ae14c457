"""Withdrawing one's answers with the code the thank-you page gave (UK GDPR: consent given can
be withdrawn), and what the code does and does not tie together."""

import re
from datetime import date

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from consultations import queries, services
from consultations.enums import CommentStatus, ConsultationStatus
from consultations.models import Answer, Comment, Response
from consultations.views import WRONG_CODE
from signatories.models import Organisation
from tests.conftest import PERSONAS
from tests.consultations.conftest import close, questions_of

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$")


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def give(consultation, visibility, comment="", group=None) -> str:
    """One response by the service; its withdrawal code."""
    shared, _, where, text = questions_of(consultation)
    choices = {shared.pk: [visibility]}
    if group:
        choices[where.pk] = [group]
    return services.respond(
        consultation, choices=choices, comments={text.pk: comment} if comment else {}
    )


@pytest.fixture
def opened(consultation, lead_of_org_a):
    services.transition(consultation, to=ConsultationStatus.OPEN, by=lead_of_org_a)
    return consultation


# --- The service -------------------------------------------------------------------------------


def test_answering_gives_a_code_whose_hashes_tie_nothing_together(opened):
    code = give(opened, 4, "More kit, please.")
    other = give(opened, 2, "Fine as it is.")
    assert CODE.match(code)
    assert CODE.match(other)
    assert code != other
    hashes = list(Response.objects.values_list("withdrawal_hash", flat=True)) + list(
        Comment.objects.values_list("withdrawal_hash", flat=True)
    )
    # Every row's hash differs, none is the code: without it no row leads to another.
    assert len(set(hashes)) == 4
    assert all(len(h) == 64 for h in hashes)
    assert not any(code.replace("-", "") in h or other.replace("-", "") in h for h in hashes)


def test_withdrawing_deletes_that_response_and_its_comments_only(opened):
    code = give(opened, 4, "More kit, please.")
    give(opened, 2, "Fine as it is.")
    withdrawn = services.withdraw(code)
    assert (withdrawn.consultation, withdrawn.comments, withdrawn.quoted, withdrawn.sent) == (
        opened,
        1,
        False,
        False,
    )
    assert list(Answer.objects.values_list("value", flat=True)) == [2]
    assert list(Comment.objects.values_list("text", flat=True)) == ["Fine as it is."]
    assert Response.objects.count() == 1
    # Withdrawn once: the code then finds nothing, like a code that never was.
    assert services.withdraw(code) is None
    assert services.withdraw("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ") is None


def test_a_code_is_read_as_people_type_it(opened):
    code = give(opened, 4)
    typed = code.replace("-", " ").lower().replace("0", "o").replace("1", "l")
    assert services.response_for_code(typed) == Response.objects.get()
    assert services.response_for_code(code[:-1]) is None


def test_a_withdrawn_quote_leaves_the_summary_not_yet_sent(opened, lead_of_org_a, org_a):
    codes = [
        give(opened, 4, f"Comment {n}" if n < 2 else "", group=1 if n < 3 else 2) for n in range(7)
    ]
    close(opened, lead_of_org_a)
    for comment in Comment.objects.all():
        services.moderate(opened, comment, status=CommentStatus.APPROVED)
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    assessment = assessment_services.start_assessment(
        org_a, by=lead_of_org_a, today=date(2026, 11, 25)
    )
    services.attach(opened, assessment, publish=True, by=lead_of_org_a)
    before = queries.appendix_content(assessment)["consultations"][0]
    assert (before["responses"], [c["text"] for c in before["comments"]]) == (
        7,
        ["Comment 0", "Comment 1"],
    )

    withdrawn = services.withdraw(codes[0])
    assert (withdrawn.comments, withdrawn.quoted, withdrawn.sent) == (1, True, False)
    after = queries.appendix_content(assessment)["consultations"][0]
    assert (after["responses"], [c["text"] for c in after["comments"]]) == (6, ["Comment 1"])

    # Once the self-assessment has gone for sign-off, its copy is frozen: the service says so.
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED)
    withdrawn = services.withdraw(codes[1])
    assert (withdrawn.quoted, withdrawn.sent) == (True, True)


# --- The pages ---------------------------------------------------------------------------------


def answer_by_link(client, consultation, comment="") -> str:
    """Answer through the shared link; the code the thank-you page shows."""
    shared, _, _, text = questions_of(consultation)
    response = client.post(
        reverse("consultations:respond", args=[consultation.link_token]),
        {f"q{shared.pk}": "4", f"q{text.pk}": comment, "again": "1"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return re.search(r'id="withdrawal-code">([^<]+)<', response.content.decode()).group(1)


def test_the_journey_by_the_pages(client, opened):
    code = answer_by_link(client, opened, "Please fix the fume cupboard.")
    page = client.get(reverse("consultations:withdraw"))
    assert "Withdrawal code" in text_of(page)

    confirm = client.post(reverse("consultations:withdraw"), {"code": code.lower()})
    assert confirm.status_code == 200
    assert (
        "This code belongs to answers to “Technician voice 2026” of University of Aldermoor."
        in text_of(confirm)
    )
    assert Response.objects.count() == 1  # nothing happens before the confirmation

    done = client.post(reverse("consultations:withdraw"), {"code": code, "confirm": "1"})
    assert (done.status_code, "Your answers are withdrawn" in text_of(done)) == (200, True)
    assert "your comment are deleted" in text_of(done)
    assert "no-store" in done["Cache-Control"]
    assert (Response.objects.count(), Comment.objects.count()) == (0, 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_holder_of_the_code_withdraws(client_as, persona, request, opened):
    """Every persona, the consultation's own lead too, gets the same: a code not theirs finds
    nothing and names nothing; the page lists nothing. The code is the only permission."""
    code = give(opened, 4, "Mine.")
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_as(user)
    page = client.get(reverse("consultations:withdraw"))
    assert page.status_code == 200
    assert "Technician voice 2026" not in text_of(page)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = client.post(reverse("consultations:withdraw"), {"code": wrong, "confirm": "1"})
    assert response.status_code == 400
    assert WRONG_CODE in text_of(response)
    assert "Technician voice 2026" not in text_of(response)
    assert (Response.objects.count(), Comment.objects.count()) == (1, 1)
    # The holder, signed in or not, withdraws with it.
    response = client.post(reverse("consultations:withdraw"), {"code": code, "confirm": "1"})
    assert "Your answers are withdrawn" in text_of(response)
    assert Response.objects.count() == 0


def test_a_withdrawn_code_and_one_that_never_was_read_the_same(client, opened):
    code = give(opened, 4)
    services.withdraw(code)
    gone = client.post(reverse("consultations:withdraw"), {"code": code})
    never = client.post(reverse("consultations:withdraw"), {"code": "ABCDE-FGHJK-MNPQR-STVWX"})
    assert gone.status_code == never.status_code == 400
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", text_of(gone)) == token.sub("", text_of(never))


def test_a_code_that_cannot_be_one_is_explained(client):
    response = client.post(reverse("consultations:withdraw"), {"code": "1234"})
    assert response.status_code == 400
    assert "Withdrawal code: Enter the code as you were given it: 20 letters and numbers" in (
        text_of(response)
    )
    assert 'value="1234"' in response.content.decode()  # what was typed is kept


def test_wrong_codes_are_limited_per_address(client, opened, settings):
    settings.CONSULTATION_WITHDRAWAL_RATE_LIMIT = "2/h/ip"
    code = give(opened, 4)
    # Right codes are not counted.
    client.post(reverse("consultations:withdraw"), {"code": code})
    for _ in range(2):
        response = client.post(
            reverse("consultations:withdraw"), {"code": "ABCDE-FGHJK-MNPQR-STVWX"}
        )
        assert response.status_code == 400
    # Past the limit every code is held back, a right one too: a guess learns nothing.
    for tried in ["ABCDE-FGHJK-MNPQR-STVWY", code]:
        response = client.post(reverse("consultations:withdraw"), {"code": tried, "confirm": "1"})
        assert response.status_code == 429
        assert "Too many wrong codes have been tried from your network" in text_of(response)
    assert Response.objects.count() == 1
    # Another network is not held back.
    response = client.post(
        reverse("consultations:withdraw"), {"code": code, "confirm": "1"}, REMOTE_ADDR="192.0.2.7"
    )
    assert "Your answers are withdrawn" in text_of(response)


def test_a_withdrawal_after_the_summary_was_sent_says_so(client, opened, lead_of_org_a, org_a):
    codes = [give(opened, 4, "Quoted." if n == 0 else "") for n in range(5)]
    close(opened, lead_of_org_a)
    services.moderate(opened, Comment.objects.get(), status=CommentStatus.APPROVED)
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    assessment = assessment_services.start_assessment(
        org_a, by=lead_of_org_a, today=date(2026, 11, 25)
    )
    services.attach(opened, assessment, publish=True, by=lead_of_org_a)
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED)
    quoted = client.post(reverse("consultations:withdraw"), {"code": codes[0], "confirm": "1"})
    assert "that copy cannot be changed and may still include your comment" in text_of(quoted)
    other = client.post(reverse("consultations:withdraw"), {"code": codes[1], "confirm": "1"})
    assert "none of your comments was among those" in text_of(other)
