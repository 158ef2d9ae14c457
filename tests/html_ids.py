"""The id attributes of a page, read by an HTML parser (a regular expression would also read
``aria-invalid="true"`` as an id), and those that are not unique."""

from collections import Counter
from html.parser import HTMLParser


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids.extend(value or "" for name, value in attrs if name == "id")

    handle_startendtag = handle_starttag


def duplicate_ids(page: str) -> dict[str, int]:
    """{id: how many times} for every id the page gives more than one element."""
    parser = _Ids()
    parser.feed(page)
    parser.close()
    return {id_: n for id_, n in Counter(parser.ids).items() if n > 1}
