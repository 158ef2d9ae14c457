"""Sign-off covers exactly what is submitted and published: after changes are requested, a
revised self-assessment whose content differs from what was signed is signed again before it
is submitted (unless its form version says otherwise, with a reason), and a publication names
the revision each signature covers and never passes off a signature of other content."""

import io
import re

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from assessments.enums import AssessmentStatus
from assessments.models import Answer, FormVersion, Question, SelfAssessment
from assessments.services import AssessmentError
from publications import services as publishing
from publications.pdf import store_pdf
from submissions import services
from submissions.enums import SignOffState
from submissions.models import AuditEntry, Feedback, SignOff, Snapshot
from submissions.services import FlowError
from tests.matrix import is_allowed, matrix, outcome
from tests.submissions.conftest import signed_and_ready

REVISED = "<p>Technicians drafted every action at four open workshops.</p>"


def url(name, assessment, *args):
    return reverse(f"submissions:{name}", args=["aldermoor", assessment.pk, *args])


def status_of(assessment) -> str:
    return SelfAssessment.objects.get(pk=assessment.pk).status


def decide(snapshot, decision, by):
    Feedback.objects.create(snapshot=snapshot, text="Our feedback.", decision=decision)
    services.release_feedback(snapshot, by=by)


@pytest.fixture
def changes_requested(ready, lead_of_org_a, leader_of_org_a, administrator):
    """Revision 1 signed by both, submitted, and sent back with changes requested."""
    snapshot = signed_and_ready(ready, lead_of_org_a, leader_of_org_a)
    services.submit(ready, by=lead_of_org_a)
    decide(snapshot, "changes", administrator)
    ready.refresh_from_db()
    assert ready.status == AssessmentStatus.CHANGES_REQUESTED
    return ready


def revise(assessment, by, text=REVISED):
    profile = Question.objects.get(section__form_version=assessment.form_version, key="profile")
    answer = Answer.objects.get(assessment=assessment, question=profile)
    assessment_services.save_answer(
        assessment, profile, text=text, base_version=answer.version, by=by
    )


def sign_all(snapshot, lead, leader):
    for sign_off in snapshot.sign_offs.filter(state=SignOffState.REQUESTED):
        signer = lead if sign_off.role == "lead" else leader
        services.sign(sign_off, by=signer, name=signer.full_name, job_title="Director")


def turn_off_resigning(assessment, administrator, reason="Only typing errors are corrected."):
    assessment_services.set_sign_off_policy(
        assessment.form_version, resign_on_change=False, reason=reason, by=administrator
    )
    assessment.refresh_from_db()


def pdf_text(publication) -> str:
    from pypdf import PdfReader

    store_pdf(publication.pk)
    publication.refresh_from_db()
    with publication.pdf.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
        return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


# --- Submitting a changed revision --------------------------------------------------------------


def test_a_changed_revision_cannot_be_submitted_on_the_old_signatures(
    changes_requested, lead_of_org_a
):
    """Regression: revised answers were submitted with revision 1's signatures."""
    revise(changes_requested, lead_of_org_a)
    with pytest.raises(
        FlowError,
        match="The answers have changed since revision 1 was signed: request sign-off again",
    ):
        services.submit(changes_requested, by=lead_of_org_a)
    assert status_of(changes_requested) == AssessmentStatus.CHANGES_REQUESTED
    assert list(Snapshot.objects.values_list("revision", flat=True)) == [1]


def test_the_submission_page_asks_for_sign_off_again_when_the_answers_changed(
    client, changes_requested, lead_of_org_a
):
    client.force_login(lead_of_org_a)
    page = client.get(url("submission", changes_requested)).content.decode()
    assert "Nothing has changed since revision 1 was signed" in page
    assert "Submit the revised self-assessment" in page
    assert "Request sign-off again" not in page
    revise(changes_requested, lead_of_org_a)
    page = client.get(url("submission", changes_requested)).content.decode()
    assert "The answers have changed since revision 1 was signed." in page
    assert "Requesting sign-off freezes it as revision 2" in page
    assert "Request sign-off again" in page
    assert "Submit the revised self-assessment" not in page
    response = client.post(url("submit", changes_requested), follow=True)
    assert "request sign-off again, so that the signatures cover what is submitted" in (
        response.content.decode()
    )


