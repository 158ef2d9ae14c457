"""Settings that fail closed. Some run manage.py in a subprocess, with its own environment, as a
deployment would. (The health checks are in test_health.py.)"""

import pytest

from techcommit.env import env_bool, env_int, env_list
from tests.processes import SECRET, run


def test_without_debug_a_missing_secret_key_stops_start_up():
    result = run(["manage.py", "check"], ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_without_debug_missing_allowed_hosts_stops_start_up():
    result = run(["manage.py", "check"], SECRET_KEY=SECRET)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off." in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="False",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="example.org",
    )
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    ), result.stderr


def test_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n")
    code = (
        "import django; django.setup(); from django.conf import settings as s; print(s.SECRET_KEY)"
    )
    result = run(
        code,
        DJANGO_SETTINGS_MODULE="techcommit.settings",
        SECRET_KEY_FILE=str(secret_file),
        ALLOWED_HOSTS="example.org",
    )
    assert result.stdout.strip() == SECRET, result.stderr


def test_env_helpers_read_typed_values(monkeypatch):
    monkeypatch.setenv("TC_FLAG", "Yes")
    monkeypatch.setenv("TC_NUMBER", "42")
    monkeypatch.setenv("TC_HOSTS", "a.example.org, b.example.org,")
    assert (env_bool("TC_FLAG", False), env_int("TC_NUMBER", 0), env_list("TC_HOSTS")) == (
        True,
        42,
        ["a.example.org", "b.example.org"],
    )


@pytest.mark.parametrize(("reader", "value"), [(env_bool, "maybe"), (env_int, "forty")])
def test_env_helpers_fail_loudly_on_values_they_do_not_understand(monkeypatch, reader, value):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("TC_VALUE", value)
    with pytest.raises(ImproperlyConfigured, match="TC_VALUE must be"):
        reader("TC_VALUE", 0)


def test_e_mail_links_in_production_never_point_at_a_development_address():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.SITE_URL)"
    default = run(code, SECRET_KEY=SECRET, ALLOWED_HOSTS="portal.example.org,example.org")
    assert default.stdout.strip() == "https://portal.example.org"
    chosen = run(
        code, SECRET_KEY=SECRET, ALLOWED_HOSTS="example.org", SITE_URL="https://tc.example.org/"
    )
    assert chosen.stdout.strip() == "https://tc.example.org"


def test_an_api_rate_limit_the_portal_cannot_read_stops_start_up():
    result = run(
        ["manage.py", "check"],
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="example.org",
        API_ANONYMOUS_RATE="lots",
    )
    assert result.returncode != 0
    assert "API_ANONYMOUS_RATE must be a number of requests per period" in result.stderr


@pytest.mark.parametrize(
    "name", ["CONSULTATION_RESPONSE_RATE_LIMIT", "CONSULTATION_WITHDRAWAL_RATE_LIMIT"]
)
def test_a_consultation_rate_limit_the_portal_cannot_read_stops_start_up(name):
    result = run(
        ["manage.py", "check"], SECRET_KEY=SECRET, ALLOWED_HOSTS="example.org", **{name: "100/h"}
    )
    assert result.returncode != 0
    assert f"{name} must be a number of answers per period from one address" in result.stderr


def test_production_keeps_database_connections_and_development_does_not():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    production = run(code, SECRET_KEY=SECRET, ALLOWED_HOSTS="example.org")
    assert production.stdout.strip() == "600 True", production.stderr
    development = run(code, DEBUG="true")
    assert development.stdout.strip() == "0 True", development.stderr
    chosen = run(code, SECRET_KEY=SECRET, ALLOWED_HOSTS="example.org", DATABASE_CONN_MAX_AGE="60")
    assert chosen.stdout.strip() == "60 True", chosen.stderr


def test_the_worker_yields_the_cpu_in_production_and_a_bad_priority_stops_start_up():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.WORKER_PRIORITY)"
    )
    production = run(code, SECRET_KEY=SECRET, ALLOWED_HOSTS="example.org")
    assert production.stdout.strip() == "idle", production.stderr
    assert run(code, DEBUG="true").stdout.strip() == "normal"
    refused = run(code, DEBUG="true", WORKER_PRIORITY="highest")
    assert "WORKER_PRIORITY" in refused.stderr
    assert refused.returncode != 0


@pytest.mark.parametrize(("priority", "policy", "lowered_by"), [("idle", 5, 0), ("low", 0, 10)])
def test_the_worker_lowers_its_own_priority(priority, policy, lowered_by):
    # What `manage.py db_worker` does first, in a process of its own: the scheduling policy
    # (5 is SCHED_IDLE) and the niceness it ends up with (at most 19, the lowest, so that the
    # suite also passes when it is itself run with `nice`).
    code = (
        "import os, django; django.setup(); "
        "from techcommit.management.commands.db_worker import lower_priority; "
        "start = os.nice(0); lower_priority(os.environ['PRIORITY']); "
        "print(os.sched_getscheduler(0), start, os.nice(0))"
    )
    result = run(
        code, DEBUG="true", DJANGO_SETTINGS_MODULE="techcommit.settings", PRIORITY=priority
    )
    got_policy, start, end = map(int, result.stdout.split())
    assert (got_policy, end) == (policy, min(19, start + lowered_by)), result.stderr


@pytest.mark.parametrize(("priority", "expected"), [("idle", "19"), ("low", "10"), ("normal", "0")])
def test_a_worker_in_a_session_of_its_own_lowers_the_sessions_group_too(priority, expected):
    # Linux schedules each session's autogroup as one: SCHED_IDLE or a niceness counts only
    # inside it, so a worker in a session of its own has to lower its group too (sched(7)).
    code = (
        "import os, django; django.setup(); "
        "from techcommit.management.commands.db_worker import lower_priority; "
        "os.setsid(); lower_priority(os.environ['PRIORITY']); "
        "print(open('/proc/self/autogroup').read().split()[-1])"
    )
    result = run(
        code, DEBUG="true", DJANGO_SETTINGS_MODULE="techcommit.settings", PRIORITY=priority
    )
    assert result.stdout.strip() == expected, result.stderr


def test_a_worker_sharing_its_session_leaves_the_sessions_group_alone():
    # Started beside other programs from one shell (the web workers, perhaps): their group too.
    code = (
        "import os, django; django.setup(); "
        "from techcommit.management.commands.db_worker import lower_priority; "
        "before = open('/proc/self/autogroup').read(); lower_priority('idle'); "
        "print(os.sched_getscheduler(0), before == open('/proc/self/autogroup').read())"
    )
    result = run(code, DEBUG="true", DJANGO_SETTINGS_MODULE="techcommit.settings")
    assert result.stdout.strip() == "5 True", result.stderr
