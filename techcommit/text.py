"""Rich text: what long answers may contain, how pasted Word text becomes that, and word counts.

Long answers are stored as a small, safe subset of HTML: paragraphs, line breaks, bulleted and
numbered lists, links (http, https and mailto only), bold and italic. Everything else a person
pastes (Word's list paragraphs, styles, scripts, event attributes, ``javascript:`` links) is turned
into that subset or dropped here, on the server, whatever the browser sent. ``sanitise_html`` is
idempotent: cleaning clean text changes nothing.

``count_words`` is the one word-counting rule; ``static/js/wordcount.js`` is its twin in the
browser, and ``tests/wordcount_cases.json`` holds the table of cases both must agree on.
"""

import html
import re
import unicodedata
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "em", "b", "i"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Dropped together with everything inside them.
DROPPED_WITH_CONTENT = {"script", "style", "title", "head", "xml", "template", "noscript", "object"}

BLOCKS = {"p", "ul", "ol", "li"}
INLINE_RENAMES = {"b": "strong", "i": "em"}

# Word and other editors mark paragraphs with these; they become paragraphs too.
_BLOCKISH = (
    r"div|h[1-6]|blockquote|pre|section|article|header|footer|aside|table|thead|tbody|tfoot|tr|"
    r"td|th|dl|dt|dd|caption|figure|figcaption|address"
)
_BLOCK_OPEN = re.compile(rf"<(?:{_BLOCKISH})\b[^>]*>", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"</(?:{_BLOCKISH})\s*>", re.IGNORECASE)
_LOOKS_LIKE_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9:-]*|/[a-zA-Z]|!--|!\[)")

