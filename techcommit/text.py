"""Rich text: what long answers may contain, how pasted Word text becomes that, and word counts.

Long answers are stored as a small, safe subset of HTML: paragraphs, line breaks, bulleted and
numbered lists, links (http, https and mailto only), bold and italic. Documents that are read as
papers (an update paper's introduction) may also keep two levels of headings (``headings=True``):
they sit under the document's own section heading (h2), so any heading pasted becomes an h3, or an
h4 below it; elsewhere headings become paragraphs. Everything else a person
pastes (Word's list paragraphs, styles, scripts, event attributes, ``javascript:`` links) is turned
into that subset or dropped here, on the server, whatever the browser sent. ``sanitise_html`` is
idempotent: cleaning clean text changes nothing. Its cost is linear in the text, whatever the
text: it reads tags with ``techcommit.htmltokens`` rather than regular expressions, hands nh3 no
more than MAX_DEPTH open elements, and tidies nh3's output as a tree (issue 11).

``count_words`` is the one word-counting rule; ``static/js/wordcount.js`` is its twin in the
browser, and ``tests/wordcount_cases.json`` holds the table of cases both must agree on.
"""

import html
import re
import unicodedata

import nh3

from techcommit.htmltokens import COMMENT, END, START, TEXT, VOID, Token, text_of, tokenize

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "em", "b", "i"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Dropped together with everything inside them.
DROPPED_WITH_CONTENT = {"script", "style", "title", "head", "xml", "template", "noscript", "object"}

BLOCKS = {"p", "ul", "ol", "li"}
HEADINGS = ("h3", "h4")
# With headings kept: the level a pasted heading takes (the top two levels are the document's own).
HEADING_LEVELS = {"h1": "h3", "h2": "h3", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
INLINE_RENAMES = {"b": "strong", "i": "em"}

# Word and other editors mark paragraphs with these; they become paragraphs too.
_BLOCKISH_NAMES = (
    "div h1 h2 h3 h4 h5 h6 blockquote pre section article header footer aside table thead tbody "
    "tfoot tr td th dl dt dd caption figure figcaption address"
)
_BLOCKISH = frozenset(_BLOCKISH_NAMES.split())
_LOOKS_LIKE_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9:-]*|/[a-zA-Z]|!--|!\[)")

# Word's list paragraphs: <p style="mso-list:l0 level1 lfo1"> with the bullet or number kept in a
# conditional comment block (<![if !supportLists]> or <!--[if !supportLists]-->), or in a
# <span style="mso-list:Ignore">.
_WORD_LIST_STYLE = re.compile(r"mso-list:\s*l\d+\s+level(?P<level>\d{1,4})", re.IGNORECASE)
_WORD_IGNORE_STYLE = re.compile(r"mso-list:\s*Ignore", re.IGNORECASE)
_ORDERED_MARKER = re.compile(r"^\(?(?:\d+|[a-z]|[ivxlc]+)[.)]", re.IGNORECASE)
WORD_MAX_LEVEL = 9  # Word's deepest list level; a larger number in pasted text is not believed
MAX_DEPTH = 100  # open elements handed to nh3, whose parser slows down with the depth


def _index(tokens: list[Token], start: int, found) -> int | None:
    return next((i for i in range(start, len(tokens)) if found(tokens[i])), None)


def _take_marker(body: list[Token]) -> tuple[str, list[Token]]:
    """A Word list paragraph's bullet or number, and its body without it."""
    opening = _index(body, 0, lambda t: t.kind == COMMENT and t.inner() == "[if !supportlists]")
    if opening is not None:
        closing = _index(body, opening + 1, lambda t: t.kind == COMMENT and t.inner() == "[endif]")
        if closing is not None:
            return _marker_text(body[opening + 1 : closing]), body[:opening] + body[closing + 1 :]
    opening = _index(
        body,
        0,
        lambda t: t.kind == START and t.name == "span" and _WORD_IGNORE_STYLE.search(t.raw),
    )
    if opening is not None:
        closing = _index(body, opening + 1, lambda t: t.kind == END and t.name == "span")
        if closing is not None:
            marker, rest = body[opening + 1 : closing], body[closing + 1 :]
            # Word closes the span around the marker's font straight after it.
            if rest and rest[0].kind == TEXT:
                stripped = rest[0].raw.lstrip()
                rest = ([Token(TEXT, stripped)] if stripped else []) + rest[1:]
                if not stripped and rest and rest[0].kind == END and rest[0].name == "span":
                    rest = rest[1:]
            elif rest and rest[0].kind == END and rest[0].name == "span":
                rest = rest[1:]
            return _marker_text(marker), body[:opening] + rest
    return "", body


