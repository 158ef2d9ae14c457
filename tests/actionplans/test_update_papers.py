"""Update papers: made from a finalised review with achievements prefilled per plan period (an
action once, in the first period it was completed in), edited and reordered on one page with its
rich-text introduction sanitised; who may start and edit one; query counts flat."""

from datetime import date

import pytest
from django.urls import reverse

from actionplans import papers
from actionplans import services as plan_services
from actionplans.enums import PlanStatus, Status
from actionplans.models import ActionPlan, ReviewEntry, UpdatePaper
from actionplans.services import PlanError
from tests.matrix import is_allowed, matrix, outcome

WRITERS = {"lead_of_org_a", "contributor_of_org_a"}
MEMBERS = WRITERS | {"sponsor_of_org_a", "leader_of_org_a"}
FIRST, SECOND, THIRD = (
    "Open a technician drop-in clinic at Fenwick Hall",
    "Add technicians to the Brackley research committee",
    "Hold the first Aldermoor technician showcase",
)


def finalised_review(plan, lead, period_from, period_to, complete: dict[str, str]):
    """A finalised review of the plan with these actions complete (title: comment)."""
    review = plan_services.start_review(
        plan, by=lead, reviewed_on=period_to, period_from=period_from, period_to=period_to
    )
    for entry in review.entries.select_related("action"):
        if entry.action.title in complete:
            ReviewEntry.objects.filter(pk=entry.pk).update(
                status=Status.COMPLETE, comment=complete[entry.action.title]
            )
    plan_services.finalise_review(review, by=lead)
    review.refresh_from_db()
    return review


@pytest.fixture
def plan(org_a, lead_of_org_a):
    """Organisation A's approved 24-month plan from December 2026, without phases."""
    plan = plan_services.create_plan(
        org_a, by=lead_of_org_a, starts_on=date(2026, 12, 1), horizon_months=24
    )
    visibility = plan.headings.get(theme__slug="visibility")
    recognition = plan.headings.get(theme__slug="recognition")
    plan_services.add_action(visibility, by=lead_of_org_a, title=FIRST)
    plan_services.add_action(visibility, by=lead_of_org_a, title=SECOND)
    plan_services.add_action(recognition, by=lead_of_org_a, title=THIRD)
    ActionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def review(plan, lead_of_org_a):
    """Year 1's review (the first action complete), then the final review of the plan."""
    finalised_review(
        plan, lead_of_org_a, date(2026, 12, 1), date(2027, 11, 30), {FIRST: "Open weekly."}
    )
    return finalised_review(
        plan,
        lead_of_org_a,
        date(2027, 12, 1),
        date(2028, 11, 30),
        {FIRST: "Still open.", SECOND: "Two seats from March.", THIRD: ""},
    )


def start(review, lead, periods=None):
    chosen = periods or papers.plan_periods(review.plan)
    return papers.start_update_paper(
        review,
        by=lead,
        title="Update paper, February 2029",
        dated_on=date(2029, 2, 1),
        periods=chosen,
    )


def test_a_plan_without_phases_has_its_years_as_periods(plan):
    periods = papers.plan_periods(plan)
    assert [(p.name, p.starts_on, p.ends_on) for p in periods] == [
        ("Year 1", date(2026, 12, 1), date(2027, 11, 30)),
        ("Year 2", date(2027, 12, 1), date(2028, 11, 30)),
    ]
    assert periods[0].label == "Year 1 (Dec 2026 to Nov 2027)"


def test_achievements_are_prefilled_per_period_each_action_once(review, lead_of_org_a):
    paper = start(review, lead_of_org_a)
    rows = list(paper.achievements.select_related("heading", "action"))
    assert [(r.period, r.heading.name, r.text, r.action.title) for r in rows] == [
        ("Year 1", "Visibility", f"{FIRST}: Open weekly.", FIRST),
        ("Year 2", "Visibility", f"{SECOND}: Two seats from March.", SECOND),
        ("Year 2", "Recognition", THIRD, THIRD),
    ]
    assert [r.position for r in rows] == [1, 2, 3]


def test_only_a_finalised_review_makes_an_update_paper(plan, lead_of_org_a):
    draft = plan_services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 6, 1),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
    )
    with pytest.raises(PlanError, match="finalised progress review only"):
        start(draft, lead_of_org_a)
    assert not UpdatePaper.objects.exists()


