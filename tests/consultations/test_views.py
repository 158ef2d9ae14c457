"""Every consultation page for every persona (tests/matrix.py), and what each one does."""

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import services as assessment_services
from consultations import services
from consultations.enums import CommentStatus, ConsultationStatus, QuestionKind
from consultations.models import Attachment, Comment, Consultation, Invitation, Response
from signatories.models import Organisation
from techcommit.models import OutgoingEmail
from tests.consultations.conftest import close
from tests.matrix import is_allowed, matrix, outcome

WRITERS = {"lead_of_org_a", "contributor_of_org_a"}
LEAD = {"lead_of_org_a"}
SECTOR = {"reviewer", "administrator"}


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def url(name, consultation, *extra):
    return reverse(
        f"consultations:{name}", args=[consultation.organisation.slug, consultation.pk, *extra]
    )


@pytest.fixture
def answered(consultation, answer, lead_of_org_a):
    """Six answers (two comments), closed."""
    for n in range(6):
        answer(
            consultation,
            visibility=4 if n < 4 else 2,
            recognition=5,
            group=1 if n < 3 else 2,
            comment="More training, please." if n == 0 else ("Lab is great." if n == 1 else ""),
        )
    return close(consultation, lead_of_org_a)


@pytest.fixture
def assessment(org_a, lead_of_org_a):
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    return assessment_services.start_assessment(org_a, by=lead_of_org_a, today=date(2026, 11, 25))


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS), indirect=["person"])
def test_the_list(client_as, person, result, consultation):
    response = client_as(person).get(reverse("consultations:list", args=["aldermoor"]))
    assert outcome(response) == result
    if is_allowed(result):
        assert "Technician voice 2026 ○ Draft 31 December 2099 0" in text_of(response)


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_starting_a_consultation(client_as, person, result, org_a):
    response = client_as(person).post(
        reverse("consultations:new", args=["aldermoor"]),
        {
            "title": "Our voice",
            "introduction": "<p onclick='x()'>Hello</p>",
            "closes_on": "2099-01-31",
            "threshold": "5",
        },
    )
    assert outcome(response) == result
    made = Consultation.objects.filter(title="Our voice").first()
    if is_allowed(result):
        assert (made.introduction, made.threshold, made.status) == (
            "<p>Hello</p>",
            5,
            ConsultationStatus.DRAFT,
        )
        assert response.url == made.get_absolute_url()
    else:
        assert made is None


def test_a_threshold_below_three_is_refused_with_the_text_kept(client_as, lead_of_org_a):
    response = client_as(lead_of_org_a).post(
        reverse("consultations:new", args=["aldermoor"]),
        {"title": "Our voice", "closes_on": "2099-01-31", "threshold": "2"},
    )
    assert response.status_code == 400
    assert "Smallest group of answers shown: Ensure this value is greater than or equal to 3." in (
        text_of(response)
    )
    assert 'value="Our voice"' in response.content.decode()
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS), indirect=["person"])
def test_the_consultation_page(client_as, person, result, consultation):
    response = client_as(person).get(url("detail", consultation))
    assert outcome(response) == result
    if is_allowed(result):
        assert (
            "My contribution is visible to the people I work with. Agreement with a statement "
            "(5-point scale) on a theme: Visibility. From the shared set."
        ) in text_of(response)
        assert "alert(1)" not in response.content.decode()


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_adding_a_question(client_as, person, result, consultation):
    response = client_as(person).post(
        url("add_question", consultation),
        {"kind": QuestionKind.MULTIPLE, "text": "Which apply?", "choices": "A\nB\n\nC"},
    )
    assert outcome(response) == result
    added = consultation.questions.filter(text="Which apply?").first()
    found = (added.choices, added.position) if added else None
    assert found == ((["A", "B", "C"], 5) if is_allowed(result) else None)


def test_an_agreement_statement_needs_a_theme(client_as, lead_of_org_a, consultation):
    response = client_as(lead_of_org_a).post(
        url("add_question", consultation), {"kind": QuestionKind.AGREEMENT, "text": "I agree."}
    )
    assert response.status_code == 400
    assert "Theme (for an agreement statement): Choose the theme this statement is about." in (
        text_of(response)
    )


