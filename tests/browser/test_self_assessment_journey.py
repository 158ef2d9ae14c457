"""A lead enters a whole first self-assessment, shaped like seed 003, and reads it all back.

Long answers go in as people enter them: pasted (here, HTML with paragraphs, numbered lists,
bold text), into the rich-text editor. Five figures are uploaded with captions and descriptions.
After a reload every answer reads back exactly, paragraphs and lists included.
"""

from datetime import date

import pytest
from PIL import Image, ImageDraw

from assessments.models import Answer, Figure, Question, SelfAssessment, Theme
from signatories.enums import Role
from signatories.models import Organisation
from tests.browser import fictional_submission as fiction
from tests.browser.helpers import rich_editor
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]


PASTE = """(element, html) => {
  element.focus();
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", html.replace(/<[^>]+>/g, " "));
  element.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                     cancelable: true}));
}"""


def chart(path, shade):
    image = Image.new("RGB", (640, 360), "white")
    draw = ImageDraw.Draw(image)
    for n in range(5):
        draw.rectangle([40 + n * 120, 320 - (n + 2) * 35 - shade, 120 + n * 120, 320], fill="navy")
    image.save(path, "PNG")
    return path


def label_of(key: str) -> str:
    question = Question.objects.get(section__form_version__slug="early-form", key=key)
    return question.text + ("" if question.required else " (optional)")


def paste_into(page, label: str, html: str):
    from playwright.sync_api import expect

    editor = rich_editor(page, label)
    editor.evaluate(PASTE, html)
    # The server cleans what was pasted; the editor shows the clean text.
    expect(editor).not_to_be_empty()
    editor.blur()


def wait_until_saved(page):
    from playwright.sync_api import expect

    for status in page.locator("[data-status]").all():
        expect(status).not_to_contain_text("Saving")
        expect(status).not_to_contain_text("Not saved")


def finish_section(page):
    wait_until_saved(page)
    page.get_by_label("Mark this section as complete").check()
    page.get_by_role("button", name="Save and").first.click()


def test_a_lead_enters_a_whole_self_assessment_and_reads_it_back(page, tmp_path):
    from playwright.sync_api import expect

    organisation = OrganisationFactory(
        name=fiction.ORGANISATION, short_name="Aldermoor", slug="aldermoor"
    )
    Organisation.objects.filter(pk=organisation.pk).update(signed_on=date(2025, 12, 1))
    lead = UserFactory(
        email="lead.a@example.org", full_name="Lena Aldous", telephone="0161 000 0000"
    )
    MembershipFactory(organisation=organisation, role=Role.LEAD, user=lead)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("lead.a@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Self-assessments").click()
    page.get_by_role("button", name="Start the self-assessment due 1 December 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment due 1 December 2026")
    expect(page.locator("#progress")).to_have_text("You have completed 0 of 5 sections.")

    # 1. Contact details: pre-filled from the organisation and the lead, and editable.
    page.get_by_role("link", name="Contact details").click()
    expect(page.get_by_label(label_of("organisation"), exact=True)).to_have_value(
        fiction.ORGANISATION
    )
    expect(page.get_by_label(label_of("lead_telephone"))).to_have_value("0161 000 0000")
    for key in ("lead_name", "lead_email", "lead_telephone"):
        page.get_by_label(label_of(key), exact=True).fill(fiction.SHORT[key])
    finish_section(page)

    # 2. The organisation and its technicians: five figures, then three long answers.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your organisation and its technicians"
    )
    for n, (caption, description) in enumerate(fiction.FIGURES, start=1):
        page.get_by_label("Image file").set_input_files(chart(tmp_path / f"fig{n}.png", n * 5))
        page.get_by_label("Caption", exact=True).last.fill(caption)
        page.get_by_label("Description for people who cannot see the image").last.fill(description)
        page.get_by_role("button", name="Upload figure").click()
        expect(page.get_by_role("figure")).to_have_count(n)
    for key in ("profile", "technician_definition", "technician_numbers"):
        paste_into(page, label_of(key), fiction.LONG[key])
    finish_section(page)

    # 3. Before and since signing: one answer per theme, each with a numbered list.
    paste_into(page, label_of("initiatives_before"), fiction.LONG["initiatives_before"])
    for slug, html in fiction.THEMES.items():
        paste_into(page, Theme.objects.get(slug=slug).name, html)
    finish_section(page)

    # 4. Action plan and the technician voice.
    paste_into(page, label_of("action_plan"), fiction.ACTION_PLAN)
    paste_into(page, label_of("technician_voice"), fiction.LONG["technician_voice"])
    finish_section(page)

    # 5. Publication: confirm, and give the page's address.
    page.get_by_label("Yes").check()
    page.get_by_label("Address of the page").fill(fiction.SHORT["publication"])
    finish_section(page)
    expect(page.locator("#progress")).to_have_text("You have completed 5 of 5 sections.")

    # Everything is stored exactly as entered.
    assessment = SelfAssessment.objects.get(organisation=organisation)
    stored = {
        (a.question.key, a.theme.slug if a.theme else None): a.text
        for a in Answer.objects.filter(assessment=assessment).select_related("question", "theme")
    }
    expected = {
        **{(key, None): text for key, text in fiction.SHORT.items()},
        **{(key, None): html for key, html in fiction.LONG.items()},
        **{("initiatives_since", slug): html for slug, html in fiction.THEMES.items()},
        ("action_plan", None): fiction.ACTION_PLAN,
    }
    assert stored == expected
    assert (
        list(
            Figure.objects.filter(assessment=assessment)
            .order_by("position")
            .values_list("caption", "alt_text")
        )
        == fiction.FIGURES
    )

    # After a reload, every box reads back unchanged, paragraphs and lists included.
    page.get_by_role("link", name="Before and since signing").click()
    page.reload()
    for slug, html in fiction.THEMES.items():
        editor = page.get_by_label(Theme.objects.get(slug=slug).name, exact=True)
        assert editor.inner_html() == html
        assert editor.locator("ol > li").count() == html.count("<li>")
    page.get_by_role("link", name="Due 1 December 2026").click()
    page.get_by_role("link", name="Your organisation and its technicians").click()
    for key in ("profile", "technician_definition", "technician_numbers"):
        assert page.get_by_label(label_of(key), exact=True).inner_html() == fiction.LONG[key]
    expect(page.get_by_role("figure")).to_have_count(5)
    for n, (caption, description) in enumerate(fiction.FIGURES, start=1):
        figure = page.get_by_role("figure").nth(n - 1)
        expect(figure.locator("figcaption")).to_have_text(caption)
        expect(figure.get_by_role("img")).to_have_attribute("alt", description)

    # The check page finds nothing to fix, and the preview reads like the document.
    page.get_by_role("link", name="Due 1 December 2026").click()
    page.get_by_role("link", name="Check your answers").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Every section is complete and every answer is ready to submit."
    )
    page.go_back()
    page.get_by_role("link", name="Print preview").click()
    document = page.locator("main")
    expect(document).to_contain_text(fiction.ORGANISATION)
    expect(document).to_contain_text("Fig. 5 – Technicians in the schools of Science")
    visibility = document.locator("ol").filter(has_text="A steering group was formed")
    expect(visibility.locator("li")).to_have_count(7)