def test_requesting_sign_off_again_freezes_revision_two_and_asks_every_signer(
    client,
    changes_requested,
    lead_of_org_a,
    leader_of_org_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    revise(changes_requested, lead_of_org_a)
    mailoutbox.clear()
    client.force_login(lead_of_org_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("request_sign_off", changes_requested), follow=True)
    assert "Revision 2 is ready to sign" in response.content.decode()
    assert status_of(changes_requested) == AssessmentStatus.AWAITING_SIGN_OFF
    second = Snapshot.objects.get(revision=2)
    assert [(s.role, s.state) for s in second.sign_offs.all()] == [
        ("lead", SignOffState.REQUESTED),
        ("leader", SignOffState.REQUESTED),
    ]
    # Revision 1's signatures stand: they are what the steering group reviewed.
    assert set(Snapshot.objects.get(revision=1).sign_offs.values_list("state", flat=True)) == {
        SignOffState.SIGNED
    }
    leader_mail = next(m for m in mailoutbox if m.to == ["leader.a@example.org"])
    assert leader_mail.subject == (
        "Please sign off University of Aldermoor's revised self-assessment: "
        "Signatory – Leader of Institution"
    )
    assert "The answers have changed since revision 1 was signed" in leader_mail.body
    assert f"/submission/sign/{second.sign_offs.get(role='leader').pk}/" in leader_mail.body
    assert AuditEntry.objects.filter(
        to_status=AssessmentStatus.AWAITING_SIGN_OFF,
        message="Sign-off requested again (revision 1 was signed) for revision 2.",
    ).exists()


def test_the_sign_page_shows_what_changed_since_the_signer_last_signed(
    client, changes_requested, lead_of_org_a, leader_of_org_a
):
    revise(changes_requested, lead_of_org_a)
    second = services.request_sign_off(changes_requested, by=lead_of_org_a)
    client.force_login(leader_of_org_a)
    page = client.get(url("sign", changes_requested, second.sign_offs.get(role="leader").pk))
    html = page.content.decode()
    assert "What changed since revision 1 was signed" in html
    assert "Removed: </span><del>Our answer.</del>" in html
    assert (
        "Added: </span><ins>Technicians drafted every action at four open workshops.</ins>" in html
    )


def test_the_first_sign_page_shows_no_changes(client, ready, lead_of_org_a, leader_of_org_a):
    snapshot = services.request_sign_off(ready, by=lead_of_org_a)
    client.force_login(leader_of_org_a)
    page = client.get(url("sign", ready, snapshot.sign_offs.get(role="leader").pk))
    assert "What changed since" not in page.content.decode()


def test_reopening_a_revision_awaiting_sign_off_again_returns_to_changes_requested(
    changes_requested, lead_of_org_a
):
    revise(changes_requested, lead_of_org_a)
    second = services.request_sign_off(changes_requested, by=lead_of_org_a)
    services.reopen(changes_requested, by=lead_of_org_a)
    assert status_of(changes_requested) == AssessmentStatus.CHANGES_REQUESTED
    assert set(second.sign_offs.values_list("state", flat=True)) == {SignOffState.VOIDED}
    assert set(Snapshot.objects.get(revision=1).sign_offs.values_list("state", flat=True)) == {
        SignOffState.SIGNED
    }


def test_an_unchanged_resubmission_is_submitted_on_the_signatures_it_has(
    changes_requested, lead_of_org_a
):
    snapshot = services.submit(changes_requested, by=lead_of_org_a)
    assert (snapshot.revision, status_of(changes_requested)) == (2, AssessmentStatus.SUBMITTED)
    assert snapshot.content_hash == Snapshot.objects.get(revision=1).content_hash
    assert not snapshot.sign_offs.exists()


def test_the_review_queue_keeps_a_self_assessment_being_signed_again(
    client, changes_requested, lead_of_org_a, administrator, ready
):
    revise(changes_requested, lead_of_org_a)
    services.request_sign_off(changes_requested, by=lead_of_org_a)
    client.force_login(administrator)
    page = client.get(reverse("submissions:review_queue")).content.decode()
    assert "University of Aldermoor" in page
    assert "Awaiting sign-off" in page


def test_a_first_draft_awaiting_sign_off_stays_out_of_the_review_queue(
    client, ready, lead_of_org_a, administrator
):
    services.request_sign_off(ready, by=lead_of_org_a)
    client.force_login(administrator)
    page = client.get(reverse("submissions:review_queue")).content.decode()
    assert "University of Aldermoor" not in page


# --- What the publication says ------------------------------------------------------------------


def published_signatures(publication):
    return [
        (s["title"], s["revision"], s["covers"], s["coverage"])
        for s in publication.content["sign_offs"]
    ]


def test_the_whole_round_publishes_the_signatures_of_revision_two(
    client, changes_requested, lead_of_org_a, leader_of_org_a, administrator
):
    revise(changes_requested, lead_of_org_a)
    second = services.request_sign_off(changes_requested, by=lead_of_org_a)
    with pytest.raises(FlowError, match="Still to sign"):
        services.submit(changes_requested, by=lead_of_org_a)
    sign_all(second, lead_of_org_a, leader_of_org_a)
    assert services.submit(changes_requested, by=lead_of_org_a) == second
    decide(second, "accept", administrator)
    publication = publishing.publish_self_assessment(changes_requested, by=lead_of_org_a)
    assert published_signatures(publication) == [
        ("Nominated Institutional Lead", 2, True, "Signed revision 2, as published."),
        ("Signatory – Leader of Institution", 2, True, "Signed revision 2, as published."),
    ]
    assert "sign_off_note" not in publication.content
    page = client.get(publication.get_absolute_url()).content.decode()
    assert page.count("Signed revision 2, as published.") == 2
    assert "Covers an earlier revision" not in page
    text = pdf_text(publication)
    assert text.count("Signed revision 2, as published.") == 2
    assert "Technicians drafted every action at four open workshops." in text


def test_an_unchanged_resubmission_publishes_the_signatures_of_identical_content(
    changes_requested, lead_of_org_a, administrator
):
    second = services.submit(changes_requested, by=lead_of_org_a)
    decide(second, "accept", administrator)
    publication = publishing.publish_self_assessment(changes_requested, by=lead_of_org_a)
    identical = "Signed revision 1, whose content is identical to revision 2."
    assert published_signatures(publication) == [
        ("Nominated Institutional Lead", 1, True, identical),
        ("Signatory – Leader of Institution", 1, True, identical),
    ]


def test_with_re_signing_off_the_earlier_signatures_are_published_as_such(
    client, changes_requested, lead_of_org_a, administrator
):
    turn_off_resigning(changes_requested, administrator)
    revise(changes_requested, lead_of_org_a)
    client.force_login(lead_of_org_a)
    page = client.get(url("submission", changes_requested)).content.decode()
    assert (
        "For this form the steering group does not ask signers to sign again: "
        "“Only typing errors are corrected.”"
    ) in page
    assert "Submit the revised self-assessment" in page
    assert "Request sign-off again" in page
    second = services.submit(changes_requested, by=lead_of_org_a)
    decide(second, "accept", administrator)
    publication = publishing.publish_self_assessment(changes_requested, by=lead_of_org_a)
    earlier = (
        "Covers an earlier revision: signed revision 1; the answers changed before revision 2 "
        "was submitted."
    )
    assert published_signatures(publication) == [
        ("Nominated Institutional Lead", 1, False, earlier),
        ("Signatory – Leader of Institution", 1, False, earlier),
    ]
    note = publication.content["sign_off_note"]
    assert note.endswith(
        "the steering group does not ask signers to sign again for this form: "
        "Only typing errors are corrected."
    )
    public = client.get(publication.get_absolute_url()).content.decode()
    assert public.count(earlier) == 2
    assert note in public
    text = pdf_text(publication)
    assert text.count("Covers an earlier revision: signed revision 1;") == 2
    assert "Only typing errors are corrected." in text


def test_a_publication_never_passes_off_a_signature_of_other_content(
    changes_requested, lead_of_org_a, leader_of_org_a, administrator
):
    """Regression: the publication took every signature of the latest revision that had any,
    whether or not it covered the published content."""
    revise(changes_requested, lead_of_org_a)
    second = services.request_sign_off(changes_requested, by=lead_of_org_a)
    # Only the lead signs revision 2; then the policy is turned off and revision 3 goes in.
    services.sign(
        second.sign_offs.get(role="lead"), by=lead_of_org_a, name="Lena Aldous", job_title="Head"
    )
    turn_off_resigning(changes_requested, administrator)
    services.reopen(changes_requested, by=lead_of_org_a)
    revise(changes_requested, lead_of_org_a, text="<p>A third version.</p>")
    third = services.submit(changes_requested, by=lead_of_org_a)
    decide(third, "accept", administrator)
    publication = publishing.publish_self_assessment(changes_requested, by=lead_of_org_a)
    signatures = publication.content["sign_offs"]
    assert [(s["title"], s["revision"], s["covers"]) for s in signatures] == [
        ("Nominated Institutional Lead", 1, False),
        ("Signatory – Leader of Institution", 1, False),
    ]
    for signature in signatures:
        assert re.match(r"Covers an earlier revision: signed revision 1;", signature["coverage"])


# --- The form version's policy -----------------------------------------------------------------


def test_turning_re_signing_off_needs_a_reason(ready, administrator):
    version = ready.form_version
    with pytest.raises(AssessmentError, match="Say why signers are not asked to sign again"):
        assessment_services.set_sign_off_policy(
            version, resign_on_change=False, reason=" ", by=administrator
        )
    version.refresh_from_db()
    assert (version.resign_on_change, version.resign_off_reason) == (True, "")


def test_the_database_refuses_re_signing_off_without_a_reason(ready):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        FormVersion.objects.filter(pk=ready.form_version_id).update(resign_on_change=False)


def test_a_copied_form_version_keeps_the_policy(ready, administrator):
    from datetime import date

    turn_off_resigning(ready, administrator)
    copy = assessment_services.copy_form_version(
        ready.form_version, name="Copy", slug="copy", in_use_from=date(2031, 1, 1)
    )
    assert (copy.resign_on_change, copy.resign_off_reason) == (
        False,
        "Only typing errors are corrected.",
    )


def test_the_lead_cannot_sign_for_a_signer_on_revision_two(
    client, changes_requested, lead_of_org_a
):
    revise(changes_requested, lead_of_org_a)
    second = services.request_sign_off(changes_requested, by=lead_of_org_a)
    leader = second.sign_offs.get(role="leader")
    client.force_login(lead_of_org_a)
    data = {"sign-name": "X", "sign-job_title": "Y", "sign-confirm": "on", "sign": "1"}
    assert client.post(url("sign", changes_requested, leader.pk), data).status_code == 404
    assert SignOff.objects.get(pk=leader.pk).state == SignOffState.REQUESTED


# --- Who reaches what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "result"), matrix({"lead_of_org_a"}, ok=302), indirect=["person"]
)
def test_requesting_sign_off_again(client_as, person, result, changes_requested, lead_of_org_a):
    revise(changes_requested, lead_of_org_a)
    response = client_as(person).post(url("request_sign_off", changes_requested))
    assert outcome(response) == result
    assert Snapshot.objects.filter(revision=2).exists() is is_allowed(result)
    expected = AssessmentStatus.AWAITING_SIGN_OFF if is_allowed(result) else "changes_requested"
    assert status_of(changes_requested) == expected


@pytest.mark.parametrize(("person", "result"), matrix({"leader_of_org_a"}), indirect=["person"])
def test_signing_revision_two(client_as, person, result, changes_requested, lead_of_org_a):
    revise(changes_requested, lead_of_org_a)
    second = services.request_sign_off(changes_requested, by=lead_of_org_a)
    leader = second.sign_offs.get(role="leader")
    client = client_as(person)
    page = client.get(url("sign", changes_requested, leader.pk))
    assert outcome(page) == result
    if is_allowed(result):
        assert "What changed since revision 1 was signed" in page.content.decode()
    data = {"sign-name": "X", "sign-job_title": "Y", "sign-confirm": "on", "sign": "1"}
    client.post(url("sign", changes_requested, leader.pk), data)
    expected = SignOffState.SIGNED if is_allowed(result) else SignOffState.REQUESTED
    assert SignOff.objects.get(pk=leader.pk).state == expected