def test_at_most_fifteen_questions(client_as, lead_of_org_a, consultation):
    client = client_as(lead_of_org_a)
    for n in range(12):
        client.post(url("add_question", consultation), {"kind": "text", "text": f"Q{n}"})
    assert consultation.questions.count() == 15
    response = client.post(url("add_question", consultation), {"kind": "text", "text": "Q16"})
    assert consultation.questions.count() == 15
    assert "A consultation has at most 15 questions." in text_of(client.get(response.url))


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_removing_a_question(client_as, person, result, consultation):
    first = consultation.questions.get(position=1)
    response = client_as(person).post(url("remove_question", consultation, first.pk))
    assert outcome(response) == result
    positions = list(consultation.questions.values_list("position", "text"))
    assert len(positions) == (3 if is_allowed(result) else 4)
    assert [p for p, _ in positions] == list(range(1, len(positions) + 1))


def test_a_get_to_an_action_changes_nothing(client_as, lead_of_org_a, answered, assessment):
    client = client_as(lead_of_org_a)
    comment = Comment.objects.first()
    made = Attachment.objects.create(consultation=answered, assessment=assessment)
    # The questions of a closed consultation cannot change at all: that page is not found.
    for name, extra, status in [
        ("add_question", [], 404),
        ("remove_question", [answered.questions.first().pk], 405),
        ("change_status", ["closed"], 405),
        ("invite", [], 405),
        ("moderate", [comment.pk], 405),
        ("attach", [], 405),
        ("detach", [made.pk], 405),
    ]:
        assert client.get(url(name, answered, *extra)).status_code == status
    comment.refresh_from_db()
    assert (answered.questions.count(), comment.status, Attachment.objects.count()) == (
        4,
        CommentStatus.PENDING,
        1,
    )


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_opening_and_closing(client_as, person, result, consultation):
    client = client_as(person)
    assert outcome(client.post(url("change_status", consultation, "open"))) == result
    consultation.refresh_from_db()
    assert consultation.status == ("open" if is_allowed(result) else "draft")
    if is_allowed(result):
        client.post(url("change_status", consultation, "closed"))
        consultation.refresh_from_db()
        assert (consultation.status, consultation.closed_on is not None) == ("closed", True)
        assert list(consultation.status_changes.values_list("from_status", "to_status")) == [
            ("draft", "open"),
            ("open", "closed"),
        ]


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_inviting(client_as, person, result, consultation, lead_of_org_a, answer):
    services.transition(consultation, to=ConsultationStatus.OPEN, by=lead_of_org_a)
    response = client_as(person).post(
        url("invite", consultation),
        {"addresses": "ann@example.org, bob@example.org\nann@example.org"},
    )
    assert outcome(response) == result
    sent = sorted(OutgoingEmail.objects.values_list("to", flat=True))
    assert sent == (["ann@example.org", "bob@example.org"] if is_allowed(result) else [])
    assert Invitation.objects.count() == (2 if is_allowed(result) else 0)


def test_an_invitation_works_once_and_keeps_no_address(
    client, consultation, lead_of_org_a, django_capture_on_commit_callbacks
):
    services.transition(consultation, to=ConsultationStatus.OPEN, by=lead_of_org_a)
    services.invite(consultation, ["ann@example.org"])
    body = OutgoingEmail.objects.get().body
    link = re.search(r"http\S+/voice/invited/\S+/", body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    first = consultation.questions.get(position=1)
    assert client.get(path).status_code == 200
    sent = client.post(path, {f"q{first.pk}": "4"})
    assert (sent.status_code, "Your withdrawal code" in text_of(sent)) == (200, True)
    assert "voice_answered" not in sent.cookies  # an invitation is its own guard
    again = client.post(path, {f"q{first.pk}": "1"})
    assert (again.status_code, Response.objects.count()) == (410, 1)
    assert "This invitation has already been used" in text_of(again)
    stored = [str(v) for v in Invitation.objects.values_list(flat=True)]
    assert not any("ann@example.org" in value for value in stored)


def test_the_respondent_page_says_what_is_stored(client, consultation, lead_of_org_a):
    services.transition(consultation, to=ConsultationStatus.OPEN, by=lead_of_org_a)
    response = client.get(reverse("consultations:respond", args=[consultation.link_token]))
    assert response.status_code == 200
    assert (
        "We store your answers and the day you sent them. Nothing else. We do not store your "
        "name, your e-mail address, your account (you need none), your IP address or the time "
        "of day."
    ) in text_of(response)
    assert "We keep only a scrambled form of the code (a hash)" in text_of(response)
    assert "It is the same for everyone who answers and holds nothing about you." in (
        text_of(response)
    )
    assert "sessionid" not in response.cookies


def test_answering_by_the_shared_link(client, consultation, lead_of_org_a):
    services.transition(consultation, to=ConsultationStatus.OPEN, by=lead_of_org_a)
    q = {q.position: q for q in consultation.questions.all()}
    response = client.post(
        reverse("consultations:respond", args=[consultation.link_token]),
        {f"q{q[1].pk}": "5", f"q{q[3].pk}": "2", f"q{q[4].pk}": "Needs more kit."},
    )
    assert (response.status_code, "Thank you" in text_of(response)) == (200, True)
    stored = Response.objects.get()
    assert sorted(stored.answers.values_list("question__position", "value")) == [(1, 5), (3, 2)]
    assert list(Comment.objects.values_list("text", "status")) == [
        ("Needs more kit.", CommentStatus.PENDING)
    ]


def test_a_draft_link_is_not_found_and_a_closed_one_says_so(client, consultation, lead_of_org_a):
    link = reverse("consultations:respond", args=[consultation.link_token])
    assert client.get(link).status_code == 404
    close_after_open = consultation
    services.transition(close_after_open, to=ConsultationStatus.OPEN, by=lead_of_org_a)
    close(close_after_open, lead_of_org_a)
    response = client.get(link)
    assert (response.status_code, "This consultation has closed." in text_of(response)) == (
        410,
        True,
    )
    assert client.get(reverse("consultations:respond", args=["guess"])).status_code == 404


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS), indirect=["person"])
def test_the_results(client_as, person, result, answered):
    response = client_as(person).get(url("results", answered))
    assert outcome(response) == result
    if is_allowed(result):
        text = text_of(response)
        assert "6 people answered." in text
        assert "Visibility: Disagree 2 (33%), Agree 4 (67%); 6 answers in all." in text
        assert "More training, please." not in text  # not approved yet


