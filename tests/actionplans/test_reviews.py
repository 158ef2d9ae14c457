"""Progress reviews: every URL for every persona, finalising, read-only once final, conflicts,
the achievements summary, timelines, query counts, and the RAG-analysis panel of the later form."""

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse

from actionplans import services
from actionplans.enums import Status
from actionplans.models import Action, ProgressReview, ReviewEntry
from actionplans.queries import load_plan
from assessments.models import Question
from tests.matrix import is_allowed, matrix, outcome

READERS = {
    "lead_of_org_a",
    "contributor_of_org_a",
    "sponsor_of_org_a",
    "leader_of_org_a",
    "administrator",
}
WRITERS = {"lead_of_org_a", "contributor_of_org_a"}
LEAD = {"lead_of_org_a"}


def text_of(response) -> str:
    """The page's text with tags removed and white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def entry(review, action) -> ReviewEntry:
    return ReviewEntry.objects.get(review=review, action=action)


def url(name, plan, review=None, query=""):
    args = ["aldermoor", plan.pk] + ([review.pk] if review else [])
    return reverse(f"actionplans:{name}", args=args) + query


def row_data(review, changes=None) -> dict:
    """What the review page posts: every row as it is, with ``changes`` by action applied."""
    data = {
        "seen_overall": services.fingerprint(review.overall_status, review.summary),
        "overall_status": review.overall_status,
        "summary": review.summary,
    }
    changes = changes or {}
    seen = []
    for e in review.entries.order_by("pk"):
        status, comment = changes.get(e.action_id, (e.status, e.comment))
        seen.append(f"{e.pk}:{services.fingerprint(e.status, e.comment)}")
        data[f"status-{e.pk}"] = status
        data[f"comment-{e.pk}"] = comment
    data["seen"] = " ".join(seen)
    return data


# --- Who reaches what ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ["reviews", "review", "achievements"])
@pytest.mark.parametrize(("person", "result"), matrix(READERS), indirect=["person"])
def test_reading_pages(client_as, person, result, plan, review, page):
    response = client_as(person).get(url(page, plan, review if page == "review" else None))
    assert outcome(response) == result
    if is_allowed(result):
        assert response.status_code == 200
        assert {
            "reviews": "5 June 2027 1 Dec 2026 to 31 May 2027 Lena Aldous ▲ In progress "
            "3 ○ Not started Draft",
            "review": "Progress review of 5 June 2027 Plan",
            "achievements": "Achievements summary The actions completed",
        }[page] in text_of(response)


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS), indirect=["person"])
def test_the_start_page(client_as, person, result, plan, actions):
    response = client_as(person).get(url("review_new", plan))
    assert outcome(response) == result
    assert not ProgressReview.objects.exists()


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_starting_a_review(client_as, person, result, plan, actions):
    response = client_as(person).post(
        url("review_new", plan),
        {
            "reviewed_on": "2027-06-05",
            "period_from": "2026-12-01",
            "period_to": "2027-05-31",
            "overall_status": "green",
        },
    )
    assert outcome(response) == result
    started = ProgressReview.objects.filter(plan=plan).first()
    if is_allowed(result):
        assert response.url == url("review", plan, started)
        assert (started.reviewed_on, started.overall_status, started.author) == (
            date(2027, 6, 5),
            Status.GREEN,
            person,
        )
        assert started.entries.count() == 3
    else:
        assert started is None


def test_a_period_ending_before_it_starts_is_refused(client_as, lead_of_org_a, plan, actions):
    response = client_as(lead_of_org_a).post(
        url("review_new", plan),
        {
            "reviewed_on": "2027-06-05",
            "period_from": "2027-06-01",
            "period_to": "2027-05-31",
            "overall_status": "green",
        },
    )
    assert response.status_code == 400
    assert '<a href="#id_period_to">Period covered to: The period ends before it starts.</a>' in (
        response.content.decode()
    )
    assert 'value="2027-06-01"' in response.content.decode()  # what was typed stays
    assert not ProgressReview.objects.exists()


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_saving_a_review(client_as, person, result, plan, actions, review):
    data = row_data(review, {actions[0].pk: (Status.GREEN, "Names on every web page.")})
    response = client_as(person).post(url("review", plan, review), data)
    assert outcome(response) == result
    saved = entry(review, actions[0])
    assert (saved.status, saved.comment) == (
        (Status.GREEN, "Names on every web page.")
        if is_allowed(result)
        else (Status.NOT_STARTED, "")
    )


@pytest.mark.parametrize(("person", "result"), matrix(LEAD, ok=302), indirect=["person"])
def test_finalising(client_as, person, result, plan, review):
    client = client_as(person)
    asked = client.post(url("review_finalise", plan, review), row_data(review))
    review.refresh_from_db()
    assert not review.is_final  # "Save and finalise" first asks
    response = client.post(url("review_finalise", plan, review), {"confirm": "yes"})
    assert outcome(response) == result
    review.refresh_from_db()
    assert review.is_final is is_allowed(result)
    if is_allowed(result):
        assert asked.status_code == 200
        assert "Finalise the progress review of 5 June 2027?" in text_of(asked)
        assert 'name="confirm" value="yes"' in asked.content.decode()
    else:
        assert outcome(asked) == result


@pytest.mark.parametrize("name", ["review_finalise", "review"])
def test_a_get_to_an_action_url_changes_nothing(client_as, lead_of_org_a, plan, review, name):
    response = client_as(lead_of_org_a).get(url(name, plan, review), row_data(review))
    assert response.status_code == (405 if name == "review_finalise" else 200)
    review.refresh_from_db()
    assert not review.is_final


# --- Finalising -------------------------------------------------------------------------------


def test_a_red_without_explanation_stops_finalising(
    client_as, lead_of_org_a, plan, actions, review
):
    data = row_data(
        review,
        {
            actions[0].pk: (Status.RED, "  \r\n "),
            actions[2].pk: (Status.RED, "The registration budget was cut; we bid again in May."),
        },
    )
    response = client_as(lead_of_org_a).post(url("review_finalise", plan, review), data)
    assert response.status_code == 400
    html = response.content.decode()
    red = entry(review, actions[0])
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S)
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary[0])).strip() == (
        "The review cannot be finalised yet Every action that is delayed needs an explanation. "
        "1 does not have one: Explain why ‘Name technicians’ is delayed"
    )
    assert f'<a href="#comment-{red.pk}">' in summary[0]
    assert f'id="comment-{red.pk}" name="comment-{red.pk}"' in html
    assert f'aria-describedby="comment-{red.pk}-error"' in html
    review.refresh_from_db()
    assert not review.is_final
    # What was typed is saved: the statuses are kept, the explained red too.
    assert [(e.action.title, e.status, e.comment) for e in review.entries.order_by("pk")] == [
        ("Name technicians", Status.RED, ""),
        ("Count technicians", Status.NOT_STARTED, ""),
        ("Register with RSci", Status.RED, "The registration budget was cut; we bid again in May."),
    ]

    explained = row_data(review, {actions[0].pk: (Status.RED, "The web team is short-staffed.")})
    asked = client_as(lead_of_org_a).post(url("review_finalise", plan, review), explained)
    assert "Yes, finalise the review" in text_of(asked)
    review.refresh_from_db()
    assert not review.is_final
    confirm = {"confirm": "yes"}
    response = client_as(lead_of_org_a).post(url("review_finalise", plan, review), confirm)
    assert response.url == url("review", plan, review)
    assert flashed(response) == [
        "The review is final. Each action now has the status and comment it records."
    ]
    review.refresh_from_db()
    assert review.is_final
    assert Action.objects.get(pk=actions[0].pk).status == Status.RED


def test_a_finalised_review_is_read_only(
    client_as, lead_of_org_a, contributor_of_org_a, plan, actions, review
):
    before = row_data(review)
    services.finalise_review(review, by=lead_of_org_a)
    changed = row_data(review, {actions[1].pk: (Status.COMPLETE, "Counted: 240.")})

    response = client_as(contributor_of_org_a).post(url("review", plan, review), changed)
    assert flashed(response) == ["This review is final and cannot change."]
    assert row_data(review) == before

    client_as(lead_of_org_a)
    response = client_as(lead_of_org_a).post(url("review_finalise", plan, review), changed)
    assert "This review is already final." in flashed(response)
    assert row_data(review) == before

    page = client_as(lead_of_org_a).get(url("review", plan, review))
    html = page.content.decode()
    assert "<textarea" not in html
    assert "<select" not in html
    assert "Final: finalised by Lena Aldous on" in text_of(page)


def test_a_colleagues_save_is_not_overwritten(client_as, lead_of_org_a, plan, actions, review):
    loaded = row_data(review)  # the lead opens the page
    # A colleague saves the same row first.
    theirs = row_data(review, {actions[1].pk: (Status.AMBER, "Survey sent to heads of school.")})
    services.save_review(review, services_edits(review, theirs))

    mine = {**loaded}
    e = entry(review, actions[1])
    mine[f"status-{e.pk}"], mine[f"comment-{e.pk}"] = Status.GREEN, "Counted: 240."
    response = client_as(lead_of_org_a).post(url("review", plan, review), mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert ">Counted: 240.</textarea>" in html  # what I typed stays in the box
    assert "Survey sent to heads of school." in html  # theirs beside it
    e.refresh_from_db()
    assert (e.status, e.comment) == (Status.AMBER, "Survey sent to heads of school.")
    # Saving again from the page that showed both keeps mine.
    fresh = re.search(r'name="seen" value="([^"]+)"', html)[1]
    assert f"{e.pk}:{services.fingerprint(Status.AMBER, 'Survey sent to heads of school.')}" in (
        fresh.split()
    )
    response = client_as(lead_of_org_a).post(url("review", plan, review), {**mine, "seen": fresh})
    assert response.status_code == 302
    e.refresh_from_db()
    assert (e.status, e.comment) == (Status.GREEN, "Counted: 240.")


def test_rows_left_alone_keep_a_colleagues_change(client_as, lead_of_org_a, plan, actions, review):
    loaded = row_data(review)  # the lead opens the page
    theirs = row_data(review, {actions[1].pk: (Status.AMBER, "Survey sent.")})
    services.save_review(review, services_edits(review, theirs))
    mine = {**loaded}
    first = entry(review, actions[0])
    mine[f"status-{first.pk}"], mine[f"comment-{first.pk}"] = Status.GREEN, "On every page."
    response = client_as(lead_of_org_a).post(url("review", plan, review), mine)
    assert response.status_code == 302
    assert [(e.status, e.comment) for e in review.entries.order_by("pk")] == [
        (Status.GREEN, "On every page."),
        (Status.AMBER, "Survey sent."),
        (Status.NOT_STARTED, ""),
    ]


def services_edits(review, data):
    from actionplans.views.reviews import edits_from

    return edits_from(data)[0]


# --- Achievements -----------------------------------------------------------------------------


def test_achievements_come_from_the_latest_finalised_review_in_the_period(
    client_as, lead_of_org_a, plan, heading, actions, review
):
    ongoing = services.add_heading(plan, "Ongoing actions")
    celebrate = services.add_action(ongoing, by=lead_of_org_a, title="Celebrate technicians")
    later = services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 12, 3),
        period_from=date(2027, 6, 1),
        period_to=date(2027, 11, 30),
    )
    services.save_review(
        later,
        services_edits(
            later,
            row_data(
                later,
                {
                    actions[0].pk: (Status.COMPLETE, "Names on every page.\n\nAnd on posters."),
                    actions[2].pk: (Status.COMPLETE, "Six registered."),
                    celebrate.pk: (Status.COMPLETE, ""),
                    actions[1].pk: (Status.GREEN, "Nearly counted."),
                },
            ),
        ),
    )
    services.finalise_review(later, by=lead_of_org_a)
    services.finalise_review(review, by=lead_of_org_a)  # earlier period: not the one used

    response = client_as(lead_of_org_a).get(
        url("achievements", plan, query="?from=2027-01-01&to=2027-12-31")
    )
    html = response.content.decode()
    achievements = re.search(r'<div class="achievements" id="achievements">(.*?)</div>', html, re.S)
    assert re.sub(r">\s+<", "><", achievements[1].strip()) == (
        '<h3 class="h5">Visibility</h3><ul><li><strong>Name technicians</strong>'
        "<p>Names on every page.</p><p>And on posters.</p></li></ul>"
        '<h3 class="h5">Recognition</h3><ul><li><strong>Register with RSci</strong>'
        "<p>Six registered.</p></li></ul>"
        '<h3 class="h5">Ongoing actions</h3><ul><li><strong>Celebrate technicians</strong>'
        "</li></ul>"
    )
    assert "From the progress review of 3 December 2027" in text_of(response)
    text = re.search(r'<textarea[^>]*id="achievements-text"[^>]*>(.*?)</textarea>', html, re.S)
    assert text[1] == (
        "Achievements: University of Aldermoor Technician Commitment Action Plan 2026–2028\n"
        "1 January 2027 to 31 December 2027\n"
        "\n"
        "Visibility\n"
        "- Name technicians\n"
        "  Names on every page.\n"
        "  And on posters.\n"
        "\n"
        "Recognition\n"
        "- Register with RSci\n"
        "  Six registered.\n"
        "\n"
        "Ongoing actions\n"
        "- Celebrate technicians\n"
    )


def test_without_a_review_achievements_are_the_actions_now_complete(
    client_as, lead_of_org_a, plan, actions
):
    Action.objects.filter(pk=actions[1].pk).update(status=Status.COMPLETE, comment="240 counted.")
    response = client_as(lead_of_org_a).get(
        url("achievements", plan, query="?from=2027-01-01&to=2027-12-31")
    )
    html = response.content.decode()
    achievements = re.search(r'<div class="achievements" id="achievements">(.*?)</div>', html, re.S)
    assert re.sub(r">\s+<", "><", achievements[1].strip()) == (
        '<h3 class="h5">Visibility</h3><ul><li><strong>Count technicians</strong>'
        "<p>240 counted.</p></li></ul>"
    )
    assert "lists the actions whose current status is completed" in text_of(response)


def test_a_bad_period_is_reported(client_as, lead_of_org_a, plan):
    response = client_as(lead_of_org_a).get(
        url("achievements", plan, query="?from=2027-12-31&to=2027-01-01")
    )
    assert '<a href="#id_to">To: The period ends before it starts.</a>' in (
        response.content.decode()
    )


# --- Timelines --------------------------------------------------------------------------------


def test_an_actions_timeline_lists_finalised_reviews_oldest_first(
    lead_of_org_a, plan, actions, review
):
    services.save_review(
        review,
        services_edits(review, row_data(review, {actions[0].pk: (Status.RED, "Stalled.")})),
    )
    services.finalise_review(review, by=lead_of_org_a)
    later = services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 12, 3),
        period_from=date(2027, 6, 1),
        period_to=date(2027, 11, 30),
    )
    services.save_review(
        later,
        services_edits(later, row_data(later, {actions[0].pk: (Status.COMPLETE, "Done.")})),
    )
    services.finalise_review(later, by=lead_of_org_a)
    services.start_review(  # a draft is no part of the history
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2028, 1, 3),
        period_from=date(2027, 12, 1),
        period_to=date(2027, 12, 31),
    )
    loaded = load_plan(plan)
    action = next(a for a in loaded.actions if a.pk == actions[0].pk)
    html = render_to_string(
        "actionplans/_timeline.html", {"action": action, "wording": loaded.wording}
    )
    items = re.findall(r"<li>(.*?)</li>", html)
    assert [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", i)).strip() for i in items] == [
        "Jun 2027 5 June 2027 : ■ Delayed",
        "Dec 2027 3 December 2027 : ✔ Completed",
    ]
    assert 'aria-label="Status at each finalised progress review of ‘Name technicians’"' in html
    assert (
        '<span class="status-badge status-red"><span class="shape" aria-hidden="true">■</span> '
        "Delayed" in html
    )


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 300])
@pytest.mark.parametrize(
    ("page", "queries"), [("review", 11), ("reviews", 8), ("achievements", 10)]
)
def test_review_pages_run_in_constant_queries(
    client_as, lead_of_org_a, plan, heading, django_assert_max_num_queries, size, page, queries
):
    headings = [heading("visibility"), heading("recognition"), heading("sustainability")]
    Action.objects.bulk_create(
        Action(
            plan=plan,
            heading=headings[n % 3],
            position=n,
            title=f"Action {n}",
            status=[Status.RED, Status.AMBER, Status.COMPLETE][n % 3],
            comment="Explained.",
        )
        for n in range(size)
    )
    earlier = services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 6, 5),
        period_from=date(2026, 12, 1),
        period_to=date(2027, 5, 31),
    )
    services.finalise_review(earlier, by=lead_of_org_a)
    review = services.start_review(
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2027, 12, 3),
        period_from=date(2027, 6, 1),
        period_to=date(2027, 11, 30),
    )
    client = client_as(lead_of_org_a)
    with django_assert_max_num_queries(queries):
        response = client.get(url(page, plan, review if page == "review" else None))
    assert response.status_code == 200
    html = response.content.decode()
    if page == "review":
        assert html.count("<textarea") == size + 1  # and the summary
        assert html.count('<ol class="status-timeline') == size  # each with the earlier review
        # The whole page posts back within Django's limit on the number of fields.
        first = review.entries.order_by("pk").first()
        data = row_data(review, {first.action_id: (Status.COMPLETE, "Done.")})
        assert client.post(url("review", plan, review), data).status_code == 302
        first.refresh_from_db()
        assert (first.status, first.comment) == (Status.COMPLETE, "Done.")
    if page == "achievements":
        assert html.count("<li><strong>Action") == len(range(2, size, 3))


# --- The later form's RAG-analysis question ---------------------------------------------------


def rag_section_url(assessment):
    question = Question.objects.get(
        section__form_version=assessment.form_version, key="rag_analysis"
    )
    return reverse(
        "assessments:section", args=["aldermoor", assessment.pk, question.section.position]
    )


def test_the_rag_question_shows_the_previous_plans_latest_finalised_review(
    client_as, lead_of_org_a, plan, actions, review, later_assessment
):
    first, second = later_assessment
    plan.assessment = first
    plan.save()
    services.save_review(
        review,
        services_edits(
            review,
            row_data(
                review,
                {
                    actions[0].pk: (Status.RED, "The web team is short-staffed."),
                    actions[2].pk: (Status.COMPLETE, "Six registered."),
                },
            ),
        ),
    )
    services.finalise_review(review, by=lead_of_org_a)
    services.start_review(  # a later draft is not shown
        plan,
        by=lead_of_org_a,
        reviewed_on=date(2028, 6, 1),
        period_from=date(2027, 6, 1),
        period_to=date(2028, 5, 31),
    )
    this_cycle = services.create_plan(
        plan.organisation, by=lead_of_org_a, starts_on=date(2028, 12, 1), assessment=second
    )
    services.finalise_review(
        services.start_review(
            this_cycle,
            by=lead_of_org_a,
            reviewed_on=date(2029, 1, 1),
            period_from=date(2028, 12, 1),
            period_to=date(2028, 12, 31),
        ),
        by=lead_of_org_a,
    )

    response = client_as(lead_of_org_a).get(rag_section_url(second))
    html = response.content.decode()
    panel = re.search(
        r'<div class="card guidance-panel previous-review">.*?</details>\s*</div>', html, re.S
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", panel[0])).strip()
    assert text.startswith(
        "Your previous plan's latest progress review "
        "University of Aldermoor Technician Commitment Action Plan 2026–2028: review of "
        "5 June 2027 , covering 1 December 2026 to 31 May 2027, by Lena Aldous. "
        "Overall: ▲ In progress 1 ○ Not started 1 ■ Delayed 1 ✔ Completed "
        "Visibility (2) ■ Delayed Name technicians The web team is short-staffed. "
        "○ Not started Count technicians "
        "Recognition (1) ✔ Completed Register with RSci Six registered."
    )
    assert f'href="{url("review", plan, review)}"' in panel[0]


def test_the_rag_question_says_when_there_is_no_review(client_as, lead_of_org_a, later_assessment):
    response = client_as(lead_of_org_a).get(rag_section_url(later_assessment[1]))
    assert "The portal has no finalised progress review of your previous action plan." in (
        text_of(response)
    )


def test_other_sections_have_no_rag_panel(client_as, lead_of_org_a, later_assessment):
    second = later_assessment[1]
    response = client_as(lead_of_org_a).get(
        reverse("assessments:section", args=["aldermoor", second.pk, 1])
    )
    assert response.status_code == 200
    assert "previous-review" not in response.content.decode()


def test_the_start_page_offers_a_draft_already_started(client_as, lead_of_org_a, plan, review):
    response = client_as(lead_of_org_a).get(url("review_new", plan))
    assert (
        "This plan already has a draft review. You may want to continue it instead: "
        "Progress review of 5 June 2027"
    ) in text_of(response)
    assert f'href="{url("review", plan, review)}"' in response.content.decode()
