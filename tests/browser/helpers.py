"""Small helpers shared by the browser journeys."""


def rich_editor(page, label: str):
    """The rich-text editor labelled ``label``, once editor.js has put it in place of its
    textarea: a paste or a keystroke sent earlier would land in the textarea it hides."""
    return page.locator("[contenteditable=true]").and_(page.get_by_label(label, exact=True))