def _marker_text(tokens: list[Token]) -> str:
    return html.unescape(text_of(tokens)).strip().replace("\xa0", "")


class _Prepared:
    """The pasted HTML as nh3 is given it: Word's list paragraphs as nested lists, other
    editors' blocks as paragraphs, and no more than MAX_DEPTH elements open at once."""

    def __init__(self, headings: bool = False):
        self.out: list[str] = []
        self.open: list[str] = []  # elements open in what was written, as far as we can tell
        self.lists: list[str] = []  # Word lists open, one per level
        self.headings = headings

    def tag(self, token: Token) -> None:
        name = token.name
        if name in _BLOCKISH:
            name = HEADING_LEVELS.get(name, "p") if self.headings else "p"
            token = Token(token.kind, f"<{name}>" if token.kind == START else f"</{name}>", name)
        if token.kind == END:
            if self.open and self.open[-1] == name:
                self.open.pop()
            self.out.append(token.raw)
            return
        if name in VOID:
            self.out.append(token.raw)
            return
        if name in ("p", "li", *HEADINGS) and self.open and self.open[-1] == name:
            self.open.pop()  # a new paragraph, item or heading ends the one before
        if len(self.open) >= MAX_DEPTH:
            return  # the tag goes; what it held stays
        self.open.append(name)
        self.out.append(token.raw)

    def add(self, tokens: list[Token]) -> None:
        for token in tokens:
            if token.kind in (START, END):
                self.tag(token)
            else:
                self.out.append(token.raw)

    def close_lists(self, depth: int) -> None:
        while len(self.lists) > depth:
            self.out.append(f"</li></{self.lists.pop()}>")

    def list_paragraph(self, level: int, body: list[Token]) -> None:
        marker, body = _take_marker(body)
        tag = "ol" if _ORDERED_MARKER.match(marker) else "ul"
        if len(self.lists) >= level:
            self.close_lists(level)
            self.out.append("</li><li>")
        while len(self.lists) < level:
            self.out.append(f"<{tag}><li>")
            self.lists.append(tag)
        self.add(body)


def _prepare(source: str, headings: bool = False) -> str:
    tokens = list(tokenize(source))
    prepared = _Prepared(headings)
    between: list[Token] = []
    closers_left = "mso-list" in source
    position = 0
    while position < len(tokens):
        token = tokens[position]
        level = (
            _WORD_LIST_STYLE.search(token.raw)
            if closers_left and token.kind == START and token.name == "p"
            else None
        )
        closing = (
            _index(tokens, position + 1, lambda t: t.kind == END and t.name == "p")
            if level
            else None
        )
        if closing is None:
            closers_left = closers_left and not level
            between.append(token)
            position += 1
            continue
        if any(t.raw.strip() for t in between):
            prepared.close_lists(0)
            prepared.add(between)
        between = []
        depth = min(max(1, int(level.group("level"))), WORD_MAX_LEVEL)
        prepared.list_paragraph(depth, tokens[position + 1 : closing])
        position = closing + 1
    prepared.close_lists(0)
    prepared.add(between)
    return "".join(prepared.out)


# Plain text pasted or typed: bullets and numbers at the start of a line become lists.
_PLAIN_BULLET = re.compile(r"^\s*[•\-\*–·▪◦o]\s+(?P<item>.+)$")
_PLAIN_NUMBER = re.compile(r"^\s*\(?\d+[.)]\s+(?P<item>.+)$")


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


_BR = object()  # a line break among an element's contents
_TRIMMED = ("p", "li", *HEADINGS)  # line breaks at their start and end go
_DROPPED_WHEN_EMPTY = ("p", "li", "strong", "em", "ul", "ol", *HEADINGS)