def test_the_data_groups_by_period_then_theme_in_the_papers_order(review, lead_of_org_a):
    paper = start(review, lead_of_org_a)
    paper.achievements.filter(action__title=THIRD).update(position=0)
    paper.introduction = (
        "<h2>Why</h2><p>Fictional.</p><h5>How</h5><ul><li><h3>Listed</h3></li></ul>"
        '<script>alert("x")</script>'
    )
    data = papers.paper_as_data(paper)
    assert [p["name"] for p in data["periods"]] == ["Year 1", "Year 2"]
    assert [h["name"] for h in data["periods"][1]["headings"]] == ["Visibility", "Recognition"]
    # The answers' sanitiser with headings kept, below the paper's own h2 "Introduction": an h2
    # becomes an h3, an h5 an h4, a heading in a list a paragraph, a script goes with its content.
    assert data["introduction"] == (
        "<h3>Why</h3><p>Fictional.</p><h4>How</h4><ul><li><p>Listed</p></li></ul>"
    )
    assert data["review"]["period_to"] == "2028-11-30"


def paper_with_a_deleted_heading(review, lead):
    """A paper with an achievement under the plan's own heading 'Fenwick outreach', taken from
    an action there; then the action and the heading are deleted from the (draft) plan."""
    plan = review.plan
    ActionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    plan.refresh_from_db()
    own = plan_services.add_heading(plan, "Fenwick outreach")
    action = plan_services.add_action(own, by=lead, title="Visit the Fenwick schools")
    paper = start(review, lead)
    paper.achievements.create(
        period="Year 2", heading=own, action=action, text="Two fictional school visits.", position=4
    )
    plan_services.delete_action(action, by=lead)
    plan_services.delete_heading(own)  # the action, deleted and waiting for an undo, goes too
    return paper


def test_a_deleted_heading_keeps_its_achievements_under_its_name(review, lead_of_org_a):
    paper = paper_with_a_deleted_heading(review, lead_of_org_a)
    assert paper.achievements.count() == 4
    row = paper.achievements.get(text="Two fictional school visits.")
    assert (row.heading_id, row.heading_name, row.action_id) == (None, "Fenwick outreach", None)
    assert row.heading_label == "Fenwick outreach"
    year_2 = papers.paper_as_data(paper)["periods"][1]
    assert [(h["name"], [a["text"] for a in h["achievements"]]) for h in year_2["headings"]] == [
        ("Visibility", [f"{SECOND}: Two seats from March."]),
        ("Recognition", [THIRD]),
        ("Fenwick outreach", ["Two fictional school visits."]),
    ]


def test_any_deletion_of_a_heading_keeps_the_achievements(review, lead_of_org_a):
    """The rule is on the foreign key, not only in the editor's service."""
    paper = start(review, lead_of_org_a)
    empty = review.plan.headings.exclude(actions__isnull=False).select_related("theme").first()
    paper.achievements.create(period="Year 1", heading=empty, text="A fictional award.")
    review.plan.headings.filter(pk=empty.pk).delete()
    row = paper.achievements.get(text="A fictional award.")
    assert (row.heading_id, row.heading_name) == (None, empty.name)
    assert paper.achievements.count() == 4


def url(name, plan, *args):
    return reverse(f"actionplans:{name}", args=[plan.organisation.slug, plan.pk, *args])


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS), indirect=["person"])
def test_the_start_page(client_as, person, result, review):
    response = client_as(person).get(url("update_paper_new", review.plan, review.pk))
    assert outcome(response) == result
    if is_allowed(result):
        assert "Year 2 (Dec 2027 to Nov 2028)" in response.content.decode()


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_starting_a_paper(client_as, person, result, review):
    response = client_as(person).post(
        url("update_paper_new", review.plan, review.pk),
        {"title": "Update paper, February 2029", "dated_on": "2029-02-01", "periods": ["Year 2"]},
    )
    assert outcome(response) == result
    papers_made = list(UpdatePaper.objects.values_list("title", flat=True))
    assert papers_made == (["Update paper, February 2029"] if is_allowed(result) else [])


def test_a_start_without_periods_keeps_what_was_typed(client, review, lead_of_org_a):
    client.force_login(lead_of_org_a)
    response = client.post(
        url("update_paper_new", review.plan, review.pk),
        {"title": "Update paper for the Brackley board", "dated_on": "2029-02-01"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_periods_0"' in page
    assert 'value="Update paper for the Brackley board"' in page


def test_a_draft_review_has_no_start_page(client, plan, lead_of_org_a):
    draft = plan_services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 6, 1),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
    )
    client.force_login(lead_of_org_a)
    assert client.get(url("update_paper_new", plan, draft.pk)).status_code == 404


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS), indirect=["person"])
def test_the_edit_page(client_as, person, result, review, lead_of_org_a):
    paper = start(review, lead_of_org_a)
    response = client_as(person).get(url("update_paper", review.plan, paper.pk))
    assert outcome(response) == result
    if is_allowed(result):
        assert f"{SECOND}: Two seats from March." in response.content.decode()


