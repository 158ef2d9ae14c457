# ruff: noqa: E501 - the Word fixture keeps the clipboard's own long lines.
"""What survives in a long answer: paragraphs, lists and links from Word; nothing that runs."""

import pytest

from techcommit.text import html_to_text, sanitise_html

WORD_LISTS = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>
p.MsoListParagraph {margin-left:36.0pt}</style><xml><w:WordDocument>x</w:WordDocument></xml></head>
<body lang=EN-GB><!--StartFragment-->
<p class=MsoNormal>Our priorities for the next two years:<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]>Map
every technical role by <b>March</b>.<o:p></o:p></p>
<p class=MsoListParagraphCxSpMiddle style='text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>a.<span>&nbsp;&nbsp; </span></span><![endif]>Include apprentices.<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><!--[if !supportLists]--><span
style='mso-list:Ignore'>2.<span>&nbsp;&nbsp; </span></span><!--[endif]-->Publish the results.<o:p></o:p></p>
<p class=MsoNormal>And, as always:</p>
<p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='font-family:Symbol'><span style='mso-list:Ignore'>·<span>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>Thank
people.<o:p></o:p></p>
<!--EndFragment--></body></html>"""


def test_word_numbered_and_bulleted_lists_become_lists():
    assert sanitise_html(WORD_LISTS) == (
        "<p>Our priorities for the next two years:</p>"
        "<ol><li>Map\nevery technical role by <strong>March</strong>."
        "<ol><li>Include apprentices.</li></ol></li>"
        "<li>Publish the results.</li></ol>"
        "<p>And, as always:</p>"
        "<ul><li>Thank\npeople.</li></ul>"
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (
            "One paragraph.\n\nAnother,\nwith a break.",
            "<p>One paragraph.</p><p>Another,<br>with a break.</p>",
        ),
        (
            "Actions:\n• Survey staff\n• Publish results\n1. First\n2) Second",
            "<p>Actions:</p><ul><li>Survey staff</li><li>Publish results</li></ul>"
            "<ol><li>First</li><li>Second</li></ol>",
        ),
        ("Less than <3 & more", "<p>Less than &lt;3 &amp; more</p>"),
        ("   ", ""),
    ],
)
def test_plain_text_keeps_paragraphs_breaks_and_lists(typed, stored):
    assert sanitise_html(typed) == stored


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        ('<p onclick="steal()">Hi<script>alert("x")</script></p>', "<p>Hi</p>"),
        ('<a href="javascript:alert(1)">link</a>', "<p>link</p>"),
        ('<a href="JaVaScRiPt&colon;alert(1)">x</a>', "<p>x</p>"),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<p>x</p>"),
        ('<img src=x onerror="alert(2)">Text', "<p>Text</p>"),
        ('<p style="color:red" class="MsoNormal">Styled</p>', "<p>Styled</p>"),
        ("<iframe src='https://evil.example'></iframe><p>After</p>", "<p>After</p>"),
        ("<svg><script>alert(1)</script></svg><p>ok</p>", "<p>ok</p>"),
        ("<style>p{}</style><p>ok</p>", "<p>ok</p>"),
        ('<form action="/x"><input name="a"><button>Go</button></form>', "<p>Go</p>"),
    ],
)
def test_nothing_that_runs_survives(pasted, stored):
    assert sanitise_html(pasted) == stored


def test_links_keep_safe_addresses_and_open_safely():
    assert sanitise_html(
        '<p>See <a href="https://example.ac.uk/tc" target="_blank">our plan</a> or '
        '<a href="mailto:tc@example.ac.uk">write</a>.</p>'
    ) == (
        '<p>See <a href="https://example.ac.uk/tc" rel="noopener noreferrer">our plan</a> or '
        '<a href="mailto:tc@example.ac.uk" rel="noopener noreferrer">write</a>.</p>'
    )


def test_other_editors_blocks_become_paragraphs_and_bold_becomes_strong():
    pasted = (
        "Loose first line<div>Second <b>bold</b> <i>it</i></div><h2>Heading</h2><div><br></div>"
    )
    assert sanitise_html(pasted) == (
        "<p>Loose first line</p><p>Second <strong>bold</strong> <em>it</em></p><p>Heading</p>"
    )


def test_stray_list_items_are_put_in_a_list():
    assert sanitise_html("<li>one</li><li>two</li><p>after</p>") == (
        "<ul><li>one</li><li>two</li></ul><p>after</p>"
    )


ALL_INPUTS = [
    WORD_LISTS,
    "plain\n\n• a\n• b",
    '<p onclick="x">Hi<script>1</script></p><a href="https://example.org">l</a>',
    "Loose <b>text</b><div>block</div><li>stray</li>",
    "<p>Tom &amp; Jerry&nbsp;&lt;tag&gt; “quotes”</p>",
]


@pytest.mark.parametrize("value", ALL_INPUTS)
def test_cleaning_clean_text_changes_nothing(value):
    once = sanitise_html(value)
    assert sanitise_html(once) == once


def test_rich_text_reads_as_plain_lines_for_differences():
    assert html_to_text(
        "<p>Intro &amp; aims</p><ul><li>One</li><li>Two</li></ul><p>End<br>line</p>"
    ) == ("Intro & aims\n• One\n• Two\nEnd\nline")


# Headings kept (an update paper's introduction): two levels, below the paper's own h2.
GOOGLE_DOCS = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1">'
    '<h1 dir="ltr" style="line-height:1.38"><span style="font-size:20pt">Our year</span></h1>'
    '<p dir="ltr"><span>Fictional progress at Brackley.</span></p>'
    '<h2 dir="ltr"><span>Visibility</span></h2><ul><li><p>Profiles online</p></li></ul>'
    '<h3 dir="ltr"><span>Case studies</span></h3><h6>Notes</h6></b>'
)


def test_headings_are_kept_at_two_levels_when_asked():
    assert sanitise_html(GOOGLE_DOCS, headings=True) == (
        "<h3>Our year</h3><p>Fictional progress at Brackley.</p>"
        "<h3>Visibility</h3><ul><li><p>Profiles online</p></li></ul>"
        "<h3>Case studies</h3><h4>Notes</h4>"
    )
    # Everywhere else a heading is a paragraph, as before.
    assert sanitise_html(GOOGLE_DOCS) == (
        "<p>Our year</p><p>Fictional progress at Brackley.</p>"
        "<p>Visibility</p><ul><li><p>Profiles online</p></li></ul>"
        "<p>Case studies</p><p>Notes</p>"
    )


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        # A heading in a list, or in bold or a link inside a list item, is a paragraph of it.
        ("<ul><li><h2>In a list</h2> text</li></ul>", "<ul><li><p>In a list</p> text</li></ul>"),
        ("<ol><li><b><h2>Bold</h2></b></li></ol>", "<ol><li><p>Bold</p></li></ol>"),
        # A heading inside a paragraph splits it; a list inside a heading splits the heading.
        ("<p>before<h2>Middle</h2>after</p>", "<p>before</p><h3>Middle</h3><p>after</p>"),
        ("<h2>a<ul><li>x</li></ul>b</h2>", "<h3>a</h3><ul><li>x</li></ul><h3>b</h3>"),
        # Empty headings go; trailing line breaks go; nested headings become one.
        ("<h3><br> </h3><h3>Kept<br></h3>", "<h3>Kept</h3>"),
        ("<h2><h3>Nested</h3></h2>", "<h3>Nested</h3>"),
        ('<h2 onclick="x()">Safe <a href="javascript:x()">link</a></h2>', "<h3>Safe link</h3>"),
    ],
)
def test_headings_nest_as_html_allows(pasted, stored):
    assert sanitise_html(pasted, headings=True) == stored
    assert sanitise_html(stored, headings=True) == stored


@pytest.mark.parametrize("value", [*ALL_INPUTS, GOOGLE_DOCS])
def test_cleaning_clean_text_with_headings_changes_nothing(value):
    once = sanitise_html(value, headings=True)
    assert sanitise_html(once, headings=True) == once


def test_headings_read_as_lines_of_their_own():
    assert html_to_text("<h3>Aims</h3><p>One</p><h4>Detail</h4><p>Two</p>") == (
        "Aims\nOne\nDetail\nTwo"
    )