def test_four_answers_show_nothing(client_as, lead_of_org_a, consultation, answer):
    for _ in range(4):
        answer(consultation, visibility=4, comment="Hello")
    close(consultation, lead_of_org_a)
    client = client_as(lead_of_org_a)
    response = client.get(url("results", consultation))
    assert "Not enough people answered: 4 answers" in text_of(response)
    assert "Agreement per theme" not in text_of(response)
    assert client.get(url("export", consultation)).status_code == 404
    assert "Comments can be read once" in text_of(client.get(url("moderation", consultation)))


def test_a_filter_shows_an_offered_group_only(client_as, lead_of_org_a, consultation, answer):
    for n in range(10):
        answer(consultation, visibility=4 if n < 5 else 1, group=1 if n < 5 else 2)
    close(consultation, lead_of_org_a)
    where = consultation.questions.get(position=3)
    client = client_as(lead_of_org_a)
    response = client.get(url("results", consultation) + f"?q={where.pk}&v=1")
    assert "Visibility: Agree 5 (100%); 5 answers in all." in text_of(response)
    assert client.get(url("results", consultation) + f"?q={where.pk}&v=3").status_code == 404


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS), indirect=["person"])
def test_the_csv_export_holds_aggregates_only(client_as, person, result, answered):
    response = client_as(person).get(url("export", answered))
    assert outcome(response) == result
    if is_allowed(result):
        lines = response.content.decode().splitlines()
        assert lines[0] == "Question,Theme,Answer,Number,Per cent,Answered"
        assert "My contribution is visible to the people I work with.,Visibility,Agree,4,67,6" in (
            lines
        )
        assert "More training" not in response.content.decode()


@pytest.mark.parametrize(("person", "result"), matrix(LEAD), indirect=["person"])
def test_the_moderation_page(client_as, person, result, answered):
    response = client_as(person).get(url("moderation", answered))
    assert outcome(response) == result
    if is_allowed(result):
        assert "More training, please." in text_of(response)
        assert "Lab is great." in text_of(response)


@pytest.mark.parametrize(("person", "result"), matrix(LEAD, ok=302), indirect=["person"])
def test_moderating(client_as, person, result, answered):
    comment = Comment.objects.get(text="Lab is great.")
    response = client_as(person).post(
        url("moderate", answered, comment.pk), {"status": CommentStatus.APPROVED}
    )
    assert outcome(response) == result
    comment.refresh_from_db()
    assert comment.status == (CommentStatus.APPROVED if is_allowed(result) else "pending")


@pytest.mark.parametrize(("person", "result"), matrix(LEAD, ok=302), indirect=["person"])
def test_attaching(client_as, person, result, answered, assessment):
    response = client_as(person).post(
        url("attach", answered), {"assessment": assessment.pk, "publish": "on"}
    )
    assert outcome(response) == result
    attached = list(Attachment.objects.values_list("assessment_id", "publish"))
    assert attached == ([(assessment.pk, True)] if is_allowed(result) else [])


