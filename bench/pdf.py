"""The cost of a 150-action plan's PDF: through the portal, straight through WeasyPrint, and
laid out as one plain table; then a stored PDF's download beside a static file's.

    python bench/pdf.py [--runs 5] [--actions 150]

Builds the plan in a throwaway database (as bench/plan_page.py does) and prints, one per line:

    portal_s            median seconds of what the worker does for the draft plan's PDF (its
                        queries, template and WeasyPrint: everything the portal adds)
    direct_s            median seconds of WeasyPrint alone on the same HTML, same options
    direct_no_ua_s      the same HTML without PDF/UA (no tagging)
    plain_table_s       the same actions' text as one plain HTML table: no headings, captions,
                        keys or status styling, and no PDF/UA
    portal_pages, plain_table_pages   the page counts of the two PDFs (PDF/UA or not, the
                        portal's document has the same pages)
    peak_mb             Python heap peak of one portal render (tracemalloc)
    max_rss_mb          the process's resident-memory high-water mark (includes pango's)
    pdf_kb              the size of the plan's PDF
    stored_download_ms  median of a second download of the published plan's stored PDF
    static_download_ms  median download of the static file closest in size to that PDF
    plan_pdf_clipped_cells  cells of two 150-action plans (three phases; three focus years), each
                        with 1,000-character comments, whose text is not all in the PDF or lies
                        outside the page (tests/pdf_text.py reads the PDF back); should be 0
    pdf_vs_plain_table  portal_s / plain_table_s: what the layout, the tagging and the
                        portal's work cost over the plainest PDF of the same text
    pdfua_cost          direct_s / direct_no_ua_s: what PDF/UA's tagging costs the same document
    pdf_ratio           portal_s / direct_s (last line): what the portal adds to WeasyPrint

Nothing here asserts: targets are read from this output, not from timed tests.
"""

import argparse
import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techcommit.settings")
os.environ.setdefault("DEBUG", "true")


def median_time(function, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def plain_table_html(plan_data: dict) -> str:
    """The plan's cells as one plain table: no heading rows, captions, keys or status colours."""
    from django.utils.html import escape

    from actionplans.layout import plan_layout

    layout = plan_layout(plan_data)
    head = ["Action", "Led by", *(c["label"] for c in layout["timing"])]
    head += ["Success criteria", "Status", "Comment"]
    rows = [
        [
            row["title"],
            ", ".join(row["owners"]),
            *row["timing"],
            row["success_criteria"],
            row["status_word"],
            row["comment"],
        ]
        for heading in layout["headings"]
        for row in heading["rows"]
    ]
    cells = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(plan_data['title'])}</title><style>"
        '@font-face { font-family: "Portal Sans"; src: url("static:fonts/DejaVuSans.ttf"); }'
        "@page { size: A4 landscape; margin: 14mm; }"
        'html { font: 8pt "Portal Sans"; } table { border-collapse: collapse; width: 100%; }'
        "td, th { border: 0.5pt solid #999; padding: 1mm; vertical-align: top; }"
        "</style></head><body><table><thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + f"</tr></thead><tbody>{cells}</tbody></table></body></html>"
    )


def clipped_plan_cells(actions: int) -> int:
    """How many cells of long landscape plans do not print whole and on the page."""
    from types import SimpleNamespace

    from publications.enums import PublicationKind
    from publications.pdf import Document, PlanPdf
    from tests.pdf_text import clipped_cells, long_plan, plan_cells

    organisation = SimpleNamespace(name="Bench University", short_name="Bench")
    clipped = 0
    for style in ("phases", "years"):
        plan = long_plan(style, actions=actions, comment=1000)
        document = Document(
            kind=PublicationKind.ACTION_PLAN,
            title=plan["title"],
            organisation=organisation,
            content=plan,
            version=1,
        )
        _, _, data = PlanPdf().render(document)
        clipped += len(clipped_cells(data, plan_cells(plan)))
    return clipped


def page_count(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def closest_static_file(size: int) -> str:
    """The static path (e.g. ``css/portal.css``) whose file size is nearest ``size``."""
    from django.contrib.staticfiles import finders

    candidates = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["*.map"]):
            candidates.append((abs(storage.size(path) - size), path.replace(os.sep, "/")))
    return min(candidates)[1]


