"""The portal under load, started fresh with production settings, each figure as a ratio to a
static file served by the same gunicorn in the same run.

    python bench/load.py [--rounds 3] [--duration 5] [--connections 8] [--database-url ...]

Needs PostgreSQL (the server of ``--database-url``, by default postgres@127.0.0.1:5432, where it
creates a throwaway database ``techcommit_bench_<random>`` and drops it at the end) and Debian's
``wrk`` (``apt-get install wrk``). Everything listens on the loopback only.

1. ``migrate`` and ``collectstatic`` into a temporary folder, with DEBUG off, a generated
   SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and TASKS_BACKEND=database (HTTPS redirect off: no proxy
   terminates TLS in front of it here).
2. Data: 150 organisations in the directory, one of them with a published 150-action plan
   (its PDF rendered and stored by the worker), and ten draft 150-action plans of other
   organisations, each with a signed-in lead.
3. gunicorn with 2 workers on a free loopback port, and ``manage.py db_worker`` beside it.
4. ``wrk`` (``--duration`` seconds, ``--connections`` connections, two threads, loopback) on a
   static file (the anchor), each public page, the open-data CSV and the stored PDF, in
   ``--rounds`` rounds, each figure a ratio to its round's anchor; then the directory's 95th
   percentile (2 connections, one per gunicorn worker, so that it is the page's latency and
   not a queue of its own making) while ten leads' "Make the PDF" buttons (a POST with its
   CSRF token, as a browser does) have given the worker ten draft PDFs to render, against the
   same with the worker doing nothing. The worker is paused (SIGSTOP to its process group,
   which holds the child each render runs in) while the buttons are pressed; then 3 s windows
   alternate: alone (the worker paused), rendering (the worker running), alone, ... (up to six
   rendering windows, each while drafts are still to be made), so that the other work on the
   machine, which drifts over seconds, weighs on both kinds alike. Each rendering window is
   set against the mean of the two alone windows around it, and the figure is the median of
   those ratios. The CPU time the worker and its render children had during the rendering
   windows is printed too: the worker only takes what the pages and anything else on the
   machine leave (WORKER_PRIORITY), and at the end the bench waits for all ten PDFs.

Prints a row per figure (the median of the rounds: requests per second and the ratio to the
anchor), and ends with:

    pages_min_ratio       the lowest ratio of the four pages (goal: at least 0.25)
    stored_pdf_ratio      the stored published PDF's ratio (goal: at least 0.5)
    p95_under_pdfs_ratio  the directory's p95 while ten draft PDFs render, over its p95 alone
                          (goal: at most 1.2)

Nothing here asserts: targets are read from this output, not from timed tests.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import free_port, wait_for  # noqa: E402 - after the path is set

ACTIONS = 150
ORGANISATIONS = 150
DRAFTS = 10
P95_SECONDS = 3  # each window of the directory's p95
P95_PAIRS = 6  # windows while the worker renders, each between two with it paused
# wrk reports the 95th percentile and the counts through this script (its --latency table has
# no p95).
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests %d\\n", summary.requests))
  io.write(string.format("BENCH seconds %f\\n", summary.duration / 1e6))
  io.write(string.format("BENCH bad %d\\n", summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("BENCH p95_ms %f\\n", latency:percentile(95) / 1000))
end
"""

# Run once, in the bench's database, with the portal's settings: the data, and what the load
# needs to know about it (printed as JSON).
SET_UP = f"""
import json, sys, time
sys.path.insert(0, "bench")
import django; django.setup()
from django.test import Client
from django.templatetags.static import static
from django.urls import reverse
from plan_page import build_plan
from actionplans.enums import PlanStatus
from actionplans.services import transition
from publications.services import publish_plan
from tests.factories import OrganisationFactory

plan, lead = build_plan({ACTIONS})
transition(plan, to=PlanStatus.APPROVED, by=lead, comment="Approved for the benchmark.")
publication = publish_plan(plan, by=lead)  # the worker renders its PDF
drafts = []
for n in range(1, {DRAFTS} + 1):
    draft, draft_lead = build_plan({ACTIONS} + n)  # another organisation's draft plan
    client = Client()
    client.force_login(draft_lead)
    page = reverse("publications:plan_draft_pdf", args=[draft.organisation.slug, draft.pk])
    drafts.append({{"page": page, "session": client.cookies["sessionid"].value}})
OrganisationFactory.create_batch({ORGANISATIONS - 1 - DRAFTS})
slug = plan.organisation.slug
print(json.dumps({{
    "static": static("css/portal.css"),
    "directory": reverse("publications:directory"),
    "organisation": reverse("publications:organisation", args=[slug]),
    "document": reverse("publications:document", args=[slug, publication.pk]),
    "csv": reverse("publications:signatories_csv"),
    "publication": publication.pk,
    "drafts": drafts,
}}))
"""

READY_DRAFTS = """
import django; django.setup()
from publications.enums import PdfState
from publications.models import DraftPdf
print(DraftPdf.objects.filter(state=PdfState.READY).count())
"""