class _Element:
    """An element of the normalised answer: its tag, attributes and contents (escaped text,
    _BR or elements). Built as a tree so that tidying it costs time in proportion to its size."""

    __slots__ = ("attributes", "items", "tag")

    def __init__(self, tag: str, attributes: str = ""):
        self.tag, self.attributes, self.items = tag, attributes, []

    def blank(self, item) -> bool:
        return item is _BR or (isinstance(item, str) and not item.strip())

    def tidy(self) -> bool:
        """Drop leading and trailing line breaks; False when nothing but blanks is left."""
        items = self.items
        if self.tag in _TRIMMED:
            start = next((i for i, item in enumerate(items) if not self.blank(item)), len(items))
            if _BR in items[:start]:
                del items[:start]
                if items and isinstance(items[0], str):
                    items[0] = items[0].lstrip()
            end = len(items)
            while end and self.blank(items[end - 1]):
                end -= 1
            first_break = next((i for i in range(end, len(items)) if items[i] is _BR), None)
            if first_break is not None:
                del items[first_break:]
        return self.tag not in _DROPPED_WHEN_EMPTY or not all(map(self.blank, items))

    def serialise(self) -> str:
        out: list[str] = []
        pending: list = [self]
        while pending:
            item = pending.pop()
            if item is _BR:
                out.append("<br>")
            elif isinstance(item, str):
                out.append(item)
            elif item.tag:
                out.append(f"<{item.tag}{item.attributes}>")
                pending.append(f"</{item.tag}>")
                pending.extend(reversed(item.items))
            else:
                pending.extend(reversed(item.items))
        return "".join(out)


_ATTRIBUTE = re.compile(r'\s([a-z]+)="([^"]*)"')


_INLINE = ("strong", "em", "a")
_BLOCK_ITEMS = ("p", "ul", "ol", "li", *HEADINGS)


def _is_block(item) -> bool:
    return isinstance(item, _Element) and item.tag in _BLOCK_ITEMS


def _settled(element: _Element) -> list:
    """What takes a closed element's place in its parent, so that the answer nests as HTML
    allows: no paragraph or list inside bold, italic, a link or a paragraph (Google Docs wraps a
    whole document in <b>), nothing but items in a list. Otherwise cleaning it again would
    change it."""
    if element.tag in _INLINE and any(map(_is_block, element.items)):
        return element.items  # unwrapped; the parent settles the blocks when it closes
    if element.tag in ("p", *HEADINGS) and any(map(_is_block, element.items)):
        return _split(element.items, element.tag)
    if element.tag in ("ul", "ol"):
        element.items = _list_items(element.items)
    if element.tag == "li":
        for item in element.items:
            if isinstance(item, _Element) and item.tag in HEADINGS:
                item.tag = "p"  # it came out of bold, italic or a link inside the item
    return [element] if element.tidy() else []


def _split(items: list, tag: str = "p") -> list:
    """A paragraph's (or heading's) contents as paragraphs (or headings) and lists side by side."""
    pieces: list = []
    run: list = []

    def flush() -> None:
        paragraph = _Element(tag)
        paragraph.items = run[:]
        run.clear()
        if paragraph.tidy():
            pieces.append(paragraph)

    for item in items:
        if not _is_block(item):
            run.append(item)
            continue
        flush()
        if item.tag != "li":
            pieces.append(item)
        elif pieces and pieces[-1].tag == "ul" and pieces[-1].items[-1].tag == "li":
            pieces[-1].items.append(item)
        else:
            wrapper = _Element("ul")
            wrapper.items = [item]
            pieces.append(wrapper)
    flush()
    return pieces


def _list_items(items: list) -> list:
    """A list's contents as list items: a nested list joins the item before it, and loose text
    becomes an item of its own."""
    out: list[_Element] = []
    made: set[int] = set()  # the items we made, which are tidied like the others were
    loose: _Element | None = None  # an item we made, still taking loose text
    for item in items:
        if isinstance(item, _Element) and item.tag == "li":
            out.append(item)
            loose = None
        elif isinstance(item, _Element) and item.tag in ("ul", "ol") and out:
            out[-1].items.append(item)
        elif loose is None and (item is _BR or (isinstance(item, str) and not item.strip())):
            continue
        else:
            if loose is None:
                loose = _Element("li")
                out.append(loose)
                made.add(id(loose))
            loose.items.append(item)
            if _is_block(item):
                loose = None
    return [item for item in out if id(item) not in made or item.tidy()]