def download_ms(client, url: str, runs: int) -> tuple[float, int]:
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content)
        response.close()
        return body

    size = len(get())  # the first download; the timed ones are the second and later
    return median_time(get, runs) * 1000, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--actions", type=int, default=150)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    databases = runner.setup_databases()
    import logging
    import tempfile

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    try:
        with tempfile.TemporaryDirectory() as media:
            settings.MEDIA_ROOT = media
            run(args, settings)
    finally:
        runner.teardown_databases(databases)


def run(args, settings) -> None:
    from django.test import Client
    from plan_page import build_plan
    from weasyprint import HTML

    from actionplans.enums import PlanStatus
    from actionplans.services import transition
    from publications.enums import PdfState
    from publications.pdf import PDF_OPTIONS, PlanPdf, draft_plan, url_fetcher
    from publications.services import publish_plan

    plan, lead = build_plan(args.actions)
    untagged = {k: v for k, v in PDF_OPTIONS.items() if k != "pdf_variant"}

    def portal():
        # What the worker runs for the draft PDF button (publications/drafts.py), bar storing.
        return PlanPdf().render(draft_plan(plan))[2]

    data = portal()  # warm templates, fonts and WeasyPrint's caches
    html = PlanPdf().html(draft_plan(plan))
    plain = plain_table_html(draft_plan(plan).content)

    def direct():
        return HTML(string=html, url_fetcher=url_fetcher()).write_pdf(**PDF_OPTIONS)

    def direct_no_ua():
        return HTML(string=html, url_fetcher=url_fetcher()).write_pdf(**untagged)

    def plain_table():
        return HTML(string=plain, url_fetcher=url_fetcher()).write_pdf(**untagged)

    direct()
    direct_no_ua()
    plain_data = plain_table()
    # Interleaved rounds, each in a different order, so that neither a slow moment of the
    # machine nor going first or last favours one of them.
    functions = [
        ("portal", portal),
        ("direct", direct),
        ("no_ua", direct_no_ua),
        ("plain", plain_table),
    ]
    timings = {name: [] for name, _ in functions}
    for round_number in range(args.runs):
        shift = round_number % len(functions)
        for name, function in functions[shift:] + functions[:shift]:
            gc.collect()
            start = time.perf_counter()
            function()
            timings[name].append(time.perf_counter() - start)
    portal_s, direct_s, no_ua_s, plain_s = (statistics.median(timings[n]) for n in timings)

    tracemalloc.start()
    portal()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    transition(plan, to=PlanStatus.APPROVED, by=lead, comment="Approved for the benchmark.")
    publication = publish_plan(plan, by=lead)  # renders and stores now (immediate backend)
    publication.refresh_from_db()
    assert publication.pdf_state == PdfState.READY, publication.pdf_state
    anonymous = Client()
    # The versioned address the public pages link to (the plain one sends on to it).
    stored_ms, stored_size = download_ms(anonymous, publication.pdf_url(), args.runs * 4)
    static_path = closest_static_file(stored_size)
    static_ms, static_size = download_ms(
        anonymous, settings.STATIC_URL + static_path, args.runs * 4
    )

    print(f"# {args.actions}-action plan, {len(data) // 1024} kB PDF, median of {args.runs} runs")
    print(f"portal_s {portal_s:.3f}")
    print(f"direct_s {direct_s:.3f}")
    print(f"direct_no_ua_s {no_ua_s:.3f}")
    print(f"plain_table_s {plain_s:.3f}")
    print(f"portal_pages {page_count(data)}")
    print(f"plain_table_pages {page_count(plain_data)}")
    print(f"peak_mb {peak / 2**20:.1f}")
    print(f"max_rss_mb {max_rss_kb / 1024:.0f}")
    print(f"pdf_kb {stored_size / 1024:.0f}")
    print(f"stored_download_ms {stored_ms:.2f}")
    print(f"static_download_ms {static_ms:.2f} ({static_path}, {static_size / 1024:.0f} kB)")
    print(f"plan_pdf_clipped_cells {clipped_plan_cells(args.actions)}")
    print(f"pdf_vs_plain_table {portal_s / plain_s:.3f}")
    print(f"pdfua_cost {direct_s / no_ua_s:.3f}")
    print(f"pdf_ratio {portal_s / direct_s:.3f}")


if __name__ == "__main__":
    main()