def form_data(paper, **changes) -> dict:
    rows = list(paper.achievements.all())
    data = {
        "title": paper.title,
        "dated_on": "2029-02-01",
        "introduction": "<p>Fictional introduction.</p>",
        "feedback": "",
        "feedback_source": "",
        "feedback_on": "",
        "next_steps": "",
        "next_steps_due_on": "",
        "form-TOTAL_FORMS": str(len(rows) + 1),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data |= {
            f"form-{n}-id": str(row.pk),
            f"form-{n}-period": row.period,
            f"form-{n}-heading": str(row.heading_id or ""),
            f"form-{n}-text": row.text,
            f"form-{n}-action": str(row.action_id or ""),
            f"form-{n}-position": str(row.position),
        }
    n = len(rows)
    data |= {f"form-{n}-period": "", f"form-{n}-heading": "", f"form-{n}-text": ""}
    data |= {f"form-{n}-action": "", f"form-{n}-position": "0"}
    return data | changes


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_saving_the_paper(client_as, person, result, review, lead_of_org_a):
    paper = start(review, lead_of_org_a)
    data = form_data(paper, title="Update paper for the Brackley board")
    response = client_as(person).post(url("update_paper", review.plan, paper.pk), data)
    assert outcome(response) == result
    paper.refresh_from_db()
    saved = paper.title == "Update paper for the Brackley board"
    assert saved is is_allowed(result)


def test_achievements_are_edited_reordered_added_and_removed(client, review, lead_of_org_a):
    paper = start(review, lead_of_org_a)
    rows = list(paper.achievements.all())
    client.force_login(lead_of_org_a)
    heading = rows[0].heading_id
    data = form_data(
        paper,
        **{
            "form-0-position": "9",
            "form-1-text": "Two technician seats on the Brackley research committee.",
            "form-2-DELETE": "on",
            "form-3-period": "Year 1",
            "form-3-heading": str(heading),
            "form-3-text": "A fictional newsletter for technicians.",
            "form-3-position": "5",
            "introduction": '<h1>Context</h1><p>Why</p><ul><li>One <a href="https://example.org/x" '
            'onclick="x()">link</a></li></ul><img src=x onerror="x()"><h4 class="x">Next</h4>',
        },
    )
    response = client.post(url("update_paper", review.plan, paper.pk), data)
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.introduction == (
        '<h3>Context</h3><p>Why</p><ul><li>One <a href="https://example.org/x" '
        'rel="noopener noreferrer">link</a></li></ul><h4>Next</h4>'
    )
    assert list(paper.achievements.values_list("text", "position", "action__title")) == [
        ("Two technician seats on the Brackley research committee.", 2, SECOND),
        ("A fictional newsletter for technicians.", 5, None),
        (f"{FIRST}: Open weekly.", 9, FIRST),
    ]


def test_the_editor_shows_an_achievement_under_its_deleted_headings_name(
    client, review, lead_of_org_a
):
    paper = paper_with_a_deleted_heading(review, lead_of_org_a)
    client.force_login(lead_of_org_a)
    page = client.get(url("update_paper", review.plan, paper.pk)).content.decode()
    assert '<option value="" selected>Fenwick outreach (no longer in the plan)</option>' in page
    assert "Two fictional school visits." in page
    # Saved as it is, it keeps its recorded name; a new row still needs a theme.
    response = client.post(url("update_paper", review.plan, paper.pk), form_data(paper))
    assert response.status_code == 302
    row = paper.achievements.get(text="Two fictional school visits.")
    assert (row.heading_id, row.heading_name) == (None, "Fenwick outreach")
    data = form_data(paper, **{"form-4-text": "A fictional new achievement."})
    response = client.post(url("update_paper", review.plan, paper.pk), data)
    assert response.status_code == 400
    assert "Achievement 5, theme: This field is required." in response.content.decode()


def test_errors_link_to_their_fields_and_keep_the_typed_text(client, review, lead_of_org_a):
    paper = start(review, lead_of_org_a)
    client.force_login(lead_of_org_a)
    data = form_data(
        paper,
        **{
            "next_steps": "Report to the Fenwick board again.",
            "form-1-text": "",
            "form-0-text": "A changed fictional achievement.",
        },
    )
    response = client.post(url("update_paper", review.plan, paper.pk), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_next_steps_due_on"' in page
    assert "Give the next steps a deadline." in page
    assert 'href="#id_form-1-text"' in page
    assert "Report to the Fenwick board again." in page
    assert "A changed fictional achievement." in page


def test_the_edit_page_queries_do_not_grow_with_achievements(
    client, review, lead_of_org_a, django_assert_max_num_queries
):
    paper = start(review, lead_of_org_a)
    client.force_login(lead_of_org_a)
    with django_assert_max_num_queries(18):
        assert client.get(url("update_paper", review.plan, paper.pk)).status_code == 200
    heading = paper.achievements.first().heading
    for n in range(20):
        paper.achievements.create(period="Year 2", heading=heading, text=f"Item {n}", position=n)
    with django_assert_max_num_queries(18):
        assert client.get(url("update_paper", review.plan, paper.pk)).status_code == 200
