"""The steering group's review: the queue, assignments, the reviewer's workspace, what changed
between revisions, and the organisation's feedback page."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from signatories.enums import Nation, Role
from signatories.models import Organisation
from submissions import services
from submissions.enums import AuditKind, Criterion, Decision, Rating
from submissions.models import (
    Assignment,
    AuditEntry,
    CommentReply,
    CriterionRating,
    Feedback,
    Reviewer,
    ReviewRound,
    SectionComment,
    Snapshot,
)
from submissions.services import FlowError
from tests.conftest import PERSONAS, with_totp
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.matrix import is_allowed, matrix, outcome

SHARED = "Show how the technician voice shaped the plan."
NOTE = "Between us: the staff numbers look like the figures of last year."
RATING_NOTE = "Registrations doubled; say so in the public statement."
OVERALL = "Great progress on all themes and a strong plan."


def content(profile="<p>We are a research university.</p>", actions=("Publish career paths",)):
    """A small snapshot content: the profile question and an action plan."""
    return {
        "organisation": "University of Aldermoor",
        "sections": [
            {
                "position": 2,
                "title": "Your organisation and its technicians",
                "questions": [
                    {
                        "key": "profile",
                        "text": "A brief profile of your organisation",
                        "kind": "long_text",
                        "boxes": [{"theme": None, "theme_name": "", "text": profile, "flag": None}],
                    }
                ],
            }
        ],
        "plan": {
            "title": "Action plan 2026–2028",
            "period": "2026–2028",
            "horizon_months": 24,
            "timing_style": "date",
            "phases": [],
            "key": [],
            "wording": {},
            "headings": [
                {
                    "name": "Career Development",
                    "actions": [
                        {"title": title, "description": "", "led_by": "PL", "status": ""}
                        for title in actions
                    ],
                }
            ],
        },
        "sign_offs": [],
    }


def make_submitted(organisation, lead, revision=1, **kwargs) -> SelfAssessment:
    """A self-assessment with a submitted snapshot, put straight into the "submitted" state."""
    Organisation.objects.filter(pk=organisation.pk).update(signed_on=date(2025, 12, 1))
    organisation.refresh_from_db()
    assessment = assessment_services.start_assessment(
        organisation, by=lead, today=date(2026, 11, 25)
    )
    add_revision(assessment, revision, **kwargs)
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED)
    assessment.refresh_from_db()
    return assessment


def add_revision(assessment, revision, **kwargs) -> Snapshot:
    return Snapshot.objects.create(
        assessment=assessment,
        revision=revision,
        content=content(**kwargs),
        content_hash=f"hash-{revision}",
        submitted_at=timezone.now(),
    )


def section_of(assessment, position=2):
    return assessment.form_version.sections.get(position=position)


@pytest.fixture
def submitted(org_a, lead_of_org_a):
    return make_submitted(org_a, lead_of_org_a)


@pytest.fixture
def pool_reviewer(reviewer, org_b):
    """The reviewer persona, in the pool, working at organisation B."""
    Reviewer.objects.create(user=reviewer, organisation=org_b, trained_on=date(2026, 1, 10))
    return reviewer


@pytest.fixture
def assigned(submitted, pool_reviewer, administrator):
    Assignment.objects.create(
        assessment=submitted, reviewer=pool_reviewer, assigned_by=administrator
    )
    return submitted


ORG_A_MEMBERS = {"lead_of_org_a", "contributor_of_org_a", "sponsor_of_org_a", "leader_of_org_a"}


def one(name, assessment, *extra):
    return reverse(f"submissions:{name}", args=["aldermoor", assessment.pk, *extra])


# --- Who may see which page ----------------------------------------------------------------------


@pytest.mark.parametrize(("person", "result"), matrix({"administrator"}), indirect=["person"])
def test_only_the_steering_group_sees_the_queue(client_as, person, result, assigned):
    response = client_as(person).get(reverse("submissions:review_queue"))
    assert outcome(response) == result


@pytest.mark.parametrize(("person", "result"), matrix({"reviewer"}), indirect=["person"])
def test_only_reviewers_have_a_list_of_their_reviews(client_as, person, result, assigned):
    response = client_as(person).get(reverse("submissions:review_mine"))
    assert outcome(response) == result
    if is_allowed(result):
        assert "University of Aldermoor" in response.content.decode()


@pytest.mark.parametrize("page", ["review_workspace", "review_changes"])
@pytest.mark.parametrize(
    ("person", "result"), matrix({"reviewer", "administrator"}), indirect=["person"]
)
def test_the_workspace_is_for_assigned_reviewers_and_the_steering_group(
    client_as, person, result, assigned, page
):
    response = client_as(person).get(one(page, assigned))
    assert outcome(response) == result


def test_an_unassigned_reviewer_cannot_open_the_workspace(client, submitted, pool_reviewer):
    client.force_login(pool_reviewer)
    assert client.get(one("review_workspace", submitted)).status_code == 404


@pytest.mark.parametrize(
    ("person", "result"),
    matrix(ORG_A_MEMBERS | {"reviewer", "administrator"}),
    indirect=["person"],
)
def test_the_feedback_page_is_for_the_organisation_and_its_reviewers(
    client_as, person, result, assigned
):
    response = client_as(person).get(one("feedback", assigned))
    assert outcome(response) == result


def post_actions(assessment, section, assignment, comment):
    """Every POST-only action, with data that would work."""
    feedback = {"feedback-text": OVERALL, "feedback-decision": "accept", "feedback-version": "0"}
    return {
        "review_assign": (one("review_assign", assessment), {"reviewer": "0"}),
        "review_unassign": (one("review_unassign", assessment, assignment.pk), {}),
        "review_comment": (
            one("review_comment", assessment, section.pk),
            {f"section-{section.pk}-text": SHARED, f"section-{section.pk}-for_organisation": "on"},
        ),
        "review_ratings": (one("review_ratings", assessment), {"ratings-impact-rating": "strong"}),
        "review_feedback": (one("review_feedback", assessment), feedback),
        "review_release": (one("review_release", assessment), {}),
        "feedback_reply": (
            one("feedback_reply", assessment, comment.pk),
            {f"reply-{comment.pk}-text": "We will add it."},
        ),
    }


@pytest.fixture
def released(assigned, pool_reviewer, lead_of_org_a):
    """Revision 1 reviewed and released with changes requested; a shared comment and a note."""
    snapshot = assigned.snapshots.get()
    section = section_of(assigned)
    services.start_review(assigned, pool_reviewer)
    shared = services.save_comment(
        snapshot, section, by=pool_reviewer, text=SHARED, for_organisation=True
    )
    services.save_comment(snapshot, section, by=pool_reviewer, text=NOTE, for_organisation=False)
    services.save_ratings(
        snapshot, by=pool_reviewer, ratings={Criterion.IMPACT: (Rating.STRONG, RATING_NOTE)}
    )
    services.save_feedback(
        snapshot, by=pool_reviewer, text=OVERALL, decision=Decision.CHANGES, seen_version=0
    )
    services.release_feedback(snapshot, by=pool_reviewer)
    assigned.refresh_from_db()
    return shared


ACTION_PERMISSIONS = {
    "review_assign": {"administrator"},
    "review_unassign": {"administrator"},
    "review_comment": {"reviewer", "administrator"},
    "review_ratings": {"reviewer", "administrator"},
    "review_feedback": {"reviewer", "administrator"},
    "review_release": {"reviewer", "administrator"},
    "feedback_reply": {"lead_of_org_a", "contributor_of_org_a"},
}


@pytest.mark.parametrize("action", sorted(ACTION_PERMISSIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_action_is_refused_to_whoever_may_not_do_it(
    client, request, persona, action, released, org_b
):
    assessment = SelfAssessment.objects.get(pk=released.snapshot.assessment_id)
    assignment = assessment.assignments.get()
    url, data = post_actions(assessment, released.section, assignment, released)[action]
    person = None if persona == "anonymous" else request.getfixturevalue(persona)
    if person is not None:
        client.force_login(person)
    before = (
        Assignment.objects.count(),
        SectionComment.objects.count(),
        CriterionRating.objects.count(),
        CommentReply.objects.count(),
        Feedback.objects.values_list("version", flat=True).get(),
    )
    response = client.post(url, data)
    if persona == "anonymous":
        assert outcome(response) == "login"
    elif persona in ACTION_PERMISSIONS[action]:
        assert response.status_code == 302
    else:
        assert response.status_code == 404
    if persona not in ACTION_PERMISSIONS[action]:
        after = (
            Assignment.objects.count(),
            SectionComment.objects.count(),
            CriterionRating.objects.count(),
            CommentReply.objects.count(),
            Feedback.objects.values_list("version", flat=True).get(),
        )
        assert after == before


@pytest.mark.parametrize("action", sorted(ACTION_PERMISSIONS))
def test_a_get_to_an_action_changes_nothing(client, administrator, released, action):
    assessment = SelfAssessment.objects.get(pk=released.snapshot.assessment_id)
    url, _ = post_actions(assessment, released.section, assessment.assignments.get(), released)[
        action
    ]
    client.force_login(administrator)
    entries = AuditEntry.objects.count()
    response = client.get(url)
    assert response.status_code == 405
    assert AuditEntry.objects.count() == entries
    assert Assignment.objects.count() == 1


def test_reading_the_pages_changes_nothing(client, administrator, assigned):
    client.force_login(administrator)
    for name in ["review_workspace", "review_changes", "feedback"]:
        assert client.get(one(name, assigned)).status_code == 200
    assert client.get(reverse("submissions:review_queue")).status_code == 200
    assert Feedback.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert SelfAssessment.objects.get(pk=assigned.pk).status == AssessmentStatus.SUBMITTED


# --- Assigning -----------------------------------------------------------------------------------


def test_assigning_a_reviewer_puts_the_submission_under_review(
    client, administrator, submitted, pool_reviewer
):
    client.force_login(administrator)
    response = client.post(one("review_assign", submitted), {"reviewer": pool_reviewer.pk})
    assert response.status_code == 302
    assert list(Assignment.objects.values_list("reviewer_id", flat=True)) == [pool_reviewer.pk]
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.UNDER_REVIEW
    assert list(AuditEntry.objects.values_list("kind", "from_status", "to_status")) == [
        (AuditKind.REVIEW, "", ""),
        (AuditKind.STATUS, AssessmentStatus.SUBMITTED, AssessmentStatus.UNDER_REVIEW),
    ]


def test_a_reviewer_from_the_same_organisation_cannot_be_assigned(
    client, administrator, submitted, org_a
):
    colleague = with_totp(
        UserFactory(email="tech.a@example.org", full_name="Tam Aldous", is_reviewer=True)
    )
    Reviewer.objects.create(user=colleague, organisation=org_a)
    client.force_login(administrator)
    response = client.post(one("review_assign", submitted), {"reviewer": colleague.pk}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Tam Aldous belongs to University of Aldermoor: a reviewer never reviews their own "
        "organisation."
    ]
    assert Assignment.objects.count() == 0
    assert SelfAssessment.objects.get(pk=submitted.pk).status == AssessmentStatus.SUBMITTED
    offered = [value for value, _ in response.context["assign_form"].fields["reviewer"].choices]
    assert colleague.pk not in offered


def test_a_reviewer_who_is_a_member_of_the_organisation_cannot_be_assigned_or_review(
    client, administrator, submitted, pool_reviewer, org_a
):
    """Their pool entry names another organisation, but they belong to this one as well."""
    MembershipFactory(organisation=org_a, user=pool_reviewer, role=Role.CONTRIBUTOR)
    with pytest.raises(FlowError, match="never reviews their own organisation"):
        services.assign(submitted, reviewer=pool_reviewer, by=administrator)
    assert Assignment.objects.count() == 0
    # Even an assignment made behind the service's back gives them nothing.
    Assignment.objects.create(assessment=submitted, reviewer=pool_reviewer)
    client.force_login(pool_reviewer)
    assert client.get(one("review_workspace", submitted)).status_code == 404
    assert client.get(reverse("submissions:review_mine")).context["assignments"] == []


def test_your_reviews_never_lists_the_organisation_your_pool_entry_names(
    client, administrator, submitted, reviewer, org_a, org_b, lead_of_org_b
):
    """An assignment made behind the service's back, on the organisation the reviewer works at
    (their pool entry, not a membership): neither the list nor the workspace shows it."""
    Reviewer.objects.create(user=reviewer, organisation=org_a, trained_on=date(2026, 1, 10))
    elsewhere = make_submitted(org_b, lead_of_org_b)
    Assignment.objects.create(assessment=submitted, reviewer=reviewer)
    Assignment.objects.create(assessment=elsewhere, reviewer=reviewer)
    client.force_login(reviewer)
    assert client.get(one("review_workspace", submitted)).status_code == 404
    listed = client.get(reverse("submissions:review_mine")).context["assignments"]
    assert [a.assessment for a in listed] == [elsewhere]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("inactive", "Rhys Vaughan is not an active member of the reviewer pool."),
        ("unavailable", "Rhys Vaughan is not available in Spring 2027."),
    ],
)
def test_only_active_and_available_reviewers_are_assigned(
    administrator, submitted, pool_reviewer, change, message
):
    spring = ReviewRound.objects.create(
        name="Spring 2027", starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 31)
    )
    if change == "inactive":
        Reviewer.objects.filter(user=pool_reviewer).update(active=False)
    with pytest.raises(FlowError) as error:
        services.assign(submitted, reviewer=pool_reviewer, review_round=spring, by=administrator)
    assert str(error.value) == message
    assert Assignment.objects.count() == 0


def test_someone_outside_the_pool_cannot_be_assigned(client, administrator, submitted):
    outsider = UserFactory(email="someone@example.org", full_name="Sam One")
    client.force_login(administrator)
    response = client.post(one("review_assign", submitted), {"reviewer": outsider.pk}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Choose a reviewer from the pool."]
    assert Assignment.objects.count() == 0


def test_unassigning_leaves_a_trail(client, administrator, assigned):
    assignment = assigned.assignments.get()
    client.force_login(administrator)
    client.post(one("review_unassign", assigned, assignment.pk))
    assert Assignment.objects.count() == 0
    assert list(AuditEntry.objects.values_list("message", flat=True)) == [
        "Rhys Vaughan unassigned."
    ]


# --- Reviewing -----------------------------------------------------------------------------------


def test_a_reviewer_writes_comments_notes_ratings_and_feedback(client, pool_reviewer, assigned):
    section = section_of(assigned)
    client.force_login(pool_reviewer)
    prefix = f"section-{section.pk}"
    client.post(
        one("review_comment", assigned, section.pk),
        {f"{prefix}-text": SHARED, f"{prefix}-for_organisation": "on"},
    )
    client.post(one("review_comment", assigned, section.pk), {f"{prefix}-text": NOTE})
    client.post(
        one("review_ratings", assigned),
        {"ratings-impact-rating": "strong", "ratings-impact-note": RATING_NOTE},
    )
    client.post(
        one("review_feedback", assigned),
        {"feedback-text": OVERALL, "feedback-decision": "accept", "feedback-version": "0"},
    )
    assert list(SectionComment.objects.values_list("text", "for_organisation")) == [
        (SHARED, True),
        (NOTE, False),
    ]
    assert list(CriterionRating.objects.values_list("criterion", "rating", "note")) == [
        ("impact", "strong", RATING_NOTE)
    ]
    assert list(Feedback.objects.values_list("text", "decision", "version")) == [
        (OVERALL, "accept", 1)
    ]
    page = client.get(one("review_workspace", assigned)).content.decode()
    for text in [SHARED, NOTE, RATING_NOTE, OVERALL, "A brief profile of your organisation"]:
        assert text in page


def test_the_reviewer_sees_the_plan_as_published_with_phases_targets_and_key(
    client, assigned, pool_reviewer
):
    """The reviewer's plan is the one plan table: phases, target months, status words, the key."""
    snapshot = Snapshot.objects.get(assessment=assigned)
    plan = snapshot.content["plan"]
    plan |= {
        "timing_style": "phases",
        "phases": [{"name": "Phase 1", "period": "Dec 2026 to Nov 2027"}],
        "key": [{"code": "PL", "title": "Project Lead"}],
        "wording": {"red": "Behind"},
    }
    plan["headings"][0]["actions"][0] |= {"targets": {"Phase 1": "2027-03"}, "status": "red"}
    Snapshot.objects.filter(pk=snapshot.pk).update(content=snapshot.content)
    client.force_login(pool_reviewer)
    page = client.get(one("review_workspace", assigned)).content.decode()
    assert '<th scope="col" class="when">Phase 1 <span class="period">Dec 2026 to Nov 2027' in page
    assert re.search(r'<td class="when" data-label="Phase 1[^"]*">Mar 2027</td>', page)
    assert '<td data-label="Led by">Project Lead</td>' in page
    assert '<span class="shape" aria-hidden="true">■</span> Behind</span>' in page
    assert '<th scope="row">PL</th><td>Project Lead</td>' in page


