"""PDFs that never lose a character: a landscape plan table with three phases or three focus
years and 2,000-character comments fits the printable width, every cell's text is in the PDF,
no glyph lies outside the page, and no heading band or header row is left alone at a page foot.
The same holds for the plan appendix of a self-assessment."""

from types import SimpleNamespace

import pytest

from publications.enums import PublicationKind
from publications.pdf import Document, PlanPdf, SelfAssessmentPdf
from tests.pdf_text import FOOTER_PT, clipped_cells, long_plan, plan_cells, runs

ORGANISATION = SimpleNamespace(name="University of Northmoor", short_name="Northmoor")
HEADER_WORDS = {"Action", "Led by", "Success criteria", "Status", "Comment"}


def plan_document(plan: dict) -> Document:
    return Document(
        kind=PublicationKind.ACTION_PLAN,
        title=plan["title"],
        organisation=ORGANISATION,
        content=plan,
        version=1,
    )


def assessment_document(plan: dict) -> Document:
    """A self-assessment of one short answer, with the plan as its appendix."""
    body = {
        "organisation": ORGANISATION.name,
        "form_version": "Later form",
        "due_on": "2026-12-01",
        "sections": [
            {"position": 1, "title": "About you", "questions": []},
            {
                "position": 2,
                "title": "Your action plan",
                "questions": [
                    {
                        "key": "plan",
                        "text": "Your action plan",
                        "kind": "action_plan",
                        "boxes": [{"text": "<p>See the appendix.</p>", "flag": None}],
                    }
                ],
            },
        ],
        "plan": plan,
        "sign_offs": [],
    }
    return Document(
        kind=PublicationKind.SELF_ASSESSMENT,
        title="Northmoor self-assessment",
        organisation=ORGANISATION,
        content={"document": body, "sign_offs": [], "revision": 1, "submitted_on": "2026-11-30"},
        version=1,
    )


def stranded(data: bytes, plan: dict) -> list[tuple[int, str]]:
    """(page, text) where the last thing above a page's footer is a heading band or the table's
    header row: a page that ends before the rows they head."""
    headings = {h["name"] for h in plan["headings"]}
    found = runs(data)
    last_page = max(r.page for r in found)
    lowest: dict[int, object] = {}
    for run in found:
        if run.y > FOOTER_PT and (run.page not in lowest or run.y < lowest[run.page].y):
            lowest[run.page] = run
    return [
        (page, run.text)
        for page, run in lowest.items()
        if page != last_page and run.text.strip() in headings | HEADER_WORDS
    ]


@pytest.mark.parametrize("style", ["phases", "years"])
def test_a_long_landscape_plan_prints_every_cell_inside_the_page(style):
    plan = long_plan(style)
    _, _, data = PlanPdf().render(plan_document(plan))
    found = runs(data)
    assert found
    assert [r for r in found if r.outside] == []
    cells = plan_cells(plan)
    assert len(cells) > 8 * 7
    assert clipped_cells(data, cells) == []
    assert stranded(data, plan) == []
    # The header row repeats on every page the table runs over (the keys end the last page).
    pages = {r.page for r in found}
    with_header = {r.page for r in found if r.text.strip() == "Success criteria"}
    assert len(pages) > 3
    assert with_header >= pages - {max(pages)}


def test_the_self_assessments_plan_appendix_prints_every_cell_inside_the_page():
    plan = long_plan("phases", actions=4)
    _, _, data = SelfAssessmentPdf().render(assessment_document(plan))
    found = runs(data)
    assert [r for r in found if r.outside] == []
    assert clipped_cells(data, plan_cells(plan)) == []
    landscape = {r.page for r in found if r.page_width > r.page_height}
    assert landscape  # the appendix is printed landscape
    # Sections and signatures follow one another: no page of white after a short section.
    page_of = {r.text.strip(): r.page for r in found}
    assert page_of["Your action plan"] == page_of["Signatures"] == 2


def test_the_checker_sees_a_cell_cut_at_the_edge():
    """A table wider than the page (as the plan table was before fixed widths) is caught."""
    from publications.pdf import html_to_pdf

    cell = "A cell that runs far past the right-hand edge of the page " * 4
    html = (
        '<html lang="en-GB"><head><title>Wide</title><link rel="stylesheet" '
        'href="static:css/pdf.css"></head><body><table><tr>'
        f'<td style="width: 150mm">{"filler " * 20}</td><td style="white-space: nowrap">{cell}</td>'
        "</tr></table></body></html>"
    )
    data = html_to_pdf(html)
    assert [r for r in runs(data) if r.outside]
    assert clipped_cells(data, [cell]) == [cell]
