"""Health: /healthz says the process is alive and asks nothing else; /readyz checks the database,
the cache, migrations and (with the database task backend) the worker's heartbeat, and answers
JSON with each check's result and time."""

import json
import signal
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from techcommit.health import Heartbeat
from techcommit.models import WorkerHeartbeat
from tests.processes import SECRET, run

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}


def answer(response) -> tuple[int, dict]:
    return response.status_code, json.loads(response.content)


def check_names_and_results(body: dict) -> dict:
    """Each check's name and whether it passed; every check says how long it took."""
    assert all(isinstance(result["ms"], float) for result in body["checks"].values()), body
    return {name: result["ok"] for name, result in body["checks"].items()}


def test_liveness_asks_no_dependency_and_readiness_reports_the_database_down():
    code = (
        "import django; django.setup()\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "from django.test import Client\n"
        "for url in ('/healthz', '/readyz'):\n"
        "    r = Client().get(url)\n"
        "    print(r.status_code, r.content.decode())\n"
    )
    # Port 1 on the loopback interface: nothing listens there, so the connection is refused.
    result = run(
        code,
        DJANGO_SETTINGS_MODULE="techcommit.settings",
        DEBUG="true",
        REDIS_URL="",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/unreachable",
    )
    healthz, readyz = result.stdout.strip().splitlines()
    assert healthz == '200 {"status": "ok", "checks": {}}', result.stderr
    status, body = readyz.split(" ", 1)
    body = json.loads(body)
    assert (status, body["status"]) == ("503", "unavailable")
    assert body["checks"]["database"] == {"ok": False, "error": "failed (the log says why)"} | {
        "ms": body["checks"]["database"]["ms"]
    }
    assert "127.0.0.1" not in readyz  # the reason goes to the log, not to the public


def test_readiness_reports_a_redis_that_cannot_be_reached(tmp_path):
    code = (
        "import django, json; django.setup()\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "from django.test import Client\n"
        "r = Client().get('/readyz')\n"
        "print(r.status_code, json.dumps({k: v['ok'] for k, v in r.json()['checks'].items()}))\n"
    )
    result = run(
        code,
        DJANGO_SETTINGS_MODULE="techcommit.settings",
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",  # new and empty
        REDIS_URL="redis://127.0.0.1:1/0",  # nothing listens on port 1
    )
    assert result.stdout.strip() == (
        '503 {"database": true, "cache": false, "migrations": false}'
    ), result.stderr


def test_readiness_with_everything_up_lists_each_check(client, db):
    status, body = answer(client.get("/readyz"))
    assert (status, body["status"]) == (200, "ok")
    # The immediate task backend has no worker to wait for.
    assert check_names_and_results(body) == {"database": True, "cache": True, "migrations": True}


def test_load_balancers_may_ask_with_head(client, db):
    assert client.head("/readyz").status_code == 200
    assert client.head("/healthz").status_code == 200


def test_a_migration_not_applied_makes_the_portal_unready(client, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations"
            " WHERE app = 'techcommit' AND name = '0003_worker_heartbeat'"
        )
    status, body = answer(client.get("/readyz"))
    assert (status, check_names_and_results(body)["migrations"]) == (503, False)
    assert (
        body["checks"]["migrations"]["error"] == "1 not applied: techcommit.0003_worker_heartbeat"
    )


@pytest.fixture
def database_tasks(settings):
    settings.TASKS_BACKEND = "database"
    settings.TASKS = DATABASE_TASKS
    settings.WORKER_HEARTBEAT_MAX_AGE = 120


def test_with_database_tasks_a_worker_that_never_reported_makes_the_portal_unready(
    client, db, database_tasks
):
    status, body = answer(client.get("/readyz"))
    assert (status, body["status"]) == (503, "unavailable")
    assert body["checks"]["worker"]["error"] == (
        "no worker has ever reported: is manage.py db_worker running?"
    )


def test_with_database_tasks_a_recent_heartbeat_is_ready_and_a_stale_one_is_not(
    client, db, database_tasks
):
    Heartbeat("worker-1").beat()
    status, body = answer(client.get("/readyz"))
    assert (status, check_names_and_results(body)) == (
        200,
        {"database": True, "cache": True, "migrations": True, "worker": True},
    )

    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=300))
    status, body = answer(client.get("/readyz"))
    assert status == 503
    assert body["checks"]["worker"]["error"] == "last heartbeat 300 s ago, more than 120 s"


def test_the_database_worker_writes_its_heartbeat(transactional_db, database_tasks):
    # A real transaction: between tasks the worker closes a connection left inside one.
    # The worker installs its own signal handlers; put pytest's back afterwards.
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    before = timezone.now()
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "worker-7")
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.worker_id == "worker-7"
    assert heartbeat.beat_at >= before


def test_health_checks_are_exempt_from_the_https_redirect_and_the_host_check():
    code = (
        "import django; django.setup()\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "from django.test import Client\n"
        "for url in ('/healthz', '/readyz', '/'):\n"
        "    r = Client().get(url)\n"
        "    print(url, r.status_code, r.get('Content-Type'))\n"
        "for url in ('/healthz', '/readyz'):\n"
        "    r = Client().get(url, HTTP_HOST='10.0.3.7:8000', secure=True)\n"
        "    print('by address', url, r.status_code)\n"
    )
    result = run(
        code,
        DJANGO_SETTINGS_MODULE="techcommit.settings",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="example.org",
        REDIS_URL="",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/unreachable",
    )
    assert result.stdout.strip().splitlines() == [
        "/healthz 200 application/json",
        "/readyz 503 application/json",
        "/ 301 text/html; charset=utf-8",
        # A load balancer asks by the server's address, which ALLOWED_HOSTS does not name.
        "by address /healthz 200",
        "by address /readyz 503",
    ], result.stderr


def test_only_the_health_checks_answer_a_host_the_portal_does_not_serve(client, db, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").json()["status"] == "ok"
    assert client.get("/readyz", HTTP_HOST="10.0.3.7:8000").json()["checks"]["database"]["ok"]
    assert client.get("/directory/", HTTP_HOST="10.0.3.7:8000").status_code == 400
    assert client.get("/directory/", HTTP_HOST="portal.example.org").status_code == 200
    # Not even once the page is kept for visitors without cookies.
    assert client.get("/directory/", HTTP_HOST="10.0.3.7:8000").status_code == 400


def test_health_checks_do_not_send_a_reviewer_to_set_up_two_factors(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_reviewer=True))  # no authenticator yet
    assert client.get("/").status_code == 302
    status, body = answer(client.get("/readyz"))
    assert (status, body["status"]) == (200, "ok")


def test_the_heartbeat_keeps_beating_while_the_worker_runs(transactional_db, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 4  # a beat every second
    heartbeat = Heartbeat("worker-9")
    heartbeat.start()
    first = WorkerHeartbeat.objects.get().beat_at
    try:
        deadline = time.monotonic() + 10
        while WorkerHeartbeat.objects.get().beat_at == first and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        heartbeat.stop()
    assert WorkerHeartbeat.objects.get().beat_at > first


def test_favicon_ico_leads_to_the_one_icon(client):
    """Pages that link no icon (the Django admin's) make browsers ask for /favicon.ico: they are
    sent to the icon base.html links, not to a 404 page in the console."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    assert client.post("/favicon.ico").status_code == 405
