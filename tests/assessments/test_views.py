"""Every self-assessment URL for every persona; autosave; conflicts; escaping; query counts."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.enums import AssessmentStatus
from assessments.models import Answer, SelfAssessment
from submissions.models import Assignment, Reviewer, Snapshot
from tests.matrix import is_allowed, matrix, outcome

READERS = {
    "lead_of_org_a",
    "contributor_of_org_a",
    "sponsor_of_org_a",
    "leader_of_org_a",
    "administrator",
}
WRITERS = {"lead_of_org_a", "contributor_of_org_a"}


def urls(assessment, question):
    args = ["aldermoor", assessment.pk]
    answer = Answer.objects.filter(assessment=assessment).first()
    return {
        "task_list": reverse("assessments:task_list", args=args),
        "section": reverse("assessments:section", args=[*args, 2]),
        "check": reverse("assessments:check", args=args),
        "preview": reverse("assessments:preview", args=args),
        "history": reverse("assessments:history", args=[*args, answer.pk]),
    }


@pytest.mark.parametrize("page", ["task_list", "section", "check", "preview", "history"])
@pytest.mark.parametrize(("person", "result"), matrix(READERS), indirect=["person"])
def test_reading_pages(client_as, person, result, assessment, question, page):
    response = client_as(person).get(urls(assessment, question)[page])
    assert outcome(response) == result
    if is_allowed(result):
        assert response.status_code == 200
        assert (
            "Self-assessment due 1 December 2026" in response.content.decode()
            or page != "task_list"
        )


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS), indirect=["person"])
def test_autosave(client_as, person, result, assessment, question):
    url = reverse("assessments:autosave", args=["aldermoor", assessment.pk, question().pk])
    response = client_as(person).post(url, {"text": "<p>Typed.</p>", "version": "0"})
    assert outcome(response) == result
    saved = Answer.objects.filter(assessment=assessment, question=question()).first()
    if is_allowed(result):
        assert response.json() == {
            "status": "saved",
            "version": 1,
            "saved_at": response.json()["saved_at"],
            "problems": [],
            "words": 1,
        }
        assert saved.text == "<p>Typed.</p>"
    else:
        assert saved is None


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_section_form_post(client_as, person, result, assessment, question):
    url = reverse("assessments:section", args=["aldermoor", assessment.pk, 2])
    data = {
        "answer-profile": "A small university.",
        "answer-profile__version": "0",
        "answer-technician_definition": "",
        "answer-technician_definition__version": "0",
        "answer-technician_numbers": "",
        "answer-technician_numbers__version": "0",
        "complete": "on",
    }
    response = client_as(person).post(url, data)
    assert outcome(response) == result
    saved = Answer.objects.filter(assessment=assessment, question=question()).first()
    assert (saved.text if saved else None) == (
        "<p>A small university.</p>" if is_allowed(result) else None
    )
    assert assessment.completions.exists() is is_allowed(result)


@pytest.mark.parametrize(
    ("person", "result"), matrix({"lead_of_org_a"}, ok=302), indirect=["person"]
)
def test_starting(client_as, person, result, org_a):
    org_a.signed_on = org_a.signed_on.replace(year=2025)
    org_a.save()
    response = client_as(person).post(reverse("assessments:start", args=["aldermoor"]))
    assert outcome(response) == result
    assert SelfAssessment.objects.filter(organisation=org_a).exists() is is_allowed(result)


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_restoring(client_as, person, result, assessment, question, lead_of_org_a):
    profile = question()
    services.save_answer(assessment, profile, text="One", base_version=0, by=lead_of_org_a)
    services.save_answer(assessment, profile, text="Two", base_version=1, by=lead_of_org_a)
    answer = Answer.objects.get(assessment=assessment, question=profile)
    url = reverse("assessments:restore", args=["aldermoor", assessment.pk, answer.pk, 1])
    response = client_as(person).post(url)
    assert outcome(response) == result
    answer.refresh_from_db()
    assert answer.text == ("<p>One</p>" if is_allowed(result) else "<p>Two</p>")


def test_a_member_of_another_organisation_gets_404_through_their_own_slug(
    client, assessment, question, lead_of_org_b
):
    client.force_login(lead_of_org_b)
    for url in urls(assessment, question).values():
        assert client.get(url.replace("aldermoor", "brackenfield")).status_code == 404
    autosave = reverse("assessments:autosave", args=["brackenfield", assessment.pk, question().pk])
    assert client.post(autosave, {"text": "x", "version": "0"}).status_code == 404


def test_autosave_reports_a_conflict_with_the_colleagues_text(
    client, assessment, question, contributor_of_org_a, lead_of_org_a
):
    services.save_answer(
        assessment, question(), text="<p>Theirs.</p>", base_version=0, by=contributor_of_org_a
    )
    client.force_login(lead_of_org_a)
    url = reverse("assessments:autosave", args=["aldermoor", assessment.pk, question().pk])
    response = client.post(url, {"text": "<p>Mine.</p>", "version": "0"})
    body = response.json()
    assert response.status_code == 409
    assert (body["status"], body["version"], body["theirs_html"], body["theirs_by"]) == (
        "conflict",
        1,
        "<p>Theirs.</p>",
        "Carl Ash",
    )
    assert Answer.objects.get(question=question()).text == "<p>Theirs.</p>"


def test_autosave_when_signed_out_answers_401_not_a_redirect(client, assessment, question):
    url = reverse("assessments:autosave", args=["aldermoor", assessment.pk, question().pk])
    response = client.post(url, {"text": "x", "version": "0"})
    assert (response.status_code, response.json()["status"]) == (401, "signed_out")


def test_autosave_reports_problems_but_saves(client, assessment, question, lead_of_org_a):
    client.force_login(lead_of_org_a)
    url = reverse("assessments:autosave", args=["aldermoor", assessment.pk, question().pk])
    text = "<p>" + " ".join(["word"] * 251) + "</p>"
    body = client.post(url, {"text": text, "version": "0"}).json()
    assert (body["status"], body["words"], body["problems"]) == (
        "saved",
        251,
        ["251 words: 1 over the limit of 250. Shorten the answer."],
    )


def test_the_section_form_shows_a_conflict_and_keeps_the_typed_text(
    client, assessment, question, contributor_of_org_a, lead_of_org_a
):
    services.save_answer(
        assessment, question(), text="<p>Theirs.</p>", base_version=0, by=contributor_of_org_a
    )
    client.force_login(lead_of_org_a)
    url = reverse("assessments:section", args=["aldermoor", assessment.pk, 2])
    response = client.post(url, {"answer-profile": "My own words.", "answer-profile__version": "0"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "A colleague saved some answers while you were editing" in page
    assert "My own words.</textarea>" in page
    assert "<p>Theirs.</p>" in page
    assert 'name="answer-profile__version" value="1"' in page
    assert Answer.objects.get(question=question()).text == "<p>Theirs.</p>"


HOSTILE = (
    '<p>Hi<script>alert("x")</script></p><a href="javascript:alert(1)">link</a>'
    '<img src=x onerror="alert(2)"><p onmouseover="alert(3)">hover</p>'
)


@pytest.mark.parametrize("page", ["section", "check", "preview", "history"])
def test_pasted_html_never_reaches_a_page_unescaped(
    client, assessment, question, lead_of_org_a, page
):
    for key in ("profile", "lead_name"):
        q = question(key)
        current = Answer.objects.filter(assessment=assessment, question=q).first()
        services.save_answer(
            assessment,
            q,
            text=HOSTILE,
            base_version=current.version if current else 0,
            by=lead_of_org_a,
        )
    client.force_login(lead_of_org_a)
    url = urls(assessment, question)[page]
    if page == "section":
        url = reverse("assessments:section", args=["aldermoor", assessment.pk, 1])
    body = client.get(url).content.decode()
    for dangerous in (
        "<script>alert",
        'href="javascript:',
        ' onerror="',
        ' onmouseover="',
        "<img src=x",
    ):
        assert dangerous not in body


@pytest.mark.parametrize("name", ["autosave", "restore", "start"])
def test_get_to_an_action_url_changes_nothing(client, assessment, question, lead_of_org_a, name):
    client.force_login(lead_of_org_a)
    args = {
        "autosave": ["aldermoor", assessment.pk, question().pk],
        "restore": ["aldermoor", assessment.pk, Answer.objects.first().pk, 1],
        "start": ["aldermoor"],
    }[name]
    before = list(Answer.objects.values_list("pk", "version"))
    assert client.get(reverse(f"assessments:{name}", args=args)).status_code == 405
    assert list(Answer.objects.values_list("pk", "version")) == before


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize("page", ["task_list", "section", "check"])
def test_pages_run_in_constant_queries(
    client, assessment, question, lead_of_org_a, size, page, django_assert_max_num_queries
):
    from assessments.models import Theme

    since = question("initiatives_since")
    for theme in Theme.objects.filter(asked_per_theme=True)[:size]:
        services.save_answer(
            assessment, since, theme=theme, text="x", base_version=0, by=lead_of_org_a
        )
    for key in ["profile", "technician_definition", "technician_numbers"][:size]:
        services.save_answer(assessment, question(key), text="y", base_version=0, by=lead_of_org_a)
    client.force_login(lead_of_org_a)
    url = {
        "task_list": reverse("assessments:task_list", args=["aldermoor", assessment.pk]),
        "section": reverse("assessments:section", args=["aldermoor", assessment.pk, 3]),
        "check": reverse("assessments:check", args=["aldermoor", assessment.pk]),
    }[page]
    # The check page reads each app's appendices once: the plan, appended reviews, consultations.
    with django_assert_max_num_queries(17):
        response = client.get(url)
    assert response.status_code == 200


# --- The list of an organisation's self-assessments: only what each person may open ----------

LIST_URL = reverse("assessments:list", args=["aldermoor"])


def listed_links(response) -> list[str]:
    return re.findall(r'<a href="([^"]+)">Self-assessment due', response.content.decode())


@pytest.mark.parametrize(
    ("person", "sees"),
    [
        *[pytest.param(p, "task_list", id=p) for p in sorted(READERS)],
        pytest.param("reviewer", "nothing", id="reviewer"),
        pytest.param("lead_of_org_b", 404, id="lead_of_org_b"),
        pytest.param("anonymous", "login", id="anonymous"),
    ],
    indirect=["person"],
)
def test_the_list_shows_each_person_only_what_they_may_open(client_as, person, sees, assessment):
    client = client_as(person)
    response = client.get(LIST_URL)
    if sees in {"login", 404}:
        assert outcome(response) == sees
        return
    page = response.content.decode()
    task_list = reverse("assessments:task_list", args=["aldermoor", assessment.pk])
    assert listed_links(response) == ([task_list] if sees == "task_list" else [])
    started = f"<td>{timezone.localtime(assessment.created_at):%-d %B %Y}</td>"
    assert ("<td>Draft</td>" in page, started in page) == (sees == "task_list",) * 2
    for link in listed_links(response):
        assert client.get(link).status_code == 200


def test_an_assigned_reviewer_sees_only_the_submission_they_review_and_it_opens(
    client, assessment, reviewer, administrator, org_b
):
    Reviewer.objects.create(user=reviewer, organisation=org_b, trained_on=date(2026, 1, 10))
    Snapshot.objects.create(
        assessment=assessment, revision=1, content={}, content_hash="h", submitted_at=timezone.now()
    )
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED)
    Assignment.objects.create(assessment=assessment, reviewer=reviewer, assigned_by=administrator)
    client.force_login(reviewer)
    response = client.get(LIST_URL)
    submission = reverse("submissions:submission", args=["aldermoor", assessment.pk])
    assert listed_links(response) == [submission]
    assert reviewer.has_perm("submissions.view_submission", assessment)
    assert client.get(submission).status_code == 200


def test_a_reviewer_assigned_to_their_own_pool_organisation_sees_nothing(
    client, assessment, reviewer, administrator, org_a
):
    Reviewer.objects.create(user=reviewer, organisation=org_a, trained_on=date(2026, 1, 10))
    Assignment.objects.create(assessment=assessment, reviewer=reviewer, assigned_by=administrator)
    client.force_login(reviewer)
    assert listed_links(client.get(LIST_URL)) == []
    assert not reviewer.has_perm("submissions.view_submission", assessment)


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("persona", ["lead_of_org_a", "reviewer"])
def test_the_list_runs_in_constant_queries(
    client, assessment, administrator, org_b, persona, count, request, django_assert_max_num_queries
):
    person = request.getfixturevalue(persona)
    Reviewer.objects.create(user=request.getfixturevalue("reviewer"), organisation=org_b)
    earlier = [
        SelfAssessment.objects.create(
            organisation=assessment.organisation,
            form_version=assessment.form_version,
            due_on=date(2020 + n, 3, 1),
            status=AssessmentStatus.ACCEPTED,
        )
        for n in range(count - 1)
    ]
    for each in [assessment, *earlier]:
        Assignment.objects.create(
            assessment=each, reviewer=request.getfixturevalue("reviewer"), assigned_by=administrator
        )
    client.force_login(person)
    with django_assert_max_num_queries(10):
        response = client.get(LIST_URL)
    assert len(listed_links(response)) == count