def test_reviewers_see_one_anothers_notes_and_ratings(client, assigned, pool_reviewer, org_b):
    colleague = with_totp(
        UserFactory(email="second@example.org", full_name="Nia Pryce", is_reviewer=True)
    )
    Reviewer.objects.create(user=colleague, organisation=org_b)
    Assignment.objects.create(assessment=assigned, reviewer=colleague)
    snapshot = assigned.snapshots.get()
    services.save_comment(
        snapshot, section_of(assigned), by=pool_reviewer, text=NOTE, for_organisation=False
    )
    services.save_ratings(
        snapshot, by=pool_reviewer, ratings={Criterion.IMPACT: (Rating.NEEDS_WORK, RATING_NOTE)}
    )
    client.force_login(colleague)
    page = client.get(one("review_workspace", assigned)).content.decode()
    assert NOTE in page
    assert RATING_NOTE in page
    assert "Rhys Vaughan's assessment" in page


def test_a_note_without_a_rating_is_refused(client, pool_reviewer, assigned):
    client.force_login(pool_reviewer)
    response = client.post(one("review_ratings", assigned), {"ratings-impact-note": "Hmm."})
    assert response.status_code == 200
    assert "Choose a rating for impact measurable, or clear its note." in response.content.decode()
    assert CriterionRating.objects.count() == 0


