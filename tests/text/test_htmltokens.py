"""The tokenizer behind the Word clean-up keeps every character and reads tags as browsers do."""

from hypothesis import given, settings
from hypothesis import strategies as st

from techcommit.htmltokens import COMMENT, END, START, TEXT, Token, tokenize
from tests.text.test_sanitise_limits import FRAGMENTS

pieces = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(pieces.map("".join))
def test_joining_the_tokens_gives_back_the_text(source):
    assert "".join(token.raw for token in tokenize(source)) == source


def test_tags_comments_and_text():
    source = (
        "<P Style='mso-list:l0 level1'>1 < 2<![if !supportLists]>·<![endif]>"
        "<!--[if !supportLists]--></p ><o:p></o:p>"
    )
    assert list(tokenize(source)) == [
        Token(START, "<P Style='mso-list:l0 level1'>", "p"),
        Token(TEXT, "1 "),
        Token(TEXT, "<"),
        Token(TEXT, " 2"),
        Token(COMMENT, "<![if !supportLists]>"),
        Token(TEXT, "·"),
        Token(COMMENT, "<![endif]>"),
        Token(COMMENT, "<!--[if !supportLists]-->"),
        Token(END, "</p >", "p"),
        Token(START, "<o:p>", "o:p"),
        Token(END, "</o:p>", "o:p"),
    ]
    assert Token(COMMENT, "<!--[if !supportLists]-->").inner() == "[if !supportlists]"


def test_an_unterminated_tag_or_comment_makes_the_rest_text():
    assert list(tokenize("a<p class=x <b>")) == [
        Token(TEXT, "a"),
        Token(START, "<p class=x <b>", "p"),
    ]
    assert list(tokenize("a<p mso-list:l1 level1 <p")) == [
        Token(TEXT, "a"),
        Token(TEXT, "<p mso-list:l1 level1 <p"),
    ]
    assert list(tokenize("<!-- open <p>")) == [Token(TEXT, "<!-- open <p>")]
