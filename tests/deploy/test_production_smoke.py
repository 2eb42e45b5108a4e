"""The production set-up, run for real on loopback: nginx (with the repository's proxy configuration) in front
of two gunicorn app servers (deploy/gunicorn.conf.py), two `tongtui worker` processes on the Redis queue
(TASKS_BACKEND=rq), one PostgreSQL database read also through a replica connection, static files collected
with the manifest, JSON logs. The journey goes through nginx only: import a task book, assign, acknowledge,
report, sign off, review, see the light; an app server and a worker are killed with SIGKILL on the way.

It needs PostgreSQL, Redis and nginx, so it runs in the PostgreSQL half of `scripts/test` (which installs
nginx); elsewhere it is skipped, saying why."""

import datetime
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG = os.environ.get("DATABASE_URL", "")
BOOK = "序号,重点任务,牵头单位,配合单位,责任领导,责任人,完成时限\n31,建设智慧园区一期,区发改局,区财政局,王副区长,陈责任,2026年12月底\n"


def _why_not() -> str:
    if not PG.startswith("postgres"):
        return "the smoke run needs PostgreSQL (it runs in the PostgreSQL half of scripts/test)"
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        return "nginx is not installed (scripts/test installs it)"
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        return "Redis is not running on 127.0.0.1:6379"
    return ""


pytestmark = pytest.mark.skipif(bool(_why_not()), reason=_why_not() or "-")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, seconds: float = 60) -> None:
    import requests

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


