"""The portal's one identity (static/css/identity.css): every text and background pair the web
pages and PDFs draw passes WCAG AA (4.5:1), computed from the variables' own values; the status
colours are the charts' own; the PDFs and the web pages read the same file and the same fonts."""

import re
from pathlib import Path

import pytest

from publications.pdf import fetch_resource
from techcommit.charts import STATUS_COLOURS

STATIC = Path(__file__).resolve().parent.parent / "static"
IDENTITY = (STATIC / "css" / "identity.css").read_text()


def variables() -> dict[str, str]:
    """Each --portal-* variable's value, var() references followed."""
    found = dict(re.findall(r"(--portal-[\w-]+):\s*([^;]+);", IDENTITY))
    for name, value in found.items():
        while match := re.fullmatch(r"var\((--portal-[\w-]+)\)", value):
            value = found[match.group(1)]
        found[name] = value.strip()
    return found


def luminance(colour: str) -> float:
    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# (text, background): every pairing the stylesheets use.
PAIRS = [
    ("ink", "page"),
    ("ink", "surface"),
    ("muted", "page"),
    ("muted", "surface"),
    ("primary", "page"),
    ("primary", "surface"),
    ("link", "page"),
    ("link", "surface"),
    ("link-hover", "page"),
    ("on-primary", "primary"),
    ("on-primary", "primary-dark"),
    *[(f"status-{s}-text", f"status-{s}") for s in STATUS_COLOURS],
]


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_every_text_and_background_pair_passes_wcag_aa(text, background):
    found = variables()
    ratio = contrast(found[f"--portal-{text}"], found[f"--portal-{background}"])
    assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}:1"


def test_the_contrast_sums_are_right():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # WCAG's well-known grey


def test_the_status_colours_are_the_charts_own():
    found = variables()
    assert {s: found[f"--portal-status-{s}"] for s in STATUS_COLOURS} == STATUS_COLOURS


def test_bootstrap_takes_the_identitys_colours_and_family():
    assert "--bs-primary: var(--portal-primary);" in IDENTITY
    assert "--bs-link-color: var(--portal-link);" in IDENTITY
    assert "--bs-body-font-family: var(--portal-font);" in IDENTITY
    assert variables()["--portal-font"].startswith('"Portal Sans"')


def test_the_pdfs_and_the_web_pages_share_the_identity_and_the_fonts():
    pdf_css = fetch_resource("static:css/pdf.css", {})[0].decode()
    assert '@import url("static:css/identity.css");' in pdf_css
    assert fetch_resource("static:css/identity.css", {})[0].decode() == IDENTITY
    portal_css = (STATIC / "css" / "portal.css").read_text()
    for face in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        assert f'url("static:fonts/{face}")' in pdf_css
        assert f'url("../fonts/{face}")' in portal_css
        assert (STATIC / "fonts" / face).exists()
    # The badges, web and PDF alike, are drawn from the identity's statuses.
    document_css = (STATIC / "css" / "document.css").read_text()
    for status in STATUS_COLOURS:
        assert f"background: var(--portal-status-{status});" in document_css
