"""Small helpers shared by the browser journeys."""


def rich_editor(page, label: str):
    """The rich-text editor labelled ``label``, once editor.js has put it in place of its
    textarea: a paste or a keystroke sent earlier would land in the textarea it hides."""
    return page.locator("[contenteditable=true]").and_(page.get_by_label(label, exact=True))


def sign_in(page, user, live_server) -> None:
    """Sign ``user`` in to the browser's context by a session cookie (the sign-in form has its
    own journeys)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