def test_a_colleagues_newer_feedback_is_shown_and_not_overwritten(
    client, administrator, pool_reviewer, assigned
):
    snapshot = assigned.snapshots.get()
    services.save_feedback(
        snapshot, by=administrator, text="The steering group's draft.", decision="", seen_version=0
    )
    client.force_login(pool_reviewer)
    response = client.post(
        one("review_feedback", assigned),
        {"feedback-text": "My own draft.", "feedback-decision": "accept", "feedback-version": "0"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "A colleague saved the feedback after you opened it" in page
    assert "The steering group&#x27;s draft." in page
    assert "My own draft." in page
    assert response.context["feedback_form"].initial["version"] == 1
    assert list(Feedback.objects.values_list("text", "decision", "version")) == [
        ("The steering group's draft.", "", 1)
    ]


def test_saving_against_the_latest_version_succeeds(pool_reviewer, assigned):
    snapshot = assigned.snapshots.get()
    first = services.save_feedback(
        snapshot, by=pool_reviewer, text="One.", decision="", seen_version=0
    )
    second = services.save_feedback(
        snapshot, by=pool_reviewer, text="Two.", decision="changes", seen_version=1
    )
    stale = services.save_feedback(
        snapshot, by=pool_reviewer, text="Three.", decision="", seen_version=1
    )
    assert (first.saved, second.saved, stale.saved) == (True, True, False)
    assert (stale.feedback.text, stale.feedback.version) == ("Two.", 2)


def test_releasing_feedback_moves_the_assessment_and_leaves_a_trail(
    client, pool_reviewer, assigned
):
    snapshot = assigned.snapshots.get()
    services.start_review(assigned, pool_reviewer)
    services.save_feedback(
        snapshot, by=pool_reviewer, text=OVERALL, decision=Decision.ACCEPT, seen_version=0
    )
    client.force_login(pool_reviewer)
    response = client.post(one("review_release", assigned))
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.status == AssessmentStatus.ACCEPTED
    assert list(
        AuditEntry.objects.filter(kind=AuditKind.STATUS).values_list("from_status", "to_status")
    ) == [
        (AssessmentStatus.SUBMITTED, AssessmentStatus.UNDER_REVIEW),
        (AssessmentStatus.UNDER_REVIEW, AssessmentStatus.ACCEPTED),
    ]
    assert Feedback.objects.get().released_by == pool_reviewer


def test_feedback_without_a_decision_is_not_released(client, pool_reviewer, assigned):
    snapshot = assigned.snapshots.get()
    services.save_feedback(snapshot, by=pool_reviewer, text=OVERALL, decision="", seen_version=0)
    client.force_login(pool_reviewer)
    response = client.post(one("review_release", assigned), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Choose a decision: accept, or request changes."
    ]
    assert SelfAssessment.objects.get(pk=assigned.pk).status == AssessmentStatus.SUBMITTED


def test_notes_cannot_change_after_release(released, pool_reviewer):
    with pytest.raises(FlowError, match="has been released"):
        services.save_comment(
            released.snapshot,
            released.section,
            by=pool_reviewer,
            text="Late.",
            for_organisation=True,
        )


# --- What the organisation sees ------------------------------------------------------------------


def test_the_organisation_sees_shared_comments_but_never_notes_or_ratings(
    client, released, contributor_of_org_a
):
    assessment = released.snapshot.assessment
    client.force_login(contributor_of_org_a)
    page = client.get(one("feedback", assessment)).content.decode()
    assert SHARED in page
    assert OVERALL in page
    assert "changes requested" in page
    assert NOTE not in page
    assert RATING_NOTE not in page
    assert "Strong" not in page
    assert "Rhys Vaughan" not in page


def test_unreleased_feedback_is_not_shown_to_the_organisation(
    client, assigned, pool_reviewer, lead_of_org_a
):
    snapshot = assigned.snapshots.get()
    services.save_comment(
        snapshot, section_of(assigned), by=pool_reviewer, text=SHARED, for_organisation=True
    )
    services.save_feedback(snapshot, by=pool_reviewer, text=OVERALL, decision="", seen_version=0)
    client.force_login(lead_of_org_a)
    page = client.get(one("feedback", assigned)).content.decode()
    assert SHARED not in page
    assert OVERALL not in page
    assert "No feedback has been released yet." in page


def test_the_organisation_replies_to_a_comment(client, released, lead_of_org_a):
    assessment = released.snapshot.assessment
    client.force_login(lead_of_org_a)
    client.post(
        one("feedback_reply", assessment, released.pk),
        {f"reply-{released.pk}-text": "We will add a paragraph on our technician network."},
    )
    assert list(CommentReply.objects.values_list("text", "author")) == [
        ("We will add a paragraph on our technician network.", lead_of_org_a.pk)
    ]
    page = client.get(one("feedback", assessment)).content.decode()
    assert "We will add a paragraph on our technician network." in page


def test_nobody_replies_to_a_reviewer_only_note(client, released, lead_of_org_a):
    note = SectionComment.objects.get(for_organisation=False)
    assessment = released.snapshot.assessment
    client.force_login(lead_of_org_a)
    response = client.post(
        one("feedback_reply", assessment, note.pk), {f"reply-{note.pk}-text": "Seen it."}
    )
    assert response.status_code == 404
    assert CommentReply.objects.count() == 0


def test_no_email_leaks_reviewer_only_notes(
    assigned, pool_reviewer, lead_of_org_a, mailoutbox, django_capture_on_commit_callbacks
):
    snapshot = assigned.snapshots.get()
    section = section_of(assigned)
    services.save_comment(snapshot, section, by=pool_reviewer, text=NOTE, for_organisation=False)
    services.save_comment(snapshot, section, by=pool_reviewer, text=SHARED, for_organisation=True)
    services.save_ratings(
        snapshot, by=pool_reviewer, ratings={Criterion.IMPACT: (Rating.STRONG, RATING_NOTE)}
    )
    services.save_feedback(
        snapshot, by=pool_reviewer, text=OVERALL, decision=Decision.CHANGES, seen_version=0
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.release_feedback(snapshot, by=pool_reviewer)
    assert [m.to for m in mailoutbox] == [["lead.a@example.org"]]
    body = mailoutbox[0].body
    assert "changes requested" in body
    for secret in [NOTE, RATING_NOTE, "Strong"]:
        assert secret not in body
        assert secret not in mailoutbox[0].subject


# --- Revisions -----------------------------------------------------------------------------------


def test_the_reviewer_sees_what_changed_since_the_last_revision(client, released, pool_reviewer):
    assessment = SelfAssessment.objects.get(pk=released.snapshot.assessment_id)
    add_revision(
        assessment,
        2,
        profile="<p>We are a research university.</p><p>Our technician network has 80 members.</p>",
        actions=("Publish career paths", "Run a technician voice survey"),
    )
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED)
    CommentReply.objects.create(comment=released, author=None, text="Added in revision 2.")
    client.force_login(pool_reviewer)
    workspace = client.get(one("review_workspace", assessment)).content.decode()
    assert "What changed since revision 1" in workspace
    response = client.get(one("review_changes", assessment))
    page = response.content.decode()
    assert "Added: </span><ins>Our technician network has 80 members.</ins>" in page
    assert SHARED in page
    assert "Added in revision 2." in page
    assert NOTE not in page  # the note stays in revision 1's workspace
    assert "Added: </span><ins>Career Development: Run a technician voice survey; led by PL" in page
    assert response.context["diff"]["sections"][0]["questions"][0]["lines"] == [
        ("same", "We are a research university."),
        ("added", "Our technician network has 80 members."),
    ]


def test_revision_diff_reports_removed_lines():
    before = Snapshot(content=content(profile="<p>Old line.</p><p>Kept.</p>"))
    after = Snapshot(content=content(profile="<p>Kept.</p>", actions=()))
    diff = services.revision_diff(before, after)
    assert diff["sections"][0]["questions"][0]["lines"] == [
        ("removed", "Old line."),
        ("same", "Kept."),
    ]
    assert diff["actions"] == [("removed", "Career Development: Publish career paths; led by PL")]
    assert (diff["reviews"], diff["reviews_changed"]) == ([], False)


def test_revision_diff_reports_an_appended_reviews_rows():
    review = {
        "plan_title": "Plan 2023-2026",
        "overall_status": "amber",
        "wording": {"red": "Behind"},
        "question": "rag_analysis",
        "headings": [
            {"name": "Visibility", "entries": [{"title": "Count us", "status": "red"}]},
        ],
    }
    before = Snapshot(content=content(profile="<p>Kept.</p>"))
    after = Snapshot(content={**content(profile="<p>Kept.</p>"), "reviews": [review]})
    diff = services.revision_diff(before, after)
    assert diff["reviews"] == [
        ("added", "RAG analysis of Plan 2023-2026: overall In progress"),
        ("added", "Visibility: Count us; Behind"),
    ]
    assert diff["reviews_changed"]


# --- The queue -----------------------------------------------------------------------------------


def second_organisation(name, slug, nation, lead_email):
    organisation = OrganisationFactory(name=name, short_name=name, slug=slug, nation=nation)
    lead = UserFactory(email=lead_email, full_name=f"Lead of {name}")
    MembershipFactory(organisation=organisation, user=lead, role=Role.LEAD)
    return make_submitted(organisation, lead)


@pytest.fixture
def queue(assigned, pool_reviewer):
    """Aldermoor (England, assigned in Autumn 2026) and Caerwen (Wales, nobody yet)."""
    autumn = ReviewRound.objects.create(
        name="Autumn 2026", starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 31)
    )
    Assignment.objects.filter(assessment=assigned).update(round=autumn)
    caerwen = second_organisation("Caerwen University", "caerwen", Nation.WALES, "c@example.org")
    return {"aldermoor": assigned, "caerwen": caerwen, "autumn": autumn}


def names(response) -> list[str]:
    return [row.organisation.name for row in response.context["rows"]]


@pytest.mark.parametrize(
    ("filters", "expected_names"),
    [
        ({}, ["Caerwen University", "University of Aldermoor"]),
        ({"nation": "wales"}, ["Caerwen University"]),
        ({"status": "submitted"}, ["Caerwen University", "University of Aldermoor"]),
        ({"status": "accepted"}, []),
        ({"reviewer": "REVIEWER"}, ["University of Aldermoor"]),
        ({"review_round": "ROUND"}, ["University of Aldermoor"]),
        ({"due": "overdue"}, ["Caerwen University"]),
        ({"due": "due_soon"}, ["University of Aldermoor"]),
    ],
)
def test_the_queue_filters(client, administrator, queue, pool_reviewer, filters, expected_names):
    SelfAssessment.objects.filter(pk=queue["caerwen"].pk).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    SelfAssessment.objects.filter(pk=queue["aldermoor"].pk).update(
        due_on=timezone.localdate() + timedelta(days=20)
    )
    values = {
        key: {"REVIEWER": pool_reviewer.pk, "ROUND": queue["autumn"].pk}.get(value, value)
        for key, value in filters.items()
    }
    client.force_login(administrator)
    response = client.get(reverse("submissions:review_queue"), values)
    assert sorted(names(response)) == expected_names


def test_the_queue_shows_revision_reviewers_and_due_date(client, administrator, queue):
    client.force_login(administrator)
    page = client.get(reverse("submissions:review_queue")).content.decode()
    assert 'Rhys Vaughan <span class="small">(Autumn 2026)</span>' in page
    assert "<td>1 Dec 2026</td>" in page


@pytest.mark.parametrize("count", [1, 3])
def test_the_queue_runs_in_constant_queries(
    client, administrator, assigned, pool_reviewer, count, django_assert_max_num_queries
):
    for n in range(count - 1):
        other = second_organisation(f"College {n}", f"college-{n}", Nation.SCOTLAND, f"{n}@x.org")
        Assignment.objects.create(assessment=other, reviewer=pool_reviewer)
    client.force_login(administrator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("submissions:review_queue"))
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_my_reviews_runs_in_constant_queries(
    client, assigned, pool_reviewer, count, django_assert_max_num_queries
):
    for n in range(count - 1):
        other = second_organisation(f"College {n}", f"college-{n}", Nation.SCOTLAND, f"{n}@x.org")
        Assignment.objects.create(assessment=other, reviewer=pool_reviewer)
    client.force_login(pool_reviewer)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("submissions:review_mine"))
    assert len(response.context["assignments"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_workspace_runs_in_constant_queries(
    client, administrator, assigned, pool_reviewer, org_b, count, django_assert_max_num_queries
):
    snapshot = assigned.snapshots.get()
    for n in range(count):
        colleague = UserFactory(email=f"r{n}@example.org", full_name=f"Reviewer {n}")
        Reviewer.objects.create(user=colleague, organisation=org_b)
        services.save_comment(
            snapshot, section_of(assigned), by=colleague, text=f"Note {n}", for_organisation=False
        )
        services.save_ratings(
            snapshot, by=colleague, ratings={Criterion.IMPACT: (Rating.ADEQUATE, f"Rating {n}")}
        )
    client.force_login(administrator)
    with django_assert_max_num_queries(17):
        response = client.get(one("review_workspace", assigned))
    assert len(response.context["rating_tables"]) == count
