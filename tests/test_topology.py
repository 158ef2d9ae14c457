"""The deployment topology, run for real (README, "Deployment"): two gunicorn app servers on
different loopback ports and one ``manage.py db_worker``, sharing one PostgreSQL database (of this
test's own), one Redis and one media folder, with production settings (DEBUG off).

* a session made on server A is valid on server B;
* failed sign-ins split across A and B meet one throttle;
* a document published on A gets its PDF from the worker and downloads from B;
* a worker killed with SIGKILL in the middle of a render is replaced, and the PDF is rendered
  to the end and stored exactly once.

Needs PostgreSQL (DATABASE_URL naming a PostgreSQL server) and REDIS_URL; on a laptop without
them it is skipped with the reason, in CI (CI set; .ci/run starts both) it fails instead.
"""

import hashlib
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from contextlib import suppress
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import PASSWORD
from tests.postgres import connect, database_of_its_own
from tests.processes import ROOT, SECRET, free_port, run, wait_for

LEAD = "lead@ravensholme.ac.uk"
OTHER = "officer@ravensholme.ac.uk"
RENDER_DELAY = 4  # seconds each render waits first (PDF_RENDER_DELAY, test-only)
HEARTBEAT_MAX_AGE = 3  # the worker beats every second; a silent one is dead after 3 s

# Run once in the topology's database: a signatory, its lead, another person, an approved plan.
SET_UP = f"""
import django; django.setup()
from datetime import date
from actionplans import services
from actionplans.enums import PlanStatus
from actionplans.models import ActionPlan
from signatories.enums import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
organisation = OrganisationFactory(name="University of Ravensholme", slug="ravensholme")
lead = UserFactory(email="{LEAD}", full_name="Lena Lead")
MembershipFactory(organisation=organisation, user=lead, role=Role.LEAD)
MembershipFactory(organisation=organisation, user=UserFactory(email="{OTHER}"), role=Role.SPONSOR)
plan = services.create_plan(organisation, by=lead, starts_on=date(2026, 12, 1))
services.add_action(
    plan.headings.get(theme__slug="visibility"), by=lead,
    title="Name technicians on every research output",
)
ActionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
print(plan.pk)
"""


