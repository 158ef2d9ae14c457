"""Never lose a word: autosave, the live word count, pasting from Word, a colleague's conflicting
save, an expired session and a dropped connection, each as a person meets them in the browser."""

from datetime import date

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from assessments import services
from assessments.models import Answer, Question
from signatories.enums import Role
from signatories.models import Organisation
from tests.browser.helpers import rich_editor
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.text.test_sanitise import WORD_LISTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]

PROFILE = "To give some context, please give a brief profile of your organisation."

PASTE = """(element, html) => {
  element.focus();
  const data = new DataTransfer();
  data.setData("text/html", html);
  element.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                     cancelable: true}));
}"""


@pytest.fixture
def draft(official_forms):
    organisation = OrganisationFactory(
        name="University of Aldermoor", short_name="Aldermoor", slug="aldermoor"
    )
    Organisation.objects.filter(pk=organisation.pk).update(signed_on=date(2025, 12, 1))
    organisation.refresh_from_db()
    lead = UserFactory(email="lead.a@example.org", full_name="Lena Aldous")
    contributor = UserFactory(email="contributor.a@example.org", full_name="Carl Ash")
    MembershipFactory(organisation=organisation, role=Role.LEAD, user=lead)
    MembershipFactory(organisation=organisation, role=Role.CONTRIBUTOR, user=contributor)
    assessment = services.start_assessment(organisation, by=lead, today=date(2026, 11, 25))
    profile = Question.objects.get(section__form_version=assessment.form_version, key="profile")
    assert profile.text == PROFILE
    return {
        "assessment": assessment,
        "lead": lead,
        "contributor": contributor,
        "profile": profile,
        "url": f"/organisations/aldermoor/self-assessments/{assessment.pk}/sections/2/",
    }


def sign_in(context, user, live_server):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def saved_profile(draft):
    return Answer.objects.filter(assessment=draft["assessment"], question=draft["profile"]).first()


def profile_box(page):
    return page.locator("#box-answer-profile")


def test_typing_saves_by_itself_and_counts_words_as_the_server_does(page, draft, live_server):
    from playwright.sync_api import expect

    sign_in(page.context, draft["lead"], live_server)
    page.goto(draft["url"])
    box = profile_box(page)
    editor = rich_editor(page, PROFILE)
    editor.click()
    page.keyboard.type("Our well-being programme reached 651 technicians.")
    expect(box.locator("[data-word-count]")).to_have_text("6 of 250 words")
    expect(box.get_by_role("status")).to_contain_text("Saved at")
    assert saved_profile(draft).text == "<p>Our well-being programme reached 651 technicians.</p>"

    # Over the limit: the count says so in words, the draft still saves, the problem is listed.
    page.keyboard.press("Enter")
    page.keyboard.type(" ".join(["word"] * 250))
    counter = box.locator("[data-word-count]")
    expect(counter).to_have_text("256 of 250 words – 6 over the limit")
    expect(counter).to_have_class("word-count small mb-1 text-danger fw-semibold")
    expect(box.locator("[data-problems]")).to_have_text(
        "256 words: 6 over the limit of 250. Shorten the answer."
    )
    answer = saved_profile(draft)
    assert answer.text.startswith("<p>Our well-being programme reached 651 technicians.</p><p>")
    assert answer.text.count("word") == 250


def test_pasting_from_word_keeps_lists_and_drops_anything_that_runs(page, draft, live_server):
    from playwright.sync_api import expect

    sign_in(page.context, draft["lead"], live_server)
    page.goto(draft["url"])
    editor = rich_editor(page, PROFILE)
    hostile = WORD_LISTS.replace(
        "<!--EndFragment-->",
        '<p onclick="steal()">Click <a href="javascript:alert(1)">here</a></p>'
        "<script>alert(1)</script><!--EndFragment-->",
    )
    editor.evaluate(PASTE, hostile)
    expect(editor.locator(":scope > ol > li")).to_have_count(2)
    expect(editor.locator("ol ol > li")).to_have_text("Include apprentices.")
    editor.blur()
    expect(profile_box(page).get_by_role("status")).to_contain_text("Saved at")
    text = saved_profile(draft).text
    assert "<ol><li>Map\nevery technical role by <strong>March</strong>." in text
    assert "<ul><li>Thank\npeople.</li></ul>" in text
    assert text.endswith("<p>Click here</p>")
    for dangerous in ("script", "onclick", "javascript:", "mso-"):
        assert dangerous not in text


