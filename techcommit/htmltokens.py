"""A small HTML tokenizer whose cost is linear in its input, whatever the input.

``techcommit.text`` uses it to find Word's list paragraphs and other editors' blocks before nh3
cleans the result. It does not build a tree and does not judge what is safe: nh3 does that. It
only cuts the text into tags, comments and text, keeping each token's source exactly, so that
joining the tokens' ``raw`` gives back the input.

Regular expressions such as ``<p\\b[^>]*mso-list[^>]*>`` rescan the rest of the input from every
``<`` that has no closing ``>``, which made pasted text with thousands of unclosed tags take
minutes (issue 11). Here each character is looked at a bounded number of times: once a tag or a
comment has no end, nothing after it can end one either, so the rest is text.
"""

import re
from collections.abc import Iterator
from typing import NamedTuple

TEXT, START, END, COMMENT = "text", "start", "end", "comment"

_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9:_-]*")
VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)


class Token(NamedTuple):
    kind: str  # TEXT, START, END or COMMENT (comments, <!...> declarations and <?...>)
    raw: str  # the token's source, exactly
    name: str = ""  # lower-case tag name, for START and END

    def inner(self) -> str:
        """A comment's or declaration's text without its <! -- > delimiters, lower-cased."""
        return (
            self.raw.lstrip("<!?").removeprefix("--").removesuffix(">").removesuffix("--").lower()
        )


def tokenize(source: str) -> Iterator[Token]:
    """The tokens of ``source``; ``"".join(t.raw for t in tokenize(s)) == s``."""
    position, length = 0, len(source)
    while position < length:
        opening = source.find("<", position)
        if opening < 0:
            yield Token(TEXT, source[position:])
            return
        if opening > position:
            yield Token(TEXT, source[position:opening])
        following = source[opening + 1 : opening + 2]
        if source.startswith("<!--", opening):
            closing, width = source.find("-->", opening + 4), 3
            kind, name = COMMENT, ""
        elif following in ("!", "?"):
            closing, width = source.find(">", opening + 2), 1
            kind, name = COMMENT, ""
        else:
            is_end = following == "/"
            named = _NAME.match(source, opening + (2 if is_end else 1))
            if named is None:  # a "<" that starts no tag is text
                yield Token(TEXT, "<")
                position = opening + 1
                continue
            closing, width = source.find(">", named.end()), 1
            kind, name = (END if is_end else START), named.group().lower()
        if closing < 0:  # unterminated: nothing later can end a tag either
            yield Token(TEXT, source[opening:])
            return
        position = closing + width
        yield Token(kind, source[opening:position], name)


def text_of(tokens: Iterator[Token] | list[Token]) -> str:
    """The text tokens joined, tags and comments left out (character references kept)."""
    return "".join(token.raw for token in tokens if token.kind == TEXT)