# Word's list paragraphs: <p style="mso-list:l0 level1 lfo1"> with the bullet or number kept in a
# conditional comment block (<![if !supportLists]> or <!--[if !supportLists]-->).
_WORD_LIST_PARAGRAPH = re.compile(
    r"<p\b(?P<attrs>[^>]*mso-list:\s*l(?P<list>\d+)\s+level(?P<level>\d+)[^>]*)>(?P<body>.*?)</p>",
    re.IGNORECASE | re.DOTALL,
)
_WORD_MARKER = re.compile(
    r"<!(?:--)?\[if !supportLists\](?:--)?>(?P<marker>.*?)<!(?:--)?\[endif\](?:--)?>",
    re.IGNORECASE | re.DOTALL,
)
_WORD_IGNORE_SPAN = re.compile(
    r"<span[^>]*mso-list:\s*Ignore[^>]*>(?P<marker>.*?)</span>\s*(?:</span>)?",
    re.IGNORECASE | re.DOTALL,
)
_ORDERED_MARKER = re.compile(r"^\(?(?:\d+|[a-z]|[ivxlc]+)[.)]", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")

# Plain text pasted or typed: bullets and numbers at the start of a line become lists.
_PLAIN_BULLET = re.compile(r"^\s*[•\-\*–·▪◦o]\s+(?P<item>.+)$")
_PLAIN_NUMBER = re.compile(r"^\s*\(?\d+[.)]\s+(?P<item>.+)$")


def _marker_text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip().replace("\xa0", "")


def _word_lists(source: str) -> str:
    """Turn runs of Word list paragraphs into <ul>/<ol> with nested levels."""
    if "mso-list" not in source:
        return source
    out: list[str] = []
    position = 0
    stack: list[str] = []  # open list tags, one per level

    def close_to(depth: int) -> None:
        while len(stack) > depth:
            out.append(f"</li></{stack.pop()}>")

    for match in _WORD_LIST_PARAGRAPH.finditer(source):
        between = source[position : match.start()]
        if between.strip():
            close_to(0)
            out.append(between)
        body = match.group("body")
        marker = ""
        found = _WORD_MARKER.search(body) or _WORD_IGNORE_SPAN.search(body)
        if found:
            marker = _marker_text(found.group("marker"))
            body = body[: found.start()] + body[found.end() :]
        tag = "ol" if _ORDERED_MARKER.match(marker) else "ul"
        level = max(1, int(match.group("level")))
        if len(stack) >= level:
            close_to(level)
            out.append("</li><li>")
        while len(stack) < level:
            out.append(f"<{tag}><li>")
            stack.append(tag)
        out.append(body)
        position = match.end()
    close_to(0)
    out.append(source[position:])
    return "".join(out)


def _plain_chunk(lines: list[str]) -> list[str]:
    """One blank-line-separated chunk of plain text as paragraphs and lists."""
    blocks: list[str] = []
    kind: str | None = None  # "p", "ul" or "ol": what is being gathered
    items: list[str] = []

    def flush() -> None:
        if kind == "p":
            blocks.append("<p>" + "<br>".join(items) + "</p>")
        elif kind:
            blocks.append(f"<{kind}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{kind}>")
        items.clear()

    for line in lines:
        bullet, number = _PLAIN_BULLET.match(line), _PLAIN_NUMBER.match(line)
        line_kind = "ul" if bullet else "ol" if number else "p"
        if line_kind != kind:
            flush()
            kind = line_kind
        item = (bullet or number).group("item") if line_kind != "p" else line
        items.append(html.escape(item.strip(), quote=False))
    flush()
    return blocks


def _plain_to_html(text: str) -> str:
    """Plain text: blank lines separate paragraphs, line breaks stay, bullets become lists."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        "".join(_plain_chunk([line for line in chunk.split("\n") if line.strip()]))
        for chunk in re.split(r"\n\s*\n", text)
    )


class _Normaliser(HTMLParser):
    """Re-serialises nh3's output: top-level text wrapped in paragraphs, <b>/<i> as
    <strong>/<em>, stray list items put in a list, empty paragraphs and trailing breaks dropped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth = 0
        self.wrapper: str | None = None  # "p" or "ul" opened by us at the top level
        self.unwrapped_link = False  # a link whose address was unsafe keeps only its text

    def _open_wrapper(self, tag: str) -> None:
        if self.wrapper != tag:
            self._close_wrapper()
            self.out.append(f"<{tag}>")
            self.wrapper = tag

    def _close_wrapper(self) -> None:
        if self.wrapper:
            self.out.append(f"</{self.wrapper}>")
            self.wrapper = None

    def handle_starttag(self, tag, attrs):
        tag = INLINE_RENAMES.get(tag, tag)
        if self.depth == 0:
            if tag == "li":
                self._open_wrapper("ul")
            elif tag in BLOCKS:
                self._close_wrapper()
            else:
                self._open_wrapper("p")
        if tag == "br":
            self.out.append("<br>")
            return
        if tag == "a" and not dict(attrs).get("href"):
            self.unwrapped_link = True
            return
        attributes = "".join(
            f' {name}="{html.escape(value or "", quote=True)}"'
            for name, value in attrs
            if tag == "a" and name in ("href", "rel")
        )
        self.out.append(f"<{tag}{attributes}>")
        self.depth += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        tag = INLINE_RENAMES.get(tag, tag)
        if tag == "br":
            return
        if tag == "a" and self.unwrapped_link:
            self.unwrapped_link = False
            return
        self.depth = max(0, self.depth - 1)
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.depth == 0:
            if not data.strip():
                if self.wrapper == "p":
                    self.out.append(html.escape(data, quote=False))
                return
            self._open_wrapper("p")
        self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        self._close_wrapper()
        text = "".join(self.out)
        empty = re.compile(r"<(p|li|strong|em|ul|ol)>(?:\s|<br>|&nbsp;|\xa0)*</\1>")
        previous = None
        while previous != text:
            previous = text
            text = re.sub(r"(?:<br>\s*)+</(p|li)>", r"</\1>", text)
            text = re.sub(r"<(p|li)>\s*(?:<br>\s*)+", r"<\1>", text)
            text = empty.sub("", text)
        return text.strip()


def sanitise_html(value: str) -> str:
    """The safe HTML a long answer is stored as, from whatever was typed or pasted."""
    if not value or not value.strip():
        return ""
    if not _LOOKS_LIKE_HTML.search(value):
        value = _plain_to_html(value)
    else:
        value = _word_lists(value)
        value = _BLOCK_OPEN.sub("<p>", value)
        value = _BLOCK_CLOSE.sub("</p>", value)
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags=DROPPED_WITH_CONTENT,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    normaliser = _Normaliser()
    normaliser.feed(cleaned)
    return normaliser.result()


# --- Reading rich text as plain text -------------------------------------------------------------

_TEXT_BREAKS = re.compile(r"<(?:/p|br\s*/?|/li|/ul|/ol)\s*>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """Stored rich text as plain lines: one per paragraph or list item (for differences)."""
    if not value:
        return ""
    text = re.sub(r"<li\b[^>]*>", "• ", value, flags=re.IGNORECASE)
    text = _TEXT_BREAKS.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [line.strip() for line in text.replace("\xa0", " ").split("\n")]
    return "\n".join(line for line in lines if line)


# --- Counting words -------------------------------------------------------------------------------
# The rule, kept identical in static/js/wordcount.js:
# 1. tags that start or end a block (p, br, li, div, headings, table cells, ...) become a space;
#    other tags are removed (so "<strong>wo</strong>rd" is one word); comments are removed;
# 2. character references are decoded (&nbsp; is a space, &amp; is "&");
# 3. the text is split on the whitespace characters listed in WORD_SEPARATORS, which include
#    non-breaking and zero-width spaces;
# 4. a piece counts as a word when it contains at least one letter or digit (so "well-being" and
#    "2026/27" are one word each, and a lone bullet or dash is none).

WORD_SEPARATORS = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_SEPARATORS = re.compile("[" + re.escape(WORD_SEPARATORS) + "]+")
_COUNT_COMMENT = re.compile(r"<!--[\s\S]*?-->")
_COUNT_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
COUNT_BLOCK_TAGS = frozenset(
    [
        "p",
        "br",
        "li",
        "ul",
        "ol",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "tr",
        "td",
        "th",
        "table",
        "dt",
        "dd",
        "hr",
        "section",
        "article",
        "header",
        "footer",
    ]
)


def _has_letter_or_digit(piece: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in piece)


def count_words(value: str) -> int:
    if not value:
        return 0
    text = _COUNT_COMMENT.sub(" ", value)
    text = _COUNT_TAG.sub(
        lambda m: " " if m.group(1).lower() in COUNT_BLOCK_TAGS else "",
        text,
    )
    text = html.unescape(text)
    return sum(1 for piece in _SEPARATORS.split(text) if piece and _has_letter_or_digit(piece))
