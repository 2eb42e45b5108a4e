"""Production settings and plumbing: HTTPS from the environment, `check --deploy` clean, /healthz, request
ids in JSON logs, and the read-replica router."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from tongtui.core import replica
from tongtui.core.logs import RequestFilter, request_id

PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnop",
    "DEBUG": "False",
    "ALLOWED_HOSTS": "tongtui.example.gov.cn",
    "HTTPS": "True",
    "BEHIND_PROXY": "True",
}


def _settings_in_a_fresh_process(env: dict[str, str], names: list[str]) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("HTTPS", "BEHIND_PROXY", "DEBUG", "SECRET_KEY")}
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    done = subprocess.run([sys.executable, "-c", code], env={**clean, "DJANGO_SETTINGS_MODULE": "tongtui.settings",
                          **env}, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_https_behind_a_proxy_turns_on_secure_cookies_hsts_and_the_proxy_header():
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
             "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_INCLUDE_SUBDOMAINS"]  # fmt: skip
    on = _settings_in_a_fresh_process(PRODUCTION, names)
    assert on == {
        "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000, "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
    }  # fmt: skip
    off = _settings_in_a_fresh_process({"DEBUG": "True"}, names)
    assert off["SESSION_COOKIE_SECURE"] is False and off["SECURE_HSTS_SECONDS"] == 0
    assert off["SECURE_PROXY_SSL_HEADER"] is None  # a header from the client is not trusted without a proxy


def test_connections_are_kept_and_checked_on_postgresql_but_not_on_sqlite():
    pg = _settings_in_a_fresh_process({"DATABASE_URL": "postgres://u@db.example:5432/t"}, ["DATABASES"])
    assert pg["DATABASES"]["default"]["CONN_MAX_AGE"] == 60 and pg["DATABASES"]["default"]["CONN_HEALTH_CHECKS"]
    lite = _settings_in_a_fresh_process({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, ["DATABASES"])
    assert lite["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


def test_postgresql_prepares_a_statement_it_runs_again_unless_told_not_to():
    on = _settings_in_a_fresh_process({"DATABASE_URL": "postgres://u@db.example:5432/t"}, ["DATABASES"])
    assert on["DATABASES"]["default"]["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    off = _settings_in_a_fresh_process({"DATABASE_URL": "postgres://u@db.example:5432/t",
                                        "DB_PREPARED_STATEMENTS": "0"}, ["DATABASES"])  # fmt: skip
    assert "server_side_binding" not in off["DATABASES"]["default"].get("OPTIONS", {})
    lite = _settings_in_a_fresh_process({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, ["DATABASES"])
    assert "server_side_binding" not in lite["DATABASES"]["default"]["OPTIONS"]


@pytest.mark.django_db
def test_a_task_read_five_times_is_prepared_and_its_sixth_read_reuses_the_plan():
    """On PostgreSQL (the test database has the same options): the sixth run of the same statement on a connection
    executes a prepared statement, whose plan PostgreSQL keeps, and it answers with the row as before."""
    from django.db import connection

    from tongtui.plans.models import Task

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")

    def prepared() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return {row[0] for row in cursor.fetchall()}

    before = prepared()
    for pk in range(1, 7):
        assert Task.objects.select_related("plan", "lead_unit").filter(pk=pk).first() is None
    new = {s for s in prepared() - before if '"plans_task"' in s}
    assert len(new) == 1 and "$1" in next(iter(new))  # one statement, its value bound, not written in


def test_a_misspelt_choice_refuses_to_start():
    clean = {k: v for k, v in os.environ.items() if k != "LOG_FORMAT"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], capture_output=True, text=True,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "tongtui.settings", "MEDIA_STORAGE": "s4"}, timeout=60)  # fmt: skip
    assert done.returncode != 0 and "MEDIA_STORAGE must be filesystem or s3, not 's4'" in done.stderr


def test_check_deploy_is_clean_with_production_settings():
    # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests' fixture in this process, never in a deployment
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    tongtui = os.path.join(os.path.dirname(sys.executable), "tongtui")
    done = subprocess.run([tongtui, "check", "--deploy", "--fail-level", "WARNING"], env={**clean, **PRODUCTION},
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    plain = subprocess.run([tongtui, "check", "--deploy", "--fail-level", "WARNING"],
                           env={**clean, **PRODUCTION, "HTTPS": "False"}, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert plain.returncode != 0 and "security.W012" in plain.stderr  # session cookie not Secure without HTTPS


# /healthz


@pytest.mark.django_db
def test_healthz_answers_without_a_login_and_sets_no_cookie():
    response = Client().get("/healthz")
    assert response.status_code == 200 and not response.cookies
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["worker"] == {"status": "late", "last_round": None}  # no worker has run here
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_the_worker_once_it_has_run():
    from tongtui.dispatch.management.commands.worker import enqueue_due

    enqueue_due()
    assert Client().get("/healthz").json()["checks"]["worker"]["status"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_a_database_does_not_answer():
    connections.settings["replica"] = {**connections["default"].settings_dict, "HOST": "127.0.0.1", "PORT": "1",
                                       "ENGINE": "django.db.backends.postgresql", "NAME": "none",
                                       "OPTIONS": {"connect_timeout": 2}}  # fmt: skip
    try:
        response = Client().get("/healthz")
    finally:
        connections.settings.pop("replica")
        if hasattr(connections._connections, "replica"):
            delattr(connections._connections, "replica")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["checks"]["replica"]["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"


# logs


def test_a_request_id_from_the_proxy_is_kept_only_when_it_is_a_plain_token():
    assert request_id("7f3a9c0e1b2d4e5f8a6b7c8d9e0f1a2b") == "7f3a9c0e1b2d4e5f8a6b7c8d9e0f1a2b"
    forged = request_id('x" injected\nline')
    assert len(forged) == 32 and forged.isalnum()


@pytest.mark.django_db
def test_every_log_line_in_a_request_carries_its_id_user_and_path(cast, caplog):
    client = cast.client("office")
    logger = logging.getLogger("tongtui.requests")
    with override_settings(), caplog.at_level(logging.INFO, logger="tongtui.requests"):
        caplog.handler.addFilter(RequestFilter())
        previous = logger.level
        logger.setLevel(logging.INFO)
        try:
            response = client.get("/", HTTP_X_REQUEST_ID="abc123")
        finally:
            logger.setLevel(previous)
    assert response["X-Request-ID"] == "abc123"
    line = next(r for r in caplog.records if r.name == "tongtui.requests")
    assert (line.request_id, line.user, line.method, line.path, line.status) == ("abc123", "office", "GET", "/", 200)


def test_the_json_formatter_writes_one_object_per_line():
    from pythonjsonlogger.json import JsonFormatter

    from tongtui.settings import LOGGING

    spec = dict(LOGGING["formatters"]["json"])
    spec.pop("()")
    formatter = JsonFormatter(**spec)
    record = logging.LogRecord("tongtui.x", logging.WARNING, __file__, 1, "订单 %s", ("超期",), None)
    RequestFilter().filter(record)
    out = json.loads(formatter.format(record))
    assert out["message"] == "订单 超期" and out["level"] == "WARNING" and out["logger"] == "tongtui.x"
    assert out["request_id"] == "-" and "time" in out


# the read replica


def test_only_safe_requests_without_a_recent_write_may_read_the_replica():
    assert replica.may_read_replica("GET", None, 1000.0)
    assert not replica.may_read_replica("POST", None, 1000.0)
    assert not replica.may_read_replica("GET", "995", 1000.0)  # wrote 5 s ago: the primary
    assert replica.may_read_replica("GET", "980", 1000.0)  # 20 s ago: the replica has caught up
    assert replica.may_read_replica("GET", "not-a-time", 1000.0)


@pytest.fixture
def with_replica(settings):
    """A second connection to the test database under the alias "replica", as a real replica would be."""
    connections.settings["replica"] = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    settings.DATABASE_ROUTERS = ["tongtui.core.replica.ReplicaRouter"]
    wrapper = connections["replica"]
    wrapper.connect()  # opened here: Django's test case refuses to open, inside the test, an alias it was not told of
    yield wrapper
    connections["replica"].close()
    connections.settings.pop("replica")
    delattr(connections._connections, "replica")


@pytest.mark.django_db(transaction=True)
def test_pages_read_from_the_replica_and_writes_pin_the_browser_to_the_primary(cast, with_replica):
    office = cast.client("office")
    with CaptureQueriesContext(with_replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        assert office.get(f"/tasks/{cast.task_a.pk}/").status_code == 200
    assert len(on_replica) > 3 and not any(q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")) for q in on_replica)
    reads_on_primary = len(on_primary)

    response = office.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.cookies[replica.PIN_COOKIE]["max-age"] == replica.pin_seconds()
    with CaptureQueriesContext(with_replica) as on_replica:
        assert office.get(f"/tasks/{cast.task_a.pk}/").status_code == 200
    assert len(on_replica) == 0  # just wrote: read back from the primary
    assert reads_on_primary <= 3  # before, only the session (and what ran in a transaction) was on the primary