@pytest.mark.parametrize("choice", ["Keep my version", "Keep their version", "Merge them"])
def test_a_colleagues_newer_save_is_shown_beside_mine_and_never_overwritten(
    page, browser, draft, live_server, choice
):
    from playwright.sync_api import expect

    # The contributor opens the section first; then the lead saves the same answer. The
    # contributor's page runs on a fake clock, so "nothing is sent later" is checked by moving
    # time on, not by waiting.
    sign_in(page.context, draft["contributor"], live_server)
    page.clock.install()
    page.goto(draft["url"])
    lead_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    sign_in(lead_context, draft["lead"], live_server)
    lead_page = lead_context.new_page()
    lead_page.goto(draft["url"])
    rich_editor(lead_page, PROFILE).click()
    lead_page.keyboard.type("The lead's words.")
    rich_editor(lead_page, PROFILE).blur()
    expect(profile_box(lead_page).get_by_role("status")).to_contain_text("Saved at")
    lead_context.close()
    assert saved_profile(draft).version == 1

    # The contributor types over the old version: the save is refused and both texts are shown.
    editor = rich_editor(page, PROFILE)
    editor.click()
    page.keyboard.type("The contributor's words.")
    editor.blur()
    panel = profile_box(page).locator("[data-conflict]")
    expect(panel).to_be_visible()
    expect(panel).to_be_focused()
    expect(panel).to_contain_text("Lena Aldous saved this answer at")
    # Side by side, each under its own name.
    expect(panel.get_by_role("group", name="Your version")).to_contain_text(
        "The contributor's words."
    )
    expect(panel.get_by_role("group", name="Their version")).to_contain_text("The lead's words.")
    expect(profile_box(page).get_by_role("status")).to_contain_text("a colleague changed this")
    assert saved_profile(draft).text == "<p>The lead's words.</p>"

    panel.get_by_role("button", name=choice).click()
    expect(panel).to_be_hidden()
    if choice == "Keep their version":
        expect(editor).to_have_text("The lead's words.")
        saves = []
        page.on("request", lambda request: request.method == "POST" and saves.append(request.url))
        page.clock.run_for(120_000)  # past the autosave delay and every retry
        page.evaluate("() => fetch(location.href, {method: 'HEAD'})")  # a round trip to settle
        assert saves == []
        answer = saved_profile(draft)
        assert (answer.text, answer.version) == ("<p>The lead's words.</p>", 1)
        return
    expect(profile_box(page).get_by_role("status")).to_contain_text("Saved at")
    answer = saved_profile(draft)
    assert answer.version == 2
    assert answer.updated_by == draft["contributor"]
    if choice == "Keep my version":
        assert answer.text == "<p>The contributor's words.</p>"
    else:
        assert answer.text == "<p>The lead's words.</p><p>—</p><p>The contributor's words.</p>"
    # The lead's version is still in the history.
    assert list(
        answer.revisions.order_by("version").values_list("version", "saved_by__full_name")
    ) == [
        (1, "Lena Aldous"),
        (2, "Carl Ash"),
    ]


def test_text_typed_after_the_session_expired_is_saved_after_signing_in_again(
    page, draft, live_server
):
    from playwright.sync_api import expect

    sign_in(page.context, draft["lead"], live_server)
    page.goto(draft["url"])
    Session.objects.all().delete()

    editor = rich_editor(page, PROFILE)
    editor.click()
    page.keyboard.type("Typed while signed out.")
    editor.blur()
    status = profile_box(page).get_by_role("status")
    expect(status).to_contain_text("You have been signed out, so this was not saved.")
    expect(status).to_have_class("autosave-status small text-danger fw-semibold autosave-failed")
    kept = page.evaluate(
        f"JSON.parse(localStorage.getItem('tc:{draft['assessment'].pk}:answer-profile')).text"
    )
    assert kept == "<p>Typed while signed out.</p>" or kept == "Typed while signed out."
    assert saved_profile(draft) is None

    page.once("dialog", lambda dialog: dialog.accept())  # leaving with unsaved text warns
    status.get_by_role("link", name="Sign in again").click()
    page.get_by_label("Email").fill("lead.a@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Back on the section: the kept text is put back and saved.
    expect(rich_editor(page, PROFILE)).to_have_text("Typed while signed out.")
    expect(profile_box(page).get_by_role("status")).to_contain_text("Saved at")
    assert saved_profile(draft).text == "<p>Typed while signed out.</p>"
    assert (
        page.evaluate(f"localStorage.getItem('tc:{draft['assessment'].pk}:answer-profile')") is None
    )


def test_a_dropped_connection_warns_and_saves_when_it_returns(page, draft, live_server):
    from playwright.sync_api import expect

    sign_in(page.context, draft["lead"], live_server)
    page.goto(draft["url"])
    page.route("**/answers/**", lambda route: route.abort("internetdisconnected"))
    editor = rich_editor(page, PROFILE)
    editor.click()
    page.keyboard.type("Written on the train.")
    editor.blur()
    status = profile_box(page).get_by_role("status")
    expect(status).to_contain_text("Not saved – check your connection.")
    assert saved_profile(draft) is None

    page.unroute("**/answers/**")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(status).to_contain_text("Saved at")
    assert saved_profile(draft).text == "<p>Written on the train.</p>"


def test_people_who_only_read_get_no_editor(page, draft, live_server):
    from playwright.sync_api import expect

    sponsor = UserFactory(email="sponsor.a@example.org", full_name="Sara Ainsley")
    MembershipFactory(
        organisation=draft["assessment"].organisation, role=Role.SPONSOR, user=sponsor
    )
    sign_in(page.context, sponsor, live_server)
    page.goto(draft["url"])
    expect(page.get_by_text("You can read this self-assessment")).to_be_visible()
    expect(page.locator("[contenteditable]")).to_have_count(0)
    expect(page.get_by_role("button", name="Save and continue")).to_have_count(0)
