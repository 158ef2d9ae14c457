"""One person, one response: the shared link remembers, in the browser and without telling
respondents apart, that it has answered; answers from one network address are limited; an
invitation takes one answer."""

import re

import pytest
from django.urls import reverse

from consultations import services
from consultations.enums import ConsultationStatus, QuestionKind
from consultations.models import Invitation, Response
from consultations.views import ANSWERED_COOKIE
from signatories.models import hash_token
from tests.consultations.conftest import questions_of


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def opened(consultation, lead_of_org_a):
    services.transition(consultation, to=ConsultationStatus.OPEN, by=lead_of_org_a)
    return consultation


def link(consultation) -> str:
    return reverse("consultations:respond", args=[consultation.link_token])


def answers(consultation, comment="") -> dict:
    shared, _, _, text = questions_of(consultation)
    return {f"q{shared.pk}": "4", f"q{text.pk}": comment}


def test_a_browser_that_answered_is_asked_before_answering_again(client, opened):
    sent = client.post(link(opened), answers(opened))
    assert sent.status_code == 200
    cookie = sent.cookies[ANSWERED_COOKIE]
    assert cookie["path"] == link(opened)
    assert cookie["httponly"]
    assert cookie["max-age"] > 0

    again = client.get(link(opened))
    assert again.status_code == 200
    text = text_of(again)
    assert "You have already answered" in text
    assert "Withdraw them with the withdrawal code you were given" in text
    assert 'href="?again=1"' in again.content.decode()
    assert "Send my answers" not in text

    # The form sent twice (a reload, a second click) is not a second response.
    resent = client.post(link(opened), answers(opened))
    assert "You have already answered" in text_of(resent)
    assert Response.objects.count() == 1

    # Someone else at the same computer answers, on purpose.
    form = client.get(link(opened) + "?again=1")
    assert '<input type="hidden" name="again" value="1">' in form.content.decode()
    client.post(link(opened), {**answers(opened), "again": "1"})
    assert Response.objects.count() == 2


def test_the_cookie_tells_no_one_apart(client, opened, lead_of_org_a):
    """Every browser that answered a consultation holds the same value: it says only that this
    consultation was answered, with no time and nothing of the person."""
    first = client.post(link(opened), answers(opened)).cookies[ANSWERED_COOKIE].value
    client.cookies.clear()
    second = client.post(link(opened), answers(opened)).cookies[ANSWERED_COOKIE].value
    assert first == second
    # It is this consultation's: another one's link still asks its questions.
    another = services.create(
        opened.organisation,
        by=lead_of_org_a,
        title="Another",
        introduction="",
        closes_on=opened.closes_on,
        threshold=5,
        sector_consent=False,
    )
    services.add_question(another, kind=QuestionKind.TEXT, text="Anything?")
    services.transition(another, to=ConsultationStatus.OPEN, by=lead_of_org_a)
    client.cookies[ANSWERED_COOKIE] = first
    other = client.get(link(another))
    assert "Send my answers" in text_of(other)


def test_a_forged_cookie_is_not_believed(client, opened):
    client.cookies[ANSWERED_COOKIE] = f"{opened.pk}:forged"
    assert "Send my answers" in text_of(client.get(link(opened)))


def test_answers_from_one_address_are_limited(client, opened, settings):
    settings.CONSULTATION_RESPONSE_RATE_LIMIT = "2/h/ip"
    for _ in range(2):
        assert client.post(link(opened), {**answers(opened), "again": "1"}).status_code == 200
    limited = client.post(link(opened), {**answers(opened, "Keep this."), "again": "1"})
    assert limited.status_code == 429
    text = text_of(limited)
    assert "There is a problem" in text
    assert "Many answers have come from your network recently" in text
    assert "Keep this." in limited.content.decode()  # what was typed is kept
    assert Response.objects.count() == 2
    # Another network's answers are still taken.
    elsewhere = client.post(
        link(opened), {**answers(opened), "again": "1"}, REMOTE_ADDR="192.0.2.7"
    )
    assert (elsewhere.status_code, Response.objects.count()) == (200, 3)


def test_an_invitation_takes_one_answer_and_no_cookie(client, opened, settings):
    settings.CONSULTATION_RESPONSE_RATE_LIMIT = "1/h/ip"
    client.post(link(opened), answers(opened))  # the address's one answer by the shared link
    tokens = []
    for _ in range(2):
        token = services.new_token()
        tokens.append(token)
        Invitation.objects.create(consultation=opened, token_hash=hash_token(token))
    invited = [reverse("consultations:respond_invited", args=[token]) for token in tokens]
    # Each invitation answers once, however many share a computer or a network.
    for path in invited:
        sent = client.post(path, answers(opened))
        assert (sent.status_code, ANSWERED_COOKIE in sent.cookies) == (200, False)
    used = client.post(invited[0], answers(opened))
    assert used.status_code == 410
    assert "This invitation has already been used" in text_of(used)
    assert Response.objects.count() == 3