class _Normaliser:
    """Re-serialises nh3's output: top-level text wrapped in paragraphs, <b>/<i> as
    <strong>/<em>, stray list items put in a list, empty paragraphs and trailing breaks dropped.

    nh3 writes well-formed HTML with every attribute as name="value", so our tokenizer reads it
    (html.parser, which did, took three times as long).
    """

    def __init__(self):
        self.root = _Element("")
        self.open: list[_Element] = [self.root]  # the root, our wrapper if any, then elements
        self.depth = 0
        self.wrapper: str | None = None  # "p" or "ul" opened by us at the top level
        self.unwrapped_link = False  # a link whose address was unsafe keeps only its text

    def _push(self, element: _Element) -> None:
        self.open.append(element)

    def _pop(self) -> None:
        element = self.open.pop()
        if element.tag in HEADINGS and self.open[-1].tag in ("ul", "ol", "li"):
            element.tag = "p"  # a heading in a list is just a paragraph of it
        self.open[-1].items.extend(_settled(element))

    def _open_wrapper(self, tag: str) -> None:
        if self.wrapper != tag:
            self._close_wrapper()
            self._push(_Element(tag))
            self.wrapper = tag

    def _close_wrapper(self) -> None:
        if self.wrapper:
            self._pop()
            self.wrapper = None

    def handle_starttag(self, tag, attrs):
        tag = INLINE_RENAMES.get(tag, tag)
        if self.depth == 0:
            if tag == "li":
                self._open_wrapper("ul")
            elif tag in BLOCKS or tag in HEADINGS:
                self._close_wrapper()
            else:
                self._open_wrapper("p")
        if tag == "br":
            self.open[-1].items.append(_BR)
            return
        if tag == "a" and not dict(attrs).get("href"):
            self.unwrapped_link = True
            return
        attributes = "".join(
            f' {name}="{html.escape(value or "", quote=True)}"'
            for name, value in attrs
            if tag == "a" and name in ("href", "rel")
        )
        self._push(_Element(tag, attributes))
        self.depth += 1

    def feed(self, cleaned: str) -> None:
        for token in tokenize(cleaned):
            if token.kind == START:
                attributes = [(n, html.unescape(v)) for n, v in _ATTRIBUTE.findall(token.raw)]
                self.handle_starttag(token.name, attributes)
            elif token.kind == END:
                self.handle_endtag(token.name)
            elif token.kind == TEXT:
                self.handle_data(html.unescape(token.raw))

    def handle_endtag(self, tag):
        tag = INLINE_RENAMES.get(tag, tag)
        if tag == "br":
            return
        if tag == "a" and self.unwrapped_link:
            self.unwrapped_link = False
            return
        if self.depth:
            self.depth -= 1
            self._pop()

    def handle_data(self, data):
        if self.depth == 0:
            if not data.strip():
                if self.wrapper == "p":
                    self.open[-1].items.append(html.escape(data, quote=False))
                return
            self._open_wrapper("p")
        self.open[-1].items.append(html.escape(data, quote=False))

    def result(self) -> str:
        while len(self.open) > 1:
            self._pop()
        return self.root.serialise().strip()


def sanitise_html(value: str, headings: bool = False) -> str:
    """The safe HTML a long answer is stored as, from whatever was typed or pasted; with
    ``headings``, h3 and h4 are kept too (see the module's docstring)."""
    if not value or not value.strip():
        return ""
    html_given = _LOOKS_LIKE_HTML.search(value)
    value = _prepare(value, headings) if html_given else _plain_to_html(value)
    cleaned = nh3.clean(
        value,
        tags=(ALLOWED_TAGS | set(HEADINGS)) if headings else ALLOWED_TAGS,
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

_TEXT_BREAKS = re.compile(r"<(?:/p|br\s*/?|/li|/ul|/ol|/h[34])\s*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def _sub_before_last(pattern: re.Pattern, replacement, text: str, closer: str = ">") -> str:
    """``pattern.sub`` for a pattern that ends with ``closer`` and, once started, always reaches it.

    Run on the whole text, such a pattern rescans the rest of the text from every opening that
    has no closer after it (``<a <a <a ...``): quadratic time. Beyond the last closer no match can
    end, so that part is left alone; before it, every attempt stops at the next closer.
    """
    end = text.rfind(closer)
    if end < 0:
        return text
    end += len(closer)
    return pattern.sub(replacement, text[:end]) + text[end:]


def html_to_text(value: str) -> str:
    """Stored rich text as plain lines: one per paragraph or list item (for differences)."""
    if not value:
        return ""
    text = _sub_before_last(_LIST_ITEM, "• ", value)
    text = _sub_before_last(_TEXT_BREAKS, "\n", text)
    text = html.unescape(_sub_before_last(_TAG, "", text))
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
    text = _sub_before_last(_COUNT_COMMENT, " ", value, closer="-->")
    text = _sub_before_last(
        _COUNT_TAG, lambda m: " " if m.group(1).lower() in COUNT_BLOCK_TAGS else "", text
    )
    text = html.unescape(text)
    return sum(1 for piece in _SEPARATORS.split(text) if piece and _has_letter_or_digit(piece))