@pytest.mark.parametrize(("person", "result"), matrix(LEAD, ok=302), indirect=["person"])
def test_detaching(client_as, person, result, answered, assessment, lead_of_org_a):
    made = Attachment.objects.create(
        consultation=answered, assessment=assessment, attached_by=lead_of_org_a
    )
    response = client_as(person).post(url("detach", answered, made.pk))
    assert outcome(response) == result
    assert Attachment.objects.exists() is not is_allowed(result)


@pytest.mark.parametrize(("person", "result"), matrix(SECTOR), indirect=["person"])
def test_the_sector_view(client_as, person, result, answered):
    response = client_as(person).get(reverse("consultations:sector"))
    assert outcome(response) == result
    if is_allowed(result):
        text = text_of(response)
        # Only the shared statement (visibility) counts; recognition was asked locally.
        assert "Visibility: Disagree 2 (33%), Agree 4 (67%); 6 answers in all." in text
        assert "Recognition" not in text


def test_the_sector_view_leaves_out_those_who_did_not_consent(client_as, reviewer, answered):
    Consultation.objects.filter(pk=answered.pk).update(sector_consent=False)
    response = client_as(reviewer).get(reverse("consultations:sector"))
    assert "No organisation has shared a consultation yet." in text_of(response)


def test_the_list_costs_the_same_for_more_rows(
    client_as, lead_of_org_a, consultation, django_assert_max_num_queries
):
    client = client_as(lead_of_org_a)
    with django_assert_max_num_queries(12):
        client.get(reverse("consultations:list", args=["aldermoor"]))
    for n in range(3):
        services.create(
            consultation.organisation,
            by=lead_of_org_a,
            title=f"C{n}",
            introduction="",
            closes_on=date(2099, 1, 1),
            threshold=5,
            sector_consent=False,
        )
    with django_assert_max_num_queries(12):
        client.get(reverse("consultations:list", args=["aldermoor"]))


@pytest.mark.parametrize("answers", [6, 18])
def test_the_results_cost_the_same_for_more_answers(
    client_as, lead_of_org_a, consultation, answer, answers, django_assert_max_num_queries
):
    for n in range(answers):
        answer(consultation, visibility=1 + n % 5, recognition=2, group=1 + n % 2, comment=f"C{n}")
    close(consultation, lead_of_org_a)
    client = client_as(lead_of_org_a)
    with django_assert_max_num_queries(20):
        response = client.get(url("results", consultation))
    assert f"{answers} people answered." in text_of(response)
    with django_assert_max_num_queries(12):
        response = client.get(url("moderation", consultation))
    assert text_of(response).count("Waiting for moderation") == answers


def test_the_results_compare_with_the_previous_consultation(
    client_as, lead_of_org_a, org_a, themes, answer
):
    def made(title, closes_on, visibility):
        consultation = services.create(
            org_a,
            by=lead_of_org_a,
            title=title,
            introduction="",
            closes_on=closes_on,
            threshold=5,
            sector_consent=False,
        )
        services.add_question(
            consultation, kind=QuestionKind.AGREEMENT, text="Seen?", theme=themes["visibility"]
        )
        services.add_question(
            consultation,
            kind=QuestionKind.AGREEMENT,
            text="Registered?",
            theme=themes["recognition"],
        )
        services.add_question(
            consultation, kind=QuestionKind.SINGLE, text="Where?", choices=["A", "B"]
        )
        services.add_question(consultation, kind=QuestionKind.TEXT, text="Else?")
        for value in visibility:
            answer(consultation, visibility=value, recognition=4)
        return close(consultation, lead_of_org_a)

    made("Last year", date(2099, 1, 31), [1, 2, 4, 2, 2])
    now = made("This year", date(2099, 12, 31), [4, 5, 4, 2, 4])
    response = client_as(lead_of_org_a).get(url("results", now))
    text = text_of(response)
    assert (
        "Compared with “Last year” Share who agree, per theme, then and now "
        "Theme Agreed then Agree now Visibility 20% 80% "
        "Recognition 100% 100%"
    ) in text


