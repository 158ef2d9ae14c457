"""The summary at the top of an organisation's public page: how far through its plan it is and
when its next self-assessment is due (publications/summary.py)."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.services import due_date_for
from publications.summary import progress_by_theme
from signatories.models import Organisation
from techcommit.charts import progress_bar
from techcommit.dates import add_months
from tests.publications.test_public import text_of


@pytest.mark.parametrize(
    ("today", "month", "text"),
    [
        (date(2026, 11, 30), 0, "Starts in December 2026"),
        (date(2026, 12, 1), 1, "Month 1 of 36"),
        (date(2028, 1, 15), 14, "Month 14 of 36"),
        (date(2029, 11, 30), 36, "Month 36 of 36"),
        (date(2029, 12, 1), 36, "Ended in November 2029 (all 36 months)"),
    ],
)
def test_how_far_through_its_plan_an_organisation_is(today, month, text):
    progress = progress_bar("Plan period", date(2026, 12, 1), date(2029, 11, 30), today)
    assert progress.months == 36
    assert (min(progress.month, 36), progress.words) == (month, text)


def test_progress_by_theme_counts_each_status_with_its_word_and_shape_in_the_scales_order():
    plan = {
        "wording": {"green": "Going well"},
        "headings": [
            {"name": "Visibility", "actions": [{"status": "green"}, {"status": "red"}, {}]},
            {"name": "Recognition", "actions": []},
        ],
    }
    found = progress_by_theme(plan, None)
    assert found["source"] == "plan"
    visibility, recognition = found["themes"]
    assert [(c["count"], c["shape"], c["label"]) for c in visibility.counts] == [
        (1, "■", "Delayed"),
        (1, "●", "Going well"),
    ]
    assert visibility.bar.description == (
        "Visibility: ■ Delayed 1 (50%), ● Going well 1 (50%); 2 actions in all."
    )
    assert (recognition.total, recognition.counts) == (0, [])
    assert progress_by_theme(None, None) is None


@pytest.mark.parametrize("months_ago", [48, 6])
def test_the_page_says_when_the_next_self_assessment_is_due_and_whether_it_is_overdue(
    client, org_b, months_ago
):
    today = timezone.localdate()
    Organisation.objects.filter(pk=org_b.pk).update(
        signed_on=add_months(today, -months_ago - 12),
        last_assessed_on=add_months(today, -months_ago),
    )
    org_b.refresh_from_db()
    due = due_date_for(org_b, today)
    response = client.get(reverse("publications:organisation", kwargs={"slug": "brackenfield"}))
    html = response.content.decode()
    assert response.status_code == 200
    text = text_of(response)
    assert f"Next self-assessment due {due.due_on:%-d %B %Y}" in text
    assert ("Overdue</strong>" in html) is due.is_overdue
    assert due.is_overdue is (months_ago == 48)
    assert f"{org_b.last_assessed_on:%-d %B %Y}</time>" in html
    # No plan yet: said so, and no progress by theme.
    assert "None published yet" in html
    assert 'id="progress-title"' not in html


def test_a_plan_whose_statuses_come_from_its_latest_review_says_so():
    plan = {
        "headings": [{"name": "Visibility", "actions": [{"status": "complete"}]}],
        "status_as_of": {"reviewed_on": "2027-06-05", "label": "5 June 2027", "title": "Review"},
    }
    review_of_another_plan = {
        "reviewed_on": date(2020, 1, 1),
        "headings": [{"name": "Visibility", "entries": [{"status": "red"}]}],
    }
    found = progress_by_theme(plan, None)
    assert (found["source"], found["as_of"]) == ("review", date(2027, 6, 5))
    assert [c["label"] for c in found["themes"][0].counts] == ["Completed"]
    # Without a plan, the latest review speaks for itself.
    assert progress_by_theme(None, review_of_another_plan)["as_of"] == date(2020, 1, 1)


PHASED_PLAN = {
    "title": "Plan",
    "timing_style": "phases",
    "phases": [{"name": "Phase 1", "period": "2027"}, {"name": "Phase 2", "period": "2028"}],
    "key": [{"code": "HR", "title": "Human Resources"}],
    "headings": [
        {
            "name": "Visibility",
            "description": "Technicians are seen.",
            "actions": [
                {"title": "Name technicians", "led_by": "HR", "status": "green", "phases": []},
                {"title": "Write a page", "status": "red", "comment": "Waits for the web team"},
            ],
        },
        {"name": "Recognition", "actions": []},
    ],
}


def text_of_html(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def render_plan(by_theme: bool) -> str:
    from django.template import Context, Template

    template = Template("{% load actionplans %}{% plan_table plan 'plan' by_theme %}")
    return template.render(Context({"plan": PHASED_PLAN, "by_theme": by_theme}))


def test_the_plan_by_theme_is_one_collapsible_table_per_theme_with_its_counts_in_its_summary():
    html = render_plan(by_theme=True)
    assert html.count('<details class="plan-theme"') == 2
    summaries = [
        " ".join(text_of_html(s).split())
        for s in re.findall(r"<summary>(.*?)</summary>", html, re.S)
    ]
    # Each status's count with its word and its shape, never colour alone.
    assert summaries == ["Visibility 2 actions: 1 ■ Delayed, 1 ● On track", "Recognition 0 actions"]
    assert '<table class="table table-sm plan-table plan-cards" id="plan-table-1">' in html
    assert 'id="plan-table-2"' not in html  # a theme without actions says so instead
    assert "No actions under this heading." in html
    assert "Technicians are seen." in html
    # Every value names its column for the phone's cards.
    for label in ("Led by", "Phase 1 (2027)", "Phase 2 (2028)", "Success criteria", "Status"):
        assert f'data-label="{label}"' in html
    assert '<td data-label="Comment">Waits for the web team</td>' in html
    # The keys once, after the themes.
    assert html.count('id="plan-statuses"') == 1


def test_the_whole_plan_is_still_one_table_with_a_band_per_theme():
    html = render_plan(by_theme=False)
    assert "<details" not in html
    assert html.count('<table class="table table-sm plan-table plan-cards"') == 1
    assert 'id="plan-heading-1"' in html
    assert 'id="plan-heading-2"' in html