def needs(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI runs the topology test: {reason}")
    print(f"\nSkipping the topology test: {reason}")  # noqa: T201 - the reason, printed
    pytest.skip(reason)


@pytest.fixture
def postgres_and_redis():
    if connection.vendor != "postgresql":
        needs("it needs PostgreSQL: run with DATABASE_URL=postgres://...")
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        needs("it needs Redis: run with REDIS_URL=redis://127.0.0.1:6379/<n>")
    return connection.settings_dict, redis_url


@pytest.fixture
def topology_database(postgres_and_redis):
    """A PostgreSQL database of the topology's own, dropped afterwards: a connection, its URL."""
    database, _ = postgres_and_redis
    with (
        database_of_its_own(database, "techcommit_topology") as (name, url),
        connect(database, name) as conn,
    ):
        yield conn, url


class Browser:
    """A browser behind the load balancer: plain HTTP with one cookie jar, whichever server
    answers. The balancer passes on the public host name (here 127.0.0.1), so every server sees
    the same Host header: allauth's sign-in throttle counts per host and address. (The session
    and CSRF cookies are Secure in production; behind the balancer's TLS they come back, so the
    jar sends them over the loopback's plain HTTP too.)"""

    host = "127.0.0.1"

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirects)

    def request(self, url: str, data: dict | None = None) -> tuple[int, dict, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Host": self.host})  # noqa: S310
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(header).items():
                    self.cookies[key] = morsel.value
            return response.status, dict(response.headers), response.read()

    def download(self, url: str) -> tuple[int, dict, bytes]:
        """A published PDF: its stable address sends on to the versioned one, on the same server."""
        status, headers, body = self.request(url)
        if status == 302:
            status, headers, body = self.request(urllib.parse.urljoin(url, headers["Location"]))
        return status, headers, body

    def get(self, url: str) -> tuple[int, str]:
        status, _, body = self.request(url)
        return status, body.decode(errors="replace")

    def post_form(self, page_url: str, action_url: str, fields: dict) -> tuple[int, dict, str]:
        """Open a page for its CSRF token, then post ``fields`` to ``action_url``."""
        _, page = self.get(page_url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, headers, body = self.request(action_url, {"csrfmiddlewaretoken": token, **fields})
        return status, headers, body.decode(errors="replace")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Topology:
    """The processes of one deployment; every one is killed at the end."""

    def __init__(self, env: dict, logs: Path):
        self.env = env
        self.logs = logs
        self.processes: list[subprocess.Popen] = []

    def start(self, name: str, args: list[str], **extra) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env={**self.env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes.append(process)
        return process

    def app_server(self, name: str) -> str:
        port = free_port()
        self.start(
            name,
            ["-m", "gunicorn", "techcommit.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1", "--threads", "2", "--timeout", "60"],
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{name} to answer /healthz", lambda: self.answers(f"{base}/healthz"))
        return base

    def worker(self, name: str) -> subprocess.Popen:
        return self.start(
            name, ["manage.py", "db_worker", "--worker-id", name, "--interval", "0.5"]
        )

    @staticmethod
    def answers(url: str) -> bool:
        with suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return response.status == 200
        return False

    def log(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.logs.glob("*.log"))
        )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def publication_row(conn, publication_id: int) -> dict:
    row = conn.execute(
        "SELECT pdf, pdf_state, pdf_attempts, pdf_sha256 FROM publications_publication"
        " WHERE id = %s",
        [publication_id],
    ).fetchone()
    return dict(zip(["pdf", "pdf_state", "pdf_attempts", "pdf_sha256"], row, strict=True))


def render_tasks(conn) -> list[tuple[str, list]]:
    return conn.execute(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
        " WHERE task_path = 'publications.tasks.render_pdf' ORDER BY enqueued_at"
    ).fetchall()


def test_two_app_servers_and_a_worker_share_sessions_throttles_and_pdfs(
    postgres_and_redis, topology_database, tmp_path
):
    _, redis_url = postgres_and_redis
    conn, database_url = topology_database
    media = tmp_path / "media"  # the shared storage every process mounts
    logs = tmp_path / "logs"
    logs.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DJANGO_SETTINGS_MODULE": "tests.topology_settings",
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(media),
        "WORKER_HEARTBEAT_MAX_AGE": str(HEARTBEAT_MAX_AGE),
        "PDF_RENDER_DELAY": str(RENDER_DELAY),
        "TASK_RETRY_BASE_SECONDS": "1",
    }
    result = run(["manage.py", "migrate", "--no-input"], **env)
    assert result.returncode == 0, result.stderr
    result = run(SET_UP, **env)
    assert result.returncode == 0, result.stderr
    plan_id = int(result.stdout.strip())

    topology = Topology(env, logs)
    try:
        a = topology.app_server("app-a")
        b = topology.app_server("app-b")
        topology.worker("worker-1")

        # A session made on A is valid on B.
        lead = Browser()
        status, headers, _ = lead.post_form(
            f"{a}/accounts/login/", f"{a}/accounts/login/", {"login": LEAD, "password": PASSWORD}
        )
        assert (status, "sessionid" in lead.cookies) == (302, True), topology.log()
        manage = "/organisations/ravensholme/publications/"
        status, page = lead.get(f"{b}{manage}")
        assert status == 200, topology.log()
        assert "Publications of University of Ravensholme" in page

        # Failed sign-ins split across A and B meet one throttle: the sixth, with the right
        # password, is refused wherever it lands.
        officer = Browser()
        for server in (a, b, a, b, a):
            _, _, page = officer.post_form(
                f"{server}/accounts/login/",
                f"{server}/accounts/login/",
                {"login": OTHER, "password": "not the password"},
            )
            assert "The email address and/or password you specified are not correct." in page
        status, headers, page = officer.post_form(
            f"{b}/accounts/login/", f"{b}/accounts/login/", {"login": OTHER, "password": PASSWORD}
        )
        assert "Too many failed login attempts. Try again later." in page, topology.log()
        assert "sessionid" not in officer.cookies

        # Published on A; rendered by the worker; downloaded from B.
        status, headers, _ = lead.post_form(
            f"{a}{manage}", f"{a}{manage}action-plans/{plan_id}/publish/", {}
        )
        assert status == 302, topology.log()
        (first,) = conn.execute("SELECT id FROM publications_publication").fetchone()
        pdf_url = f"{b}/directory/ravensholme/documents/{first}/pdf/"
        assert lead.get(pdf_url)[0] == 202  # being prepared
        wait_for(
            "the worker to render the first PDF",
            lambda: publication_row(conn, first)["pdf_state"] == "ready",
            timeout=40,
        )
        status, headers, body = Browser().download(pdf_url)
        assert (status, headers["Content-Type"], body[:5]) == (200, "application/pdf", b"%PDF-")

        # Published again; the worker is killed with SIGKILL in the middle of the render.
        lead.post_form(f"{a}{manage}", f"{a}{manage}action-plans/{plan_id}/publish/", {})
        (second,) = conn.execute(
            "SELECT id FROM publications_publication WHERE id <> %s", [first]
        ).fetchone()
        wait_for(
            "the worker to start the second render",
            lambda: publication_row(conn, second)["pdf_attempts"] == 1,
        )
        killed = topology.processes[2]
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(timeout=10)
        assert publication_row(conn, second)["pdf_state"] == "pending"

        topology.worker("worker-2")  # restarted: it finds the task the dead worker left
        wait_for(
            "the new worker to render the second PDF",
            lambda: publication_row(conn, second)["pdf_state"] == "ready",
            timeout=40,
        )
        row = publication_row(conn, second)
        stored = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
        assert len(stored) == 2, stored  # one file for each publication
        assert row["pdf"] in stored
        assert hashlib.sha256((media / row["pdf"]).read_bytes()).hexdigest() == row["pdf_sha256"]
        # Two attempts (the killed one and the one that finished), one task run to the end.
        assert row["pdf_attempts"] == 2
        assert render_tasks(conn) == [
            ("SUCCESSFUL", ["worker-1"]),
            ("SUCCESSFUL", ["worker-1", "worker-2"]),
        ]
        status, _, body = Browser().download(f"{b}/directory/ravensholme/documents/{second}/pdf/")
        assert (status, body[:5]) == (200, b"%PDF-")
    finally:
        topology.stop()