def test_administrators_keep_the_shared_question_set_in_the_admin(
    client_as, administrator, shared_visibility
):
    response = client_as(administrator).get(
        reverse("admin:consultations_sharedquestion_changelist")
    )
    assert response.status_code == 200
    assert "My contribution is visible to the people I work with." in text_of(response)


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS), indirect=["person"])
def test_the_start_page(client_as, person, result, org_a):
    response = client_as(person).get(reverse("consultations:new", args=["aldermoor"]))
    assert outcome(response) == result
    if is_allowed(result):
        assert "Start a consultation" in text_of(response)


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS), indirect=["person"])
def test_the_edit_page(client_as, person, result, consultation):
    response = client_as(person).get(url("edit", consultation))
    assert outcome(response) == result
    if is_allowed(result):
        assert 'value="Technician voice 2026"' in response.content.decode()


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_editing(client_as, person, result, consultation):
    response = client_as(person).post(
        url("edit", consultation),
        {"title": "Renamed", "introduction": "Hi", "closes_on": "2099-06-30", "threshold": "6"},
    )
    assert outcome(response) == result
    consultation.refresh_from_db()
    assert (consultation.title, consultation.threshold) == (
        ("Renamed", 6) if is_allowed(result) else ("Technician voice 2026", 5)
    )


def test_an_open_consultation_cannot_be_edited(client_as, lead_of_org_a, consultation):
    services.transition(consultation, to=ConsultationStatus.OPEN, by=lead_of_org_a)
    response = client_as(lead_of_org_a).post(
        url("edit", consultation),
        {"title": "Renamed", "closes_on": "2099-06-30", "threshold": "3"},
    )
    assert response.status_code == 404
    consultation.refresh_from_db()
    assert (consultation.title, consultation.threshold) == ("Technician voice 2026", 5)


def test_the_withdrawal_page_needs_no_account(client):
    response = client.get(reverse("consultations:withdraw"))
    assert (response.status_code, "Withdrawal code" in text_of(response)) == (200, True)


def test_a_closing_date_in_the_past_is_refused(client_as, lead_of_org_a, org_a):
    response = client_as(lead_of_org_a).post(
        reverse("consultations:new", args=["aldermoor"]),
        {"title": "Late", "closes_on": "2001-01-31", "threshold": "5"},
    )
    assert response.status_code == 400
    assert "Closing date: The closing date is in the past." in text_of(response)


def test_a_mistyped_address_is_reported_and_the_list_kept(client_as, lead_of_org_a, consultation):
    services.transition(consultation, to=ConsultationStatus.OPEN, by=lead_of_org_a)
    response = client_as(lead_of_org_a).post(
        url("invite", consultation), {"addresses": "ann@example.org\nbob-at-example"}
    )
    assert response.status_code == 400
    assert "E-mail addresses: These are not e-mail addresses: bob-at-example." in text_of(response)
    assert "ann@example.org\nbob-at-example</textarea>" in response.content.decode()
    assert (Invitation.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


@pytest.mark.parametrize("organisations", [1, 3])
def test_the_sector_view_costs_the_same_for_more_organisations(
    client_as,
    reviewer,
    themes,
    shared_visibility,
    answer,
    organisations,
    django_assert_max_num_queries,
):
    from tests.factories import OrganisationFactory, UserFactory

    for n in range(organisations):
        organisation = OrganisationFactory(name=f"Org {n}", slug=f"org-{n}")
        lead = UserFactory(email=f"lead{n}@example.org")
        consultation = services.create(
            organisation,
            by=lead,
            title="Voice",
            introduction="",
            closes_on=date(2099, 1, 1),
            threshold=5,
            sector_consent=True,
        )
        services.add_shared(consultation, shared_visibility)
        services.add_question(consultation, kind="agreement", text="R", theme=themes["recognition"])
        services.add_question(consultation, kind="single", text="W", choices=["A", "B"])
        services.add_question(consultation, kind="text", text="T")
        for _ in range(5):
            answer(consultation, visibility=4)
        close(consultation, lead)
    client = client_as(reviewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("consultations:sector"))
    plural = "s" if organisations > 1 else ""
    assert f"{organisations} organisation{plural} Visibility" in text_of(response)


def test_consultations_past_their_closing_date_are_closed_by_the_daily_command(
    consultation, answer, lead_of_org_a
):
    answer(consultation, visibility=4)  # opens it
    still_open = services.create(
        consultation.organisation,
        by=lead_of_org_a,
        title="Runs on",
        introduction="",
        closes_on=date.today(),
        threshold=5,
        sector_consent=False,
    )
    Consultation.objects.filter(pk=still_open.pk).update(status=ConsultationStatus.OPEN)
    Consultation.objects.filter(pk=consultation.pk).update(closes_on=date.today() - timedelta(1))
    out = StringIO()
    call_command("close_consultations", stdout=out)
    assert out.getvalue().strip() == "1 consultation(s) closed."
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED
    assert consultation.closed_on == date.today()
    change = consultation.status_changes.get(to_status=ConsultationStatus.CLOSED)
    assert change.by is None
    assert Consultation.objects.get(pk=still_open.pk).status == ConsultationStatus.OPEN
