"""The organisation's side of the flow: every transition allowed and refused, sign-off of an
exact snapshot, voiding, one submission however many clicks, and no way to change what was
submitted."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.models import ActionPlan
from assessments import services as assessment_services
from assessments.enums import AssessmentStatus
from assessments.models import Answer, Question, SelfAssessment
from submissions import services
from submissions.enums import ALLOWED_TRANSITIONS, SignOffState
from submissions.models import Assignment, AuditEntry, SignOff, Snapshot
from submissions.services import AlreadySubmitted, FlowError
from tests.matrix import is_allowed, matrix, outcome
from tests.submissions.conftest import signed_and_ready
from tests.transitions import assert_table_decides, pairs

MEMBERS = {"lead_of_org_a", "contributor_of_org_a", "sponsor_of_org_a", "leader_of_org_a"}


def url(name, assessment, *args):
    return reverse(f"submissions:{name}", args=["aldermoor", assessment.pk, *args])


def status_of(assessment) -> str:
    return SelfAssessment.objects.get(pk=assessment.pk).status


# --- The transition table ----------------------------------------------------------------------


@pytest.mark.parametrize(("start", "to"), pairs(AssessmentStatus))
def test_every_transition_is_allowed_or_refused_by_the_table(ready, lead_of_org_a, start, to):
    entry = assert_table_decides(
        ready,
        start=start,
        to=to,
        table=ALLOWED_TRANSITIONS,
        move=lambda assessment, status: services.transition(
            assessment, to=status, by=lead_of_org_a
        ),
        history=lambda: AuditEntry.objects.filter(assessment=ready),
        refused=FlowError,
    )
    if entry:
        assert (entry.kind, entry.by) == ("status", lead_of_org_a)


# --- Sign-off ---------------------------------------------------------------------------------


def test_sign_off_cannot_be_requested_while_answers_are_missing(ready, lead_of_org_a):
    Answer.objects.filter(assessment=ready, question__key="profile").update(text="")
    with pytest.raises(FlowError, match="1 problem to fix first"):
        services.request_sign_off(ready, by=lead_of_org_a)
    assert status_of(ready) == AssessmentStatus.DRAFT
    assert not Snapshot.objects.exists()


def test_requesting_sign_off_freezes_revision_one_and_asks_each_role(
    ready, lead_of_org_a, leader_of_org_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = services.request_sign_off(ready, by=lead_of_org_a)
    assert (snapshot.revision, status_of(ready)) == (1, AssessmentStatus.AWAITING_SIGN_OFF)
    assert [(s.role, s.title, s.state) for s in snapshot.sign_offs.all()] == [
        ("lead", "Nominated Institutional Lead", SignOffState.REQUESTED),
        ("leader", "Signatory – Leader of Institution", SignOffState.REQUESTED),
    ]
    profile = next(
        q for s in snapshot.content["sections"] for q in s["questions"] if q["key"] == "profile"
    )
    assert profile["boxes"][0]["text"] == "<p>Our answer.</p>"
    assert [m.to for m in mailoutbox] == [["lead.a@example.org"], ["leader.a@example.org"]]
    leader_mail = mailoutbox[1]
    assert leader_mail.subject == (
        "Please sign off University of Aldermoor's self-assessment: "
        "Signatory – Leader of Institution"
    )
    sign_off = snapshot.sign_offs.get(role="leader")
    assert (
        f"https://portal.example.org/organisations/aldermoor/self-assessments/{ready.pk}"
        f"/submission/sign/{sign_off.pk}/" in leader_mail.body
    )


def test_signing_records_who_when_and_a_hash_of_exactly_what_was_signed(
    client, ready, lead_of_org_a, leader_of_org_a
):
    snapshot = services.request_sign_off(ready, by=lead_of_org_a)
    sign_off = snapshot.sign_offs.get(role="leader")
    client.force_login(leader_of_org_a)
    page = client.get(url("sign", ready, sign_off.pk)).content.decode()
    assert "Our answer. (Visibility)" in page
    assert 'value="Leo Arden"' in page
    response = client.post(
        url("sign", ready, sign_off.pk),
        {"sign-name": "Leo Arden", "sign-job_title": "Vice-Chancellor", "sign": "1"},
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    client.post(
        url("sign", ready, sign_off.pk),
        {
            "sign-name": "Leo Arden",
            "sign-job_title": "Vice-Chancellor",
            "sign-confirm": "on",
            "sign": "1",
        },
    )
    sign_off.refresh_from_db()
    assert (sign_off.state, sign_off.signed_name, sign_off.signed_job_title) == (
        SignOffState.SIGNED,
        "Leo Arden",
        "Vice-Chancellor",
    )
    assert sign_off.signer == leader_of_org_a
    assert sign_off.signed_hash == snapshot.content_hash == services.content_hash(snapshot.content)
    assert sign_off.declaration.startswith("I confirm that I have read this self-assessment")
    assert AuditEntry.objects.filter(
        assessment=ready,
        message="Signatory – Leader of Institution signed by Leo Arden, Vice-Chancellor.",
    ).exists()


def test_only_the_holder_of_the_role_can_sign(
    client, ready, lead_of_org_a, sponsor_of_org_a, contributor_of_org_a, lead_of_org_b
):
    snapshot = services.request_sign_off(ready, by=lead_of_org_a)
    sign_off = snapshot.sign_offs.get(role="leader")
    for person in (sponsor_of_org_a, contributor_of_org_a, lead_of_org_a, lead_of_org_b):
        client.force_login(person)
        data = {"sign-name": "X", "sign-job_title": "Y", "sign-confirm": "on", "sign": "1"}
        assert client.post(url("sign", ready, sign_off.pk), data).status_code == 404
    sign_off.refresh_from_db()
    assert sign_off.state == SignOffState.REQUESTED


def test_a_signer_can_decline_with_a_reason(
    client, ready, lead_of_org_a, leader_of_org_a, mailoutbox, django_capture_on_commit_callbacks
):
    snapshot = services.request_sign_off(ready, by=lead_of_org_a)
    sign_off = snapshot.sign_offs.get(role="leader")
    client.force_login(leader_of_org_a)
    response = client.post(url("sign", ready, sign_off.pk), {"decline-reason": "", "decline": "1"})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("sign", ready, sign_off.pk),
            {"decline-reason": "The staff numbers are last year's.", "decline": "1"},
        )
    sign_off.refresh_from_db()
    assert (sign_off.state, sign_off.decline_reason) == (
        SignOffState.DECLINED,
        "The staff numbers are last year's.",
    )
    assert mailoutbox[-1].to == ["lead.a@example.org"]
    assert "The staff numbers are last year's." in mailoutbox[-1].body
    services.sign(snapshot.sign_offs.get(role="lead"), by=lead_of_org_a, name="L", job_title="J")
    with pytest.raises(FlowError, match="Still to sign: Signatory – Leader of Institution."):
        services.submit(ready, by=lead_of_org_a)


def test_changing_the_answers_after_a_sign_off_voids_it_visibly(
    client, ready, lead_of_org_a, leader_of_org_a, mailoutbox, django_capture_on_commit_callbacks
):
    snapshot = signed_and_ready(ready, lead_of_org_a, leader_of_org_a)
    profile = Question.objects.get(section__form_version=ready.form_version, key="profile")
    # While it waits for sign-off nothing can change it.
    client.force_login(lead_of_org_a)
    autosave = reverse("assessments:autosave", args=["aldermoor", ready.pk, profile.pk])
    assert client.post(autosave, {"text": "Sneaky.", "version": "1"}).status_code == 404
    # Reopening to change it voids both signatures and tells the signers.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("reopen", ready))
    states = list(snapshot.sign_offs.values_list("state", "void_reason"))
    assert states == [(SignOffState.VOIDED, "The lead reopened the answers.")] * 2
    assert sorted(m.to for m in mailoutbox if "voided" in m.subject) == [
        ["lead.a@example.org"],
        ["lead.a@example.org"],
        ["leader.a@example.org"],
    ]
    assert status_of(ready) == AssessmentStatus.DRAFT
    page = client.get(url("submission", ready)).content.decode()
    assert page.count("<strong>Voided</strong>") == 2
    # The change is made; the next request freezes revision 2 and asks again.
    ready.refresh_from_db()
    assessment_services.save_answer(
        ready, profile, text="<p>A better profile.</p>", base_version=1, by=lead_of_org_a
    )
    second = services.request_sign_off(ready, by=lead_of_org_a)
    assert second.revision == 2
    assert second.content_hash != snapshot.content_hash
    assert second.sign_offs.filter(state=SignOffState.REQUESTED).count() == 2


# --- Submitting -------------------------------------------------------------------------------


def test_submitting_without_every_sign_off_is_refused(client, ready, lead_of_org_a):
    snapshot = services.request_sign_off(ready, by=lead_of_org_a)
    services.sign(snapshot.sign_offs.get(role="lead"), by=lead_of_org_a, name="L", job_title="J")
    client.force_login(lead_of_org_a)
    response = client.post(url("submit", ready), follow=True)
    assert "Still to sign: Signatory – Leader of Institution." in response.content.decode()
    assert status_of(ready) == AssessmentStatus.AWAITING_SIGN_OFF
    assert Snapshot.objects.get().submitted_at is None


def test_a_signed_revision_is_submitted_once_however_often_the_button_is_pressed(
    client, ready, lead_of_org_a, leader_of_org_a
):
    signed_and_ready(ready, lead_of_org_a, leader_of_org_a)
    client.force_login(lead_of_org_a)
    for _ in range(3):
        client.post(url("submit", ready))
    assert status_of(ready) == AssessmentStatus.SUBMITTED
    assert list(Snapshot.objects.values_list("revision", flat=True)) == [1]
    assert Snapshot.objects.get().submitted_by == lead_of_org_a
    assert AuditEntry.objects.filter(to_status=AssessmentStatus.SUBMITTED).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("official_forms")
def test_two_concurrent_submissions_make_one(ready, lead_of_org_a, leader_of_org_a):
    """The row lock serialises them: one press submits, the other is refused as already done."""
    signed_and_ready(ready, lead_of_org_a, leader_of_org_a)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def press():
        try:
            barrier.wait()
            results.append(services.submit(SelfAssessment.objects.get(pk=ready.pk), lead_of_org_a))
        except Exception as error:  # noqa: BLE001 - every failure is asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert status_of(ready) == AssessmentStatus.SUBMITTED
    assert Snapshot.objects.filter(assessment=ready).count() == 1
    assert AuditEntry.objects.filter(to_status=AssessmentStatus.SUBMITTED).count() == 1
    assert [snapshot.pk for snapshot in results] == [Snapshot.objects.get().pk]
    assert [type(error) for error in errors] == [AlreadySubmitted], errors
    assert str(errors[0]) == "Revision 1 was already submitted to the steering group."


def test_a_contributor_cannot_request_sign_off_submit_or_reopen(
    client, ready, contributor_of_org_a, lead_of_org_a, leader_of_org_a
):
    client.force_login(contributor_of_org_a)
    assert client.post(url("request_sign_off", ready)).status_code == 404
    signed_and_ready(ready, lead_of_org_a, leader_of_org_a)
    assert client.post(url("submit", ready)).status_code == 404
    assert client.post(url("reopen", ready)).status_code == 404
    assert status_of(ready) == AssessmentStatus.AWAITING_SIGN_OFF


def test_nothing_changes_a_submitted_snapshot(
    client, ready, lead_of_org_a, leader_of_org_a, contributor_of_org_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan = plan_services.create_plan(
        ready.organisation, by=lead_of_org_a, starts_on=date(2026, 12, 1), assessment=ready
    )
    action = plan_services.add_action(plan.headings.first(), by=None, title="Count technicians")
    snapshot = signed_and_ready(ready, lead_of_org_a, leader_of_org_a)
    services.submit(ready, by=lead_of_org_a)
    frozen = (snapshot.content_hash, snapshot.content)
    profile = Question.objects.get(section__form_version=ready.form_version, key="profile")
    answer = Answer.objects.get(assessment=ready, question=profile)
    plan_url = f"/organisations/aldermoor/action-plans/{plan.pk}/"
    attempts = [
        (reverse("assessments:autosave", args=["aldermoor", ready.pk, profile.pk]), {"text": "X"}),
        (
            reverse("assessments:section", args=["aldermoor", ready.pk, 2]),
            {"answer-profile": "X", "answer-profile__version": "1"},
        ),
        (reverse("assessments:restore", args=["aldermoor", ready.pk, answer.pk, 1]), {}),
        (reverse("assessments:add_figure", args=["aldermoor", ready.pk, profile.pk]), {}),
        (url("request_sign_off", ready), {}),
        (url("reopen", ready), {}),
        (f"{plan_url}actions/{action.pk}/save/", {"title": "X", "status": "red", "version": 1}),
        (f"{plan_url}actions/{action.pk}/delete/", {}),
        (f"{plan_url}headings/{plan.headings.first().pk}/add/", {"title": "X", "version": 0}),
    ]
    for person in (lead_of_org_a, contributor_of_org_a):
        client.force_login(person)
        for target, data in attempts:
            client.post(target, data)
    snapshot.refresh_from_db()
    assert (snapshot.content_hash, snapshot.content) == frozen
    assert Answer.objects.get(pk=answer.pk).text == "<p>Our answer.</p>"
    assert [a.title for a in plan.actions.live()] == ["Count technicians"]
    assert status_of(ready) == AssessmentStatus.SUBMITTED
    assert Snapshot.objects.count() == 1
    assert ActionPlan.objects.get().actions.count() == 1


def test_a_revision_keeps_its_figures_after_the_draft_loses_them(
    client, ready, lead_of_org_a, leader_of_org_a, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from assessments.images import ImageInfo

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), "navy").save(buffer, "PNG")
    figures = Question.objects.get(
        section__form_version=ready.form_version, key="technician_figures"
    )
    figure = assessment_services.add_figure(
        ready,
        figures,
        upload=SimpleUploadedFile("f.png", buffer.getvalue()),
        info=ImageInfo("png", 8, 4),
        caption="Fig. 1 – Staff by site",
        alt_text="Bars.",
        by=lead_of_org_a,
    )
    snapshot = signed_and_ready(ready, lead_of_org_a, leader_of_org_a)
    services.reopen(ready, by=lead_of_org_a)
    assessment_services.delete_figure(figure)
    copy = snapshot.figures.get()
    client.force_login(lead_of_org_a)
    page = client.get(url("snapshot", ready, 1)).content.decode()
    assert 'alt="Bars."' in page
    assert "Fig. 1 – Staff by site" in page
    response = client.get(url("snapshot_figure", ready, 1, copy.pk))
    served = b"".join(response.streaming_content)
    assert served == buffer.getvalue()


# --- Who reaches what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "result"), matrix(MEMBERS | {"administrator"}), indirect=["person"]
)
def test_the_submission_page(client_as, person, result, ready, lead_of_org_a):
    services.request_sign_off(ready, by=lead_of_org_a)
    response = client_as(person).get(url("submission", ready))
    assert outcome(response) == result
    if is_allowed(result):
        page = response.content.decode()
        assert "Sign-offs of revision 1" in page
        assert "Signatory – Leader of Institution" in page


@pytest.mark.parametrize(
    ("person", "result"), matrix(MEMBERS | {"administrator"}), indirect=["person"]
)
def test_a_revision_page(client_as, person, result, ready, lead_of_org_a, leader_of_org_a):
    signed_and_ready(ready, lead_of_org_a, leader_of_org_a)
    services.submit(ready, by=lead_of_org_a)
    response = client_as(person).get(url("snapshot", ready, 1))
    assert outcome(response) == result
    if is_allowed(result):
        page = response.content.decode()
        assert "Our answer. (Career Development)" in page
        assert 'Signed: <span class="fw-semibold">Leo Arden</span>, Director' in page


@pytest.mark.parametrize(
    ("person", "result"), matrix({"lead_of_org_a"}, ok=302), indirect=["person"]
)
def test_requesting_sign_off(client_as, person, result, ready):
    response = client_as(person).post(url("request_sign_off", ready))
    assert outcome(response) == result
    assert Snapshot.objects.exists() is is_allowed(result)


def test_get_to_an_action_url_changes_nothing(client, ready, lead_of_org_a):
    client.force_login(lead_of_org_a)
    for name in ("request_sign_off", "submit", "reopen"):
        assert client.get(url(name, ready)).status_code == 405
    assert status_of(ready) == AssessmentStatus.DRAFT
    assert not SignOff.objects.exists()


def test_submitting_e_mails_the_leads_and_the_steering_group_one_message_each(
    ready,
    lead_of_org_a,
    leader_of_org_a,
    administrator,
    contributor_of_org_a,
    reviewer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # A resubmission: a reviewer is already assigned, whom the organisation must not learn of.
    Assignment.objects.create(assessment=ready, reviewer=reviewer, assigned_by=administrator)
    signed_and_ready(ready, lead_of_org_a, leader_of_org_a)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(ready, by=lead_of_org_a)
    assert [m.to for m in mailoutbox] == [
        ["admin@example.org"],
        ["lead.a@example.org"],
        ["reviewer@example.org"],
    ]
    for mail in mailoutbox:
        assert mail.subject == "Submitted: University of Aldermoor self-assessment, revision 1"
        assert (
            f"https://portal.example.org/organisations/aldermoor/self-assessments/{ready.pk}"
            "/submission/" in mail.body
        )
    to_the_lead = mailoutbox[1].message().as_string()
    for secret in ("reviewer@example.org", "Rhys Vaughan", "admin@example.org"):
        assert secret not in to_the_lead


def test_signing_tells_the_lead(
    ready, lead_of_org_a, leader_of_org_a, mailoutbox, django_capture_on_commit_callbacks
):
    snapshot = services.request_sign_off(ready, by=lead_of_org_a)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sign(
            snapshot.sign_offs.get(role="leader"),
            by=leader_of_org_a,
            name="Leo Arden",
            job_title="Vice-Chancellor",
        )
    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (
        ["lead.a@example.org"],
        "Signed: Signatory – Leader of Institution – University of Aldermoor",
    )
    assert mail.body.startswith(
        "Leo Arden (Vice-Chancellor) signed revision 1 of the self-assessment as "
        "Signatory – Leader of Institution on "
    )