class Site:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.db_name = f"tongtui_smoke_{os.getpid()}"
        base = PG.rsplit("/", 1)[0]
        self.db_url = f"{base}/{self.db_name}"
        self.redis_db = 13
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "DJANGO_SETTINGS_MODULE": "tongtui.settings",
            "DATABASE_URL": self.db_url,
            "DATABASE_REPLICA_URL": self.db_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "False",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BEHIND_PROXY": "True",
            "TASKS_BACKEND": "rq",
            "REDIS_URL": f"redis://127.0.0.1:6379/{self.redis_db}",
            "STATIC_ROOT": str(tmp / "static"),
            "STATIC_MANIFEST": "True",
            "MEDIA_ROOT": str(tmp / "media"),
            "LOG_FORMAT": "json",
            "LOG_REQUESTS": "True",
            "LOG_LEVEL": "INFO",
            "GUNICORN_WORKERS": "2",
            "PYTHONPATH": str(ROOT),
        }

    def run(self, *args: str) -> str:
        done = subprocess.run(args, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def start(self, name: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        self.procs[name] = subprocess.Popen(args, cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=log,
                                            start_new_session=True)  # fmt: skip
        return self.procs[name]

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def sql(self, query: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.db_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            return conn.execute(query).fetchall()

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _admin(sql: str) -> None:
    import psycopg

    maintenance = PG.rsplit("/", 1)[0] + "/postgres"  # the server's own database: always there
    with psycopg.connect(maintenance.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    import redis

    s = Site(tmp_path_factory.mktemp("smoke"))
    redis.Redis.from_url(s.env["REDIS_URL"]).flushdb()
    _admin(f'DROP DATABASE IF EXISTS "{s.db_name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{s.db_name}"')
    try:
        tongtui = str(VENV_BIN / "tongtui")
        collecting = subprocess.Popen([tongtui, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=s.env)
        s.run(tongtui, "migrate", "-v0")
        assert collecting.wait(timeout=300) == 0
        s.run(str(VENV_BIN / "python"), "-m", "tests.deploy.seed")
        s.app_ports = [_free_port(), _free_port()]
        for i, port in enumerate(s.app_ports):
            s.start(f"app{i}", str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "tongtui.wsgi",
                    GUNICORN_BIND=f"127.0.0.1:{port}")  # fmt: skip
        for i in range(2):
            s.start(f"worker{i}", tongtui, "worker", "--interval", "1")
        s.port = _free_port()
        conf = s.tmp / "nginx.conf"
        upstreams = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;\n" for p in s.app_ports)
        conf.write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"pid {s.tmp}/nginx.pid;\nerror_log {s.tmp}/nginx-error.log warn;\nevents {{}}\nhttp {{\n"
            f"  access_log {s.tmp}/nginx-access.log;\n"
            + "".join(f"  {kind}_temp_path {s.tmp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  upstream tongtui {{\n{upstreams}    keepalive 8;\n  }}\n"
            f"  server {{\n    listen 127.0.0.1:{s.port};\n    include {ROOT}/deploy/nginx/tongtui-proxy.conf;\n  }}\n}}\n"
        )  # fmt: skip
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-t", "-p", str(s.tmp), "-c", str(conf)], check=True, capture_output=True)
        s.start("nginx", nginx, "-p", str(s.tmp), "-c", str(conf), "-g", "daemon off;")
        s.url = f"http://127.0.0.1:{s.port}"
        for port in s.app_ports:
            _wait_http(f"http://127.0.0.1:{port}/healthz")
        _wait_http(s.url + "/healthz")
        yield s
    finally:
        s.stop()
        _admin(f'DROP DATABASE IF EXISTS "{s.db_name}" WITH (FORCE)')
        redis.Redis.from_url(s.env["REDIS_URL"]).flushdb()


def _browser(site: Site, username: str):
    import requests

    session = requests.Session()
    session.get(site.url + "/login/", timeout=30)
    response = session.post(
        site.url + "/login/",
        {"username": username, "password": "pw-" + username, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": site.url + "/login/"}, timeout=30,
    )  # fmt: skip
    assert response.status_code == 200 and "sessionid" in session.cookies, response.text[:500]
    return session


def _api(site: Site, username: str):
    import requests

    token = requests.post(site.url + "/api/auth/token/", json={"username": username, "password": "pw-" + username},
                          timeout=30).json()["token"]  # fmt: skip
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    return session


def _poll(what: str, check, seconds: float = 90):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what}: not seen within {seconds} s")


def test_health_through_nginx_names_every_part(site):
    import requests

    body = requests.get(site.url + "/healthz", timeout=10).json()
    assert body["status"] == "ok"
    assert {k: v["status"] for k, v in body["checks"].items() if k != "worker"} == {
        "database": "ok", "replica": "ok", "redis": "ok",
    }  # fmt: skip
    assert _poll("a worker round", lambda: requests.get(site.url + "/healthz", timeout=10).json()["checks"]["worker"]["status"] == "ok")


def test_static_files_are_served_hashed_and_cached(site):
    import requests

    page = requests.get(site.url + "/login/", timeout=10).text
    css = next(part.split('"')[0] for part in page.split('href="')[1:] if part.startswith("/static/") and ".css" in part.split('"')[0])
    assert len(Path(css).name.split(".")) >= 3, css  # name.hash.css
    response = requests.get(site.url + css, timeout=10, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and "max-age=315360000" in response.headers["Cache-Control"]
    assert requests.get(site.url + "/media/anything", timeout=10).status_code == 404


def test_the_journey_through_nginx_with_an_app_server_and_a_worker_killed(site):
    import requests

    office_web = _browser(site, "office")
    upload = office_web.post(
        site.url + "/plans/2026/import/",
        data={"lead_rule": "first", "csrfmiddlewaretoken": office_web.cookies["csrftoken"]},
        files={"file": ("任务分解表.csv", BOOK.encode())},
        headers={"Referer": site.url + "/plans/2026/import/"}, timeout=60,
    )  # fmt: skip
    assert upload.status_code == 200 and "/import/" in upload.url, upload.text[:300]
    applied = office_web.post(
        upload.url.rstrip("/") + "/confirm/", data={"step": "apply", "csrfmiddlewaretoken": office_web.cookies["csrftoken"]},
        headers={"Referer": upload.url}, timeout=60,
    )  # fmt: skip
    assert applied.status_code == 200, applied.text[:300]

    office, liaison, head = _api(site, "office"), _api(site, "liaison_a"), _api(site, "head_a")
    found = office.get(site.url + "/api/tasks/", params={"q": "智慧园区"}, timeout=30).json()["results"]
    assert len(found) == 1, found
    task = found[0]["id"]

    # One app server dies without warning. nginx retries a read on the other server and takes the dead one out
    # (max_fails=1); a write is never retried (it may have run), so the client would see that one 502.
    os.killpg(site.procs["app0"].pid, signal.SIGKILL)
    site.procs["app0"].wait(timeout=10)
    assert all(requests.get(site.url + "/healthz", timeout=10).status_code == 200 for _ in range(4))
    assigned = office.post(f"{site.url}/api/tasks/{task}/assign/", json={}, timeout=30)
    assert assigned.status_code == 200 and assigned.json()["status"] == "assigned", assigned.text
    assert liaison.post(f"{site.url}/api/tasks/{task}/acknowledge/", json={}, timeout=30).status_code == 200

    # One worker dies too: the other runs the queue and the periodic jobs.
    os.killpg(site.procs["worker0"].pid, signal.SIGKILL)

    period = datetime.date.today().replace(day=1).isoformat()
    started = liaison.post(site.url + "/api/reports/", json={"task": task, "period_start": period}, timeout=30)
    assert started.status_code == 201, started.text
    report = started.json()
    saved = liaison.patch(f"{site.url}/api/reports/{report['id']}/",
                          json={"version": report["version"], "progress": "40.00", "done": "完成园区规划编制"}, timeout=30)  # fmt: skip
    assert saved.status_code == 200, saved.text
    assert liaison.post(f"{site.url}/api/reports/{report['id']}/submit/", json={}, timeout=30).json()["status"] == "submitted"
    assert head.post(f"{site.url}/api/reports/{report['id']}/sign-off/", timeout=30).json()["status"] == "signed_off"
    accepted = office.post(f"{site.url}/api/reports/{report['id']}/accept/", json={"note": "属实"}, timeout=30)
    assert accepted.json()["status"] == "accepted", accepted.text
    assert office.get(f"{site.url}/api/tasks/{task}/", timeout=30).json()["progress"] == "40.00"

    light = _poll("the task's light", lambda: office.get(f"{site.url}/api/lights/{task}/", timeout=30).json()["light"])
    assert light in ("green", "yellow", "red", "blue", "grey")

    # The queue in Redis ran the periodic sweep (through a worker still alive), once.
    done = _poll("the reminder sweep run from the Redis queue", lambda: site.sql(
        "SELECT last_finished_at FROM dispatch_periodicjob WHERE name = 'dispatch.reminder_sweep' AND last_finished_at IS NOT NULL"))
    assert len(done) == 1
    assert requests.get(site.url + "/healthz", timeout=10).json()["status"] == "ok"


def test_logs_are_json_lines_joined_to_nginx_by_request_id(site):
    import requests

    response = requests.get(site.url + "/login/", timeout=10)
    rid = response.headers["X-Request-ID"]
    assert len(rid) == 32  # nginx's $request_id, passed through
    lines = [json.loads(line) for name in ("app0", "app1") for line in site.log(name).splitlines() if line.startswith("{")]
    assert lines, "no JSON log lines"
    ours = [line for line in lines if line.get("request_id") == rid]
    assert ours and ours[0]["logger"] == "tongtui.requests" and ours[0]["status"] == 200 and ours[0]["path"] == "/login/"
    assert {"time", "level", "message", "user", "method", "duration_ms"} <= set(ours[0])
