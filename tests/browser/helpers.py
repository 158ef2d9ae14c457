"""Small helpers shared by the browser journeys."""


def rich_editor(page, label: str):
    """The rich-text editor labelled ``label``, once editor.js has put it in place of its
    textarea: a paste or a keystroke sent earlier would land in the textarea it hides."""
    return page.locator("[contenteditable=true]").and_(page.get_by_label(label, exact=True))


def retype_answer(page, section_url: str, question, words: str) -> None:
    """Replace the answer to ``question`` (a one-box question on the page at ``section_url``)
    with ``words``, typed, and wait until autosave has saved it."""
    from playwright.sync_api import expect

    page.goto(section_url)
    editor = rich_editor(page, question.text)
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(words)
    editor.blur()
    expect(page.locator(f"#box-answer-{question.key}").get_by_role("status")).to_contain_text(
        "Saved at"
    )


def sign(page, assessment, title: str, *, reads, revision: int = 1, added: str = "") -> None:
    """Open the sign-off page as the signer ``title``, check that it ``reads(page)`` what it
    should (and, on a later revision, that what changed shows ``added``), and sign."""
    from playwright.sync_api import expect

    page.goto(f"/organisations/aldermoor/self-assessments/{assessment.pk}/submission/")
    page.get_by_role("link", name=f"Read and sign as {title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Sign off revision {revision} as {title}"
    )
    reads(page)
    if revision > 1:  # what changed since the signer last signed, before they sign again
        changes = page.get_by_role("region", name="What changed since revision 1 was signed")
        expect(changes).to_contain_text(f"Added: {added}")
    page.get_by_label("I confirm that I have read this self-assessment").check()
    page.get_by_role("button", name=f"Sign revision {revision}").click()
    expect(page.get_by_text(f"You signed as {title}.")).to_be_visible()


def submit(page, assessment, revision: int) -> None:
    """The lead submits ``revision`` from the sign-off and submission page."""
    from playwright.sync_api import expect

    page.goto(f"/organisations/aldermoor/self-assessments/{assessment.pk}/submission/")
    page.get_by_role("button", name=f"Submit revision {revision}").click()
    expect(
        page.get_by_text(f"Revision {revision} is submitted to the steering group.")
    ).to_be_visible()


def sign_in(page, user, live_server) -> None:
    """Sign ``user`` in to the browser's context by a session cookie (the sign-in form has its
    own journeys)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