STORED_PDF = """
import sys
import django; django.setup()
from publications.models import Publication
print(Publication.objects.get(pk=int(sys.argv[1])).pdf_url())
"""


def answers(url: str, status: int = 200) -> bool:
    """Whether ``url`` answers ``status`` (redirects not followed)."""
    opener = urllib.request.build_opener(NoRedirects)
    with suppress(OSError):
        try:
            response = opener.open(url, timeout=5)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            return response.status == status
    return False


class Bench:
    def __init__(self, args, env: dict, workdir: Path):
        self.args = args
        self.env = env
        self.workdir = workdir
        self.processes: list[subprocess.Popen] = []
        self.report = workdir / "report.lua"
        self.report.write_text(WRK_REPORT)

    def run(self, code_or_args, *extra) -> str:
        args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args, *extra]
        result = subprocess.run(  # noqa: S603 - our own manage.py and snippets
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if result.returncode:
            raise SystemExit(f"{args[:2]} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(  # noqa: S603 - our own manage.py and gunicorn
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def wrk(self, url: str, connections: int | None = None, seconds: int | None = None) -> dict:
        """One bounded wrk run on ``url``: requests per second, p95 in ms, failed responses."""
        result = subprocess.run(  # noqa: S603 - wrk, on the loopback
            [
                shutil.which("wrk"),
                "--threads",
                "2",
                "--connections",
                str(connections or self.args.connections),
                "--duration",
                f"{seconds or self.args.duration}s",
                "--timeout",
                "10s",
                "--header",
                "Accept-Encoding: gzip",
                "--script",
                str(self.report),
                url,
            ],
            capture_output=True,
            text=True,
            timeout=(seconds or self.args.duration) + 60,
            check=True,
        )
        found = dict(re.findall(r"^BENCH (\w+) ([\d.]+)$", result.stdout, re.MULTILINE))
        return {
            "rps": int(found["requests"]) / float(found["seconds"]),
            "p95_ms": float(found["p95_ms"]),
            "bad": int(found["bad"]),
        }


def press_make_the_pdf(base: str, draft: dict) -> int:
    """What a lead's browser does: open the draft PDF page (its CSRF token and cookie), then
    post the "Make the PDF" button. The answer is a redirect back to the page."""
    opener = urllib.request.build_opener(NoRedirects)
    cookies = {"sessionid": draft["session"]}

    def request(url, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        sent = urllib.request.Request(url, data=body)  # noqa: S310 - the loopback
        sent.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
        try:
            response = opener.open(sent, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.read().decode(errors="replace")

    _, page = request(base + draft["page"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _ = request(base + draft["page"] + "make/", {"csrfmiddlewaretoken": token})
    return status


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def measure(bench: Bench, base: str, found: dict, worker: subprocess.Popen) -> None:
    stored_pdf = bench.run(STORED_PDF, str(found["publication"])).strip()
    targets = [
        ("directory, 150 organisations", found["directory"], "page"),
        ("public organisation page, 150-action plan", found["organisation"], "page"),
        ("public document page", found["document"], "page"),
        ("open-data CSV", found["csv"], "page"),
        ("stored published PDF", stored_pdf, "pdf"),
    ]
    for _, path, _ in targets:  # warm each worker's caches; every address answers 200
        for _ in range(4):
            if not answers(base + path):
                raise SystemExit(f"{path} does not answer 200")
    # Rounds of the anchor and every target, each figure a ratio to its own round's anchor,
    # the median of the rounds reported: a busy moment of the machine moves a round, not a row.
    ratios = {what: [] for what, _, _ in targets}
    rates = {what: [] for what, _, _ in targets}
    anchors = []
    for round_number in range(bench.args.rounds):
        anchor = bench.wrk(base + found["static"])["rps"]
        anchors.append(anchor)
        shift = round_number % len(targets)
        for what, path, _ in targets[shift:] + targets[:shift]:
            result = bench.wrk(base + path)
            if result["bad"]:
                raise SystemExit(f"{path}: {result['bad']} requests failed")
            rates[what].append(result["rps"])
            ratios[what].append(result["rps"] / anchor)

    print(
        f"# {bench.args.rounds} rounds of {bench.args.duration} s runs, "
        f"{bench.args.connections} connections, wrk on the loopback; medians"
    )
    anchor_rps = statistics.median(anchors)
    print(f"| what | req/s | ratio to the static file ({anchor_rps:.0f} req/s) |")
    print("|---|---|---|")
    kinds = {"page": [], "pdf": []}
    for what, _, kind in targets:
        ratio = statistics.median(ratios[what])
        kinds[kind].append(ratio)
        print(f"| {what} | {statistics.median(rates[what]):.0f} | {ratio:.3f}x |")

    # The directory's p95 with the worker idle and with it rendering, in alternate windows: the
    # worker is paused (SIGSTOP) while the ten drafts are requested and during each "alone"
    # window, and runs (SIGCONT) only during each "under" window, so that the other work on the
    # machine, which drifts over seconds, weighs on both kinds of window alike.
    directory = base + found["directory"]
    # One connection per gunicorn worker: the directory's own latency, not a queue it made.
    connections = 2

    def window() -> float:
        return bench.wrk(directory, connections, P95_SECONDS)["p95_ms"]

    def made() -> int:
        return int(bench.run(READY_DRAFTS).strip())

    def cpu_seconds() -> float:
        """The user and system time so far of the worker's session (the worker and the child
        each render runs in), with its children that ended (the worker's cutime, cstime)."""
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[3]) == worker.pid:  # its session
                    ticks += int(fields[11]) + int(fields[12])
                    if stat.parent.name == str(worker.pid):
                        ticks += int(fields[13]) + int(fields[14])
        return ticks / os.sysconf("SC_CLK_TCK")

    # The worker's process group: the worker and the child a render runs in.
    os.killpg(worker.pid, signal.SIGSTOP)
    try:
        statuses = [press_make_the_pdf(base, draft) for draft in found["drafts"]]
        if statuses != [303] * len(statuses):
            raise SystemExit(f"The draft PDF buttons answered {statuses}")
        alone = [window()]
        under = []
        worker_cpu = 0.0
        while len(under) < P95_PAIRS:
            started = cpu_seconds()
            os.killpg(worker.pid, signal.SIGCONT)
            try:
                rendering = window()
            finally:
                os.killpg(worker.pid, signal.SIGSTOP)
            ready = made()
            if ready == DRAFTS:  # the renders may have ended before the window did
                break
            under.append(rendering)
            worker_cpu += cpu_seconds() - started
            alone.append(window())
    finally:
        os.killpg(worker.pid, signal.SIGCONT)
    if len(under) < 2:
        raise SystemExit(f"The worker made the ten PDFs within {len(under) + 1} windows")
    print(
        f"# the worker had {worker_cpu:.1f} s of CPU in the {len(under) * P95_SECONDS} s it ran"
        f" ({ready} of {DRAFTS} made by then)"
    )
    wait_for(
        "the worker to make the ten draft PDFs", lambda: made() == DRAFTS, timeout=1200, every=2
    )
    print("# directory p95 alone: " + ", ".join(f"{w:.1f}" for w in alone) + " ms")
    print(
        "# directory p95 while the worker renders: " + ", ".join(f"{w:.1f}" for w in under) + " ms"
    )
    # Each window while the worker renders over the mean of the two alone windows around it.
    ratios = [u / ((alone[i] + alone[i + 1]) / 2) for i, u in enumerate(under)]
    print("# each over its neighbours alone: " + ", ".join(f"{r:.2f}" for r in ratios))
    p95_ratio = statistics.median(ratios)
    print(
        f"| directory p95 while {DRAFTS} draft PDFs render ({len(under)} windows of"
        f" {P95_SECONDS} s) | {statistics.median(under):.1f} ms vs"
        f" {statistics.median(alone):.1f} ms alone (medians) | {p95_ratio:.2f}x |"
    )
    print(f"pages_min_ratio {min(kinds['page']):.3f}")
    print(f"stored_pdf_ratio {kinds['pdf'][0]:.3f}")
    print(f"p95_under_pdfs_ratio {p95_ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (and a database to connect to) to make the bench's on",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("bench/load.py needs wrk: apt-get install wrk")

    import psycopg
    from psycopg import sql

    server = urllib.parse.urlsplit(args.database_url)
    name = f"techcommit_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    workdir = Path(tempfile.mkdtemp(prefix="techcommit-bench-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}},
        "DJANGO_SETTINGS_MODULE": "techcommit.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": urllib.parse.urlunsplit(server._replace(path=f"/{name}")),
        "TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # one app server: the cache is the database's table
    bench = Bench(args, env, workdir)
    try:
        bench.run(["manage.py", "migrate", "--no-input", "-v0"])
        bench.run(["manage.py", "collectstatic", "--no-input", "-v0"])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        worker = bench.start("worker", ["manage.py", "db_worker", "--interval", "0.5"])
        found = json.loads(bench.run(SET_UP).strip().splitlines()[-1])
        bench.start(
            "gunicorn",
            ["-m", "gunicorn", "techcommit.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--timeout", "60"],
        )
        wait_for("gunicorn to answer /healthz", lambda: answers(f"{base}/healthz"), timeout=120)
        wait_for(
            "the worker to store the published PDF",
            lambda: answers(f"{base}{found['document']}pdf/", 302),
            timeout=120,
        )
        policy = {os.SCHED_OTHER: "normal", os.SCHED_IDLE: "idle"}.get(
            os.sched_getscheduler(worker.pid), "other"
        )
        group = Path(f"/proc/{worker.pid}/autogroup")
        group = group.read_text().split()[-1] if group.exists() else "none"
        print(f"# the worker's CPU priority: {policy}, its session's niceness {group}")
        measure(bench, base, found, worker)
    finally:
        bench.stop()
        with psycopg.connect(args.database_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
