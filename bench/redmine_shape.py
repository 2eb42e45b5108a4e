"""Benchmark: the workloads of issue 13 on Redmine's data shape — 50 units, 2,000 tasks, 20,000 reports —
served by gunicorn (2 sync workers) on loopback and loaded by wrk, beside the bare SQL of each request.

    .venv/bin/python bench/redmine_shape.py                       # SQLite file under bench/out/
    createdb -h 127.0.0.1 -U postgres tongtui_redmine_bench       # once
    .venv/bin/python bench/redmine_shape.py --database-url postgres://postgres@127.0.0.1:5432/tongtui_redmine_bench
    .venv/bin/python bench/redmine_shape.py --write-doc           # the table from bench/out/redmine_*.json

1. builds the data set with bulk inserts (seed --seed): 50 units with a liaison and a head each, the office,
   10 leaders, 2,000 tasks (co-units, three milestones, due dates over the year, a tenth closed), a monthly
   report cycle and ten filed reports per task (January to October), then every task's light;
2. runs each request once in process through the test client, captures its SQL, and times that SQL run
   directly with a cursor (the bare SQL: the median of --sql-repeat runs; a write journey inside a
   transaction rolled back);
3. starts gunicorn (2 sync workers) on 127.0.0.1 and a free port, and runs wrk (Debian's /usr/bin/wrk) for
   --duration seconds at 1 and at 8 connections for each workload; wrk's Lua scripts add the token and,
   for report filing, play the three requests of filing one report (start the draft, save it, submit);
4. after the filing runs, runs `tongtui worker --once` (the daily jobs count as run today, so the round
   recomputes what the filings marked stale: lights and scores) and checks every stored light against a
   fresh evaluation; writes bench/out/redmine_<db>.json and, with both
   databases measured, the table in docs/benchmarks.md.

Requests (as the liaison of one unit for filing; as the office for the reads):
A  GET /api/tasks/?unit=U&status=<open>…&due_after=T&due_before=T+30&ordering=due&page_size=100
B  GET /api/tasks/?overdue=true&ordering=due&page_size=100
C  GET /api/tasks/ID/?include=reports                    (a task with its 10 reports)
P  GET /tasks/?unit=U&status=<open>…&due_after=…&due_before=…&sort=due&per_page=100   (the HTML page, session)
F  POST /api/reports/ {task, period_start}; PATCH /api/reports/ID/ {version, progress, done}; POST …/submit/
M  F with `Prefer: return=minimal` on each request (the answers carry only what the next step needs)
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _db import OUT, ROOT, fresh_database, setup_django  # noqa: E402
from _serve import cpu_model, free_port, server_cpu  # noqa: E402

DB = OUT / "redmine_bench.sqlite3"
BIN = ROOT / ".venv" / "bin"
WRK = "/usr/bin/wrk"
UNITS, TASKS, REPORTS_PER_TASK = 50, 2000, 10
OPEN = ["assigned", "acknowledged", "in_progress", "completion_requested"]
# Redmine 5.0.4 (puma 2 × 4 threads, SQLite), 1 client, as measured in issue 13
REDMINE = {
    "A": "78 ms",
    "B": "263 ms",
    "C": "25 ms",
    "P": "81 ms",
    "F": "29.4 notes/s",
    "M": "29.4 notes/s",
}
NAMES = {
    "A": "A: one unit's open tasks due within 30 days, sorted, page 100",
    "B": "B: overdue tasks across all units, page 100",
    "C": "C: one task with its 10 reports (`?include=reports`)",
    "P": "the task list as an HTML page (A)",
    "F": "filing one report (3 requests)",
    "M": "filing one report, `Prefer: return=minimal` (3 requests)",
}
FILING = ("F", "M")  # M: the same three requests, each answered with only what the next step needs


def build(rng: random.Random, today: datetime.date) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from tongtui.dispatch import actions_cycles
    from tongtui.dispatch.models import ProgressReport, ReportStatus
    from tongtui.orgs.models import Membership, Person, Role, Unit
    from tongtui.plans.models import Category, CoUnit, Milestone, Plan, Task, TaskStatus
    from tongtui.supervision.recompute import recompute_all

    User = get_user_model()
    year = today.year
    root = Unit.objects.create(name="基准区人民政府", short_name="基准区", kind="district")
    office_unit = Unit.objects.create(name="区委区政府督查室", kind="office", parent=root)
    units = Unit.objects.bulk_create(
        [Unit(name=f"基准单位{i:02d}", short_name=f"单位{i:02d}", kind="department", parent=root, order=i)
         for i in range(UNITS)]
    )  # fmt: skip
    hashed = make_password("bench-pw-2026")
    names = [f"u{i:02d}-{r}" for i in range(UNITS) for r in ("liaison", "head")]
    names += ["office", *(f"leader{i}" for i in range(10))]
    User.objects.bulk_create([User(username=n, password=hashed) for n in names])
    users = {u.username: u for u in User.objects.all()}
    people = [Person(user=users[f"u{i:02d}-{r}"], name=f"{r}{i}", unit=units[i])
              for i in range(UNITS) for r in ("liaison", "head")]  # fmt: skip
    people.append(Person(user=users["office"], name="督查员", unit=office_unit))
    people += [Person(user=users[f"leader{i}"], name=f"副区长{i}", unit=root) for i in range(10)]
    Person.objects.bulk_create(people)
    roles = {"liaison": Role.LIAISON, "head": Role.UNIT_HEAD, "office": Role.OFFICE, "leader": Role.LEADER}
    members = []
    for p in Person.objects.select_related("user"):
        name = p.user.username if p.user else ""
        role = roles.get(name.rsplit("-", 1)[-1]) or roles.get(name.rstrip("0123456789"))
        members.append(Membership(person=p, unit_id=p.unit_id, role=role))
    Membership.objects.bulk_create(members)
    leaders = list(Person.objects.filter(name__startswith="副区长").order_by("pk"))
    Token.objects.bulk_create(
        [Token(user=u, key=f"{u.pk:04d}{u.username:-<36}"[:40]) for u in users.values()]
    )

    plan = Plan.objects.create(year=year, title=f"{year}年重点工作", status=Plan.Status.ACTIVE)
    categories = Category.objects.bulk_create(
        [Category(plan=plan, name=f"板块{i}", order=i) for i in range(6)]
    )
    assigned = timezone.make_aware(datetime.datetime(year, 1, 5, 9))
    jan1, dec31 = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    statuses = [TaskStatus.IN_PROGRESS] * 7 + [
        TaskStatus.ACKNOWLEDGED,
        TaskStatus.ASSIGNED,
        TaskStatus.CLOSED,
    ]
    tasks = []
    for i in range(TASKS):
        due = jan1 + datetime.timedelta(days=rng.randrange(60, 365))
        tasks.append(
            Task(plan=plan, code=f"{i // 40 + 1}.{i % 40 + 1}", code_sort=f"{i // 40 + 1:05d}{i % 40 + 1:05d}",
                 title=f"重点任务第{i + 1}项：项目建设", category=categories[i % 6], lead_unit=units[i % UNITS],
                 leader=leaders[i % 10], start=jan1, due=min(due, dec31), status=statuses[rng.randrange(10)],
                 goal="年底前完成主体工程建设，累计完成投资2亿元。", measures="倒排工期，挂图作战。",
                 assigned_at=assigned, lead_acknowledged_at=assigned, progress=rng.randrange(0, 100))
        )  # fmt: skip
    tasks = Task.objects.bulk_create(tasks, batch_size=1000)
    CoUnit.objects.bulk_create(
        [CoUnit(task=t, unit=units[(t.lead_unit_id + k * 7) % UNITS], acknowledged_at=assigned)
         for t in tasks for k in range(1, rng.randrange(1, 4))],
        batch_size=2000,
    )  # fmt: skip
    Milestone.objects.bulk_create(
        [Milestone(task=t, seq=q, title=f"节点{q}", due=datetime.date(year, 3 * q + 1, 28), planned_progress=30 * q,
                   done_on=datetime.date(year, 3 * q + 1, 20) if rng.random() < 0.7 and 3 * q + 1 < today.month else None)
         for t in tasks for q in range(1, 4)],
        batch_size=2000,
    )  # fmt: skip
    office = users["office"]
    actions_cycles.set_report_cycle(by=office, plan=plan, frequency="monthly", due_kind="day_of_month",
                                    day_of_month=25)  # fmt: skip
    reports = []
    for t in tasks:
        for month in range(1, REPORTS_PER_TASK + 1):
            start = datetime.date(year, month, 1)
            end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            submitted = timezone.make_aware(datetime.datetime(year, month, 25, 10))
            reports.append(
                ProgressReport(task=t, unit_id=t.lead_unit_id, period_start=start, period_end=end,
                               due=datetime.date(year, month, 25), status=ReportStatus.ACCEPTED,
                               progress=min(100, month * 8 + rng.randrange(0, 10)),
                               done=f"第{month}月：完成主体结构施工{month * 8}%，累计完成投资{month}亿元。",
                               next_steps="推进设备安装。", first_submitted_at=submitted, submitted_at=submitted,
                               signed_off_at=submitted, reviewed_at=submitted, late_workdays=rng.choice([0, 0, 0, 1]))
            )  # fmt: skip
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    started = time.perf_counter()
    recompute_all()
    lights_s = time.perf_counter() - started
    # the daily and hourly jobs count as run today: the worker's round after the load recomputes only what the
    # filings marked stale (and delivers their notifications)
    from tongtui.dispatch.models import PeriodicJob
    from tongtui.dispatch.tasks import PERIODIC

    later = timezone.now() + datetime.timedelta(days=1)
    PeriodicJob.objects.bulk_create(
        [PeriodicJob(name=job.name, next_run_at=later) for job in PERIODIC if not job.name.endswith("_stale")]
    )
    open_tasks = [t for t in tasks if t.status != TaskStatus.CLOSED]
    # filing: every open task's reports for the next two months, grouped by the lead unit's liaison
    jobs = []
    for month in (REPORTS_PER_TASK + 1, REPORTS_PER_TASK + 2):
        for t in open_tasks:
            liaison = users[f"u{units.index(next(u for u in units if u.pk == t.lead_unit_id)):02d}-liaison"]
            jobs.append({"task": t.pk, "start": f"{year}-{month:02d}-01", "user": liaison.username})
    rng.shuffle(jobs)
    unit0 = units[0]
    return {
        "year": year,
        "unit": unit0.pk,
        "office": office,
        "users": users,
        "task": next(t.pk for t in tasks if t.lead_unit_id == unit0.pk),
        "jobs": jobs,
        "lights_seconds": round(lights_s, 2),
    }


def token_of(user: Any) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.get(user=user).key


def read_urls(city: dict[str, Any], today: datetime.date) -> dict[str, str]:
    window = f"due_after={today}&due_before={today + datetime.timedelta(days=30)}"
    statuses = "&".join(f"status={s}" for s in OPEN)
    unit = city["unit"]
    return {
        "A": f"/api/tasks/?unit={unit}&{statuses}&{window}&ordering=due&page_size=100",
        "B": "/api/tasks/?overdue=true&ordering=due&page_size=100",
        "C": f"/api/tasks/{city['task']}/?include=reports",
        "P": f"/tasks/?unit={unit}&{statuses}&{window}&sort=due&per_page=100",
    }


def replay(queries: list[str], repeat: int, *, rollback: bool = False) -> float:
    """Median seconds to run these SQL statements directly with a cursor. Reads run as they are; a write journey
    (`rollback`) runs each statement in a savepoint, so that a replayed write clashing with one just made is
    skipped, and the savepoints' round trips count in its time."""
    from django.db import connection, transaction

    def run(cursor: Any, sql: str) -> None:
        cursor.execute(sql)
        if cursor.description:
            cursor.fetchall()

    times = []
    for _ in range(repeat):
        with transaction.atomic():
            sid = transaction.savepoint() if rollback else None
            with connection.cursor() as cursor:
                start = time.perf_counter()
                for sql in queries:
                    if not rollback:
                        run(cursor, sql)
                        continue
                    try:
                        with transaction.atomic():
                            run(cursor, sql)
                    except Exception:  # a replayed write that clashes with one just made: skip it
                        continue
                times.append(time.perf_counter() - start)
            if sid is not None:
                transaction.savepoint_rollback(sid)
            if rollback:
                transaction.set_rollback(True)
    return statistics.median(times)


def in_process(city: dict[str, Any], urls: dict[str, str], repeat: int) -> dict[str, dict[str, Any]]:
    """Each request once through the test client: its status, query count and the bare time of its SQL."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    office = city["office"]
    api = Client(HTTP_AUTHORIZATION=f"Token {token_of(office)}")
    page = Client()
    page.force_login(office)
    out: dict[str, dict[str, Any]] = {}
    for key, url in urls.items():
        client = page if key == "P" else api
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (key, url, response.status_code, response.content[:300])
        sql = [q["sql"] for q in ctx.captured_queries]
        selects = [s for s in sql if s.lstrip().upper().startswith("SELECT")]
        out[key] = {"queries": len(sql), "bare_sql_ms": round(replay(selects, repeat) * 1000, 2)}
        if key in ("A", "B"):
            out[key]["rows"] = len(response.json()["results"])
    # filing: the three requests, captured in a transaction rolled back, then replayed the same way
    for key, job in zip(FILING, (city["jobs"][-1], city["jobs"][-2]), strict=True):
        out[key] = filing_sql(city, job, repeat, minimal=key == "M")
    return out


def filing_sql(city: dict[str, Any], job: dict[str, Any], repeat: int, *, minimal: bool) -> dict[str, Any]:
    """The three requests of filing one report, captured in a transaction rolled back, then replayed the same way."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    extra = {"HTTP_PREFER": "return=minimal"} if minimal else {}
    liaison = Client(HTTP_AUTHORIZATION=f"Token {token_of(city['users'][job['user']])}", **extra)
    counts = []
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        marks = [0]
        r = liaison.post(
            "/api/reports/", {"task": job["task"], "period_start": job["start"]}, "application/json"
        )
        assert r.status_code in (200, 201), r.content[:300]
        marks.append(len(ctx.captured_queries))
        body = r.json()
        r = liaison.patch(f"/api/reports/{body['id']}/", {"version": body["version"], "progress": "55.00",
                          "done": "本月完成主体结构施工，累计完成投资1.2亿元。"}, "application/json")  # fmt: skip
        assert r.status_code == 200, r.content[:300]
        marks.append(len(ctx.captured_queries))
        r = liaison.post(
            f"/api/reports/{body['id']}/submit/", {"version": r.json()["version"]}, "application/json"
        )
        assert r.status_code == 200, r.content[:300]
        marks.append(len(ctx.captured_queries))
        counts = [b - a for a, b in zip(marks, marks[1:], strict=False)]
        transaction.set_rollback(True)
    sql = [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
    ]
    return {
        "queries": "+".join(map(str, counts)),
        "bare_sql_ms": round(replay(sql, repeat, rollback=True) * 1000, 2),
    }


# --- wrk -------------------------------------------------------------------------------------------------

LUA_GET = """
wrk.headers["Authorization"] = "Token %(token)s"
%(cookie)s
done = function(summary, latency, requests)
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%.3f, "errors": %%d, "non2xx": %%d, '
    .. '"p50_ms": %%.2f, "p95_ms": %%.2f}\\n', summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""

LUA_FILE = """
local jobs_all = dofile("%(jobs)s")
local threads = {}
local n = 0
setup = function(thread)
  n = n + 1
  thread:set("tid", n)
  table.insert(threads, thread)
end
init = function(args)
  jobs = {}
  local k = 0
  for i, job in ipairs(jobs_all) do
    if (i - 1) %% %(threads)d == tid - 1 then k = k + 1; jobs[k] = job end
  end
  at, step, filed, failed, report, version = 1, 1, 0, 0, nil, nil
end
request = function()
  local job = jobs[at]
  if job == nil then
    return wrk.format("GET", "/api/reports/due/", {["Authorization"] = "Token %(spare)s"})
  end
  local h = {["Authorization"] = "Token " .. job[3], ["Content-Type"] = "application/json"%(prefer)s}
  if step == 1 then
    return wrk.format("POST", "/api/reports/", h, '{"task": ' .. job[1] .. ', "period_start": "' .. job[2] .. '"}')
  elseif step == 2 then
    return wrk.format("PATCH", "/api/reports/" .. report .. "/", h,
      '{"version": ' .. version .. ', "progress": "55.00", "done": "本月完成主体结构施工，累计完成投资1.2亿元。"}')
  end
  return wrk.format("POST", "/api/reports/" .. report .. "/submit/", h, '{"version": ' .. version .. '}')
end
response = function(status, headers, body)
  if jobs[at] == nil then return end
  if status >= 300 then
    failed = failed + 1; at = at + 1; step = 1
    return
  end
  if step < 3 then
    report = report and step == 2 and report or body:match('"id":%%s*(%%d+)')
    version = body:match('"version":%%s*(%%d+)')
    step = step + 1
  else
    filed = filed + 1; at = at + 1; step = 1
  end
end
done = function(summary, latency, requests)
  local f, x, reached = 0, 0, 0
  for _, t in ipairs(threads) do
    f = f + t:get("filed"); x = x + t:get("failed")
    reached = math.max(reached, t:get("at") * %(threads)d + t:get("tid"))  -- past the furthest job begun
  end
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%.3f, "errors": %%d, "non2xx": %%d, '
    .. '"p50_ms": %%.2f, "p95_ms": %%.2f, "filed": %%d, "failed": %%d, "reached": %%d}\\n', summary.requests,
    summary.duration / 1e6, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.errors.status, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, f, x, reached))
end
"""






def wrk(host: str, path: str, script: Path, clients: int, seconds: int) -> dict[str, Any]:
    out = subprocess.run(
        [WRK, f"-t{clients}", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script), host + path],
        capture_output=True, text=True, timeout=seconds + 120, check=True,
    )  # fmt: skip
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    return dict(json.loads(line[len("RESULT ") :]))


def session_cookie(host: str, username: str) -> str:
    """Log in through the login page once; the HTML page is read with that session."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(host + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    data = urllib.parse.urlencode(
        {"username": username, "password": "bench-pw-2026", "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    opener.open(urllib.request.Request(host + "/login/", data=data, headers={"Referer": host + "/login/"}))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def serve(env: dict[str, str], threads: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn with 2 workers: sync ones, or with `threads` > 1 each that many threads (gthread), as puma's 2
    workers × 4 threads."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "tongtui.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", str(threads), "--timeout", "120", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    host = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before serving")
        try:
            with urllib.request.urlopen(host + "/login/", timeout=5):
                return server, host
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not answer in time")


def server_kind(threads: int) -> str:
    return "2 sync workers" if threads == 1 else f"2 workers × {threads} threads (gthread)"


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def measured(server: subprocess.Popen[bytes], run: Any) -> dict[str, Any]:
    load = os.getloadavg()[0]
    cpu = server_cpu(server.pid)
    result = dict(run())
    result["cpu_ms_per_request"] = round(
        (server_cpu(server.pid) - cpu) * 1000 / max(1, result["requests"]), 1
    )
    result["load_1min"] = round(load, 1)
    return result


def under_load(city: dict[str, Any], urls: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    users = city["users"]
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DB_CONN_MAX_AGE": str(args.conn_max_age),
    }
    office_token = token_of(city["office"])
    work = Path(tempfile.mkdtemp(prefix="redmine-bench-"))
    jobs = city["jobs"]
    tokens = {u: token_of(users[u]) for u in {j["user"] for j in jobs}}
    server, host = serve(env, args.threads)
    out: dict[str, Any] = {}
    try:
        cookie = session_cookie(host, "office")
        for key, url in urls.items():
            if args.only and key not in args.only:
                continue
            script = work / f"{key}.lua"
            header = f'wrk.headers["Cookie"] = "{cookie}"' if key == "P" else ""
            script.write_text(LUA_GET % {"token": office_token, "cookie": header})
            for clients in (1, 8):
                wrk(host, url, script, clients, 2)  # warm both workers
                out[f"{key}@{clients}"] = measured(
                    server, partial(wrk, host, url, script, clients, args.duration)
                )
                print(key, clients, out[f"{key}@{clients}"], flush=True)
        used = 0
        for key, clients in ((k, c) for k in FILING for c in (1, 8) if not args.only or k in args.only):
            part = jobs[used:]
            data = work / f"jobs{key}{clients}.lua"
            data.write_text(
                "return {"
                + ",".join(f'{{{j["task"]},"{j["start"]}","{tokens[j["user"]]}"}}' for j in part)
                + "}"
            )
            script = work / f"{key}{clients}.lua"
            prefer = ', ["Prefer"] = "return=minimal"' if key == "M" else ""
            script.write_text(
                LUA_FILE % {"jobs": data, "threads": clients, "spare": office_token, "prefer": prefer}
            )
            result = measured(server, partial(wrk, host, "/", script, clients, args.duration))
            result["reports_per_s"] = round(result["filed"] / result["seconds"], 1)
            out[f"{key}@{clients}"] = result
            # the threads take every `clients`-th job each and need not keep pace: the next run starts past
            # the furthest job any of them began
            used += result["reached"]
            if used >= len(jobs):
                raise SystemExit(f"the filing runs used all {len(jobs)} prepared reports: shorten --duration")
            print(key, clients, result, flush=True)
    finally:
        stop(server)
    return out


def worker_and_check(args: argparse.Namespace) -> dict[str, Any]:
    """Run the worker once (the queued lights), then compare every stored light with a fresh evaluation."""
    env = {**os.environ, "DATABASE_URL": args.database_url}
    started = time.perf_counter()
    subprocess.run([str(BIN / "tongtui"), "worker", "--once"], env=env, cwd=ROOT, check=True, timeout=600,
                   capture_output=True)  # fmt: skip
    seconds = time.perf_counter() - started
    from tongtui.plans.models import Task
    from tongtui.supervision.models import TaskLight
    from tongtui.supervision.recompute import iter_results

    stored = dict(TaskLight.objects.values_list("task_id", "light"))
    fresh = {r.task_id: r.light.value for r in iter_results(Task.objects.values_list("pk", flat=True))}
    wrong = sum(1 for k, v in fresh.items() if stored.get(k) != v)
    return {"worker_seconds": round(seconds, 1), "lights": len(fresh), "lights_wrong": wrong}


def machine() -> str:
    cpu = cpu_model()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} CPUs ({cpu}), {mem:.0f} GiB, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def write_doc() -> None:
    results = {p.stem.split("_", 1)[1]: json.loads(p.read_text()) for p in sorted(OUT.glob("redmine_*.json"))}
    lines = []
    for db, res in results.items():
        lines.append(f"**{db}** ({res['when']}; {res['machine']}; {res['server']}; wrk {res['duration']} s per cell; "
                     f"the lights of {res['check']['lights']} tasks checked after `tongtui worker --once` "
                     f"({res['check']['worker_seconds']} s): {res['check']['lights_wrong']} wrong)")  # fmt: skip
        lines.append("")
        lines.append(
            "| workload | clients | median | p95 | req/s | reports/s | server CPU per request | load (1 min) "
            "| queries | bare SQL | median ÷ bare SQL | Redmine (1 client) |"
        )
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for key in ("A", "B", "C", "P", *FILING):
            sql = res["in_process"][key]
            for clients in (1, 8):
                cell = res["load"][f"{key}@{clients}"]
                rps = cell["requests"] / cell["seconds"]
                per_s = f"{cell['reports_per_s']}" if key in FILING else ""
                # filing: the bare SQL is the three requests' together
                ratio = (
                    cell["p50_ms"] * (3 if key in FILING else 1) / sql["bare_sql_ms"]
                    if sql["bare_sql_ms"]
                    else 0
                )
                lines.append(
                    f"| {NAMES[key] if clients == 1 else ''} | {clients} | {cell['p50_ms']:.1f} ms | {cell['p95_ms']:.1f} ms "
                    f"| {rps:.0f} | {per_s} | {cell.get('cpu_ms_per_request', '–')} ms | {cell.get('load_1min', '–')} | {sql['queries']} | {sql['bare_sql_ms']:.1f} ms | {ratio:.1f}× "
                    f"| {REDMINE[key] if clients == 1 else ''} |"
                )  # fmt: skip
        lines.append("")
    doc = ROOT / "docs" / "benchmarks.md"
    text = replace_between(doc.read_text(), "redmine", "\n".join(lines))
    side = side_by_side(results)
    if side:
        text = replace_between(text, "side-by-side", side)
    doc.write_text(text)
    print(f"wrote {doc}")


def replace_between(text: str, mark: str, body: str) -> str:
    start, end = f"<!-- {mark}:start -->", f"<!-- {mark}:end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return head + start + "\n" + body + end + tail


def side_by_side(results: dict[str, Any]) -> str:
    """Redmine itself on this machine (bench/redmine_app.py, run just before or after) beside Tongtui: the
    median at each number of clients, and how many times faster Tongtui is (Redmine's median ÷ Tongtui's; for
    filing, reports per second ÷ Redmine's notes per second). The goal is 3×."""
    runs = [(label, OUT / name) for label, name in
            (("no mails", "redmine-app-no-mail.json"), ("its default mails", "redmine-app.json"))]  # fmt: skip
    redmine = {label: json.loads(path.read_text()) for label, path in runs if path.exists()}
    if not redmine or not results:
        return ""
    dbs = [db for db in ("postgresql", "sqlite") if db in results]
    first = next(iter(redmine.values()))
    lines = [
        f"Redmine {first['versions']['redmine']} ({first['server']}) measured by `bench/redmine_app.py` on "
        + "; ".join(f"{label} {run['when']}" for label, run in redmine.items())
        + "; Tongtui "
        + "; ".join(f"{db} {results[db]['when']}" for db in dbs)
        + ". × = how many times Tongtui is faster (the goal: 3×).",
        "",
        "| workload | clients | " + " | ".join(f"Redmine, {label}" for label in redmine)
        + " | " + " | ".join(f"Tongtui, {db} | ×" for db in dbs) + " |",
        "|---|---:|" + "---:|" * (len(redmine) + 2 * len(dbs)),
    ]  # fmt: skip
    for key, rkey in (("A", "A"), ("B", "B"), ("C", "C"), ("P", "P"), ("M", "F")):
        for clients in (1, 8):
            cells = [run["cells"].get(f"{rkey}@{clients}") for run in redmine.values()]
            base = cells[0]
            if key == "M":
                shown = [f"{c['notes_per_s']:.1f} notes/s" if c else "–" for c in cells]
            else:
                shown = [f"{c['p50_ms']:.1f} ms" if c else "–" for c in cells]
            ours = []
            for db in dbs:
                cell = results[db]["load"][f"{key}@{clients}"]
                if key == "M":
                    ratio = cell["reports_per_s"] / base["notes_per_s"] if base else 0
                    ours.append(f"{cell['reports_per_s']:.1f} reports/s | {ratio:.2f}×")
                else:
                    ratio = base["p50_ms"] / cell["p50_ms"] if base else 0
                    ours.append(f"{cell['p50_ms']:.1f} ms | {ratio:.2f}×")
            name = NAMES[key] if clients == 1 else ""
            lines.append(f"| {name} | {clients} | " + " | ".join(shown) + " | " + " | ".join(ours) + " |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=f"sqlite:///{DB}")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per cell")
    parser.add_argument("--sql-repeat", type=int, default=20)
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="DB_CONN_MAX_AGE of the server (persistent connections)"
    )
    parser.add_argument(
        "--no-load", action="store_true", help="in-process figures only (no gunicorn, no wrk)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (2 workers; over 1: gthread)"
    )
    parser.add_argument("--only", default="", help="load only these workloads, e.g. F,M (printed, not written)")
    parser.add_argument("--write-doc", action="store_true", help="only write the table from bench/out/")
    args = parser.parse_args()
    args.only = [k for k in args.only.split(",") if k]
    if args.write_doc:
        write_doc()
        return
    setup_django(args.database_url)
    from django.conf import settings
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    fresh_database(args.database_url, DB)
    today = timezone.localdate()
    started = time.perf_counter()
    city = build(random.Random(args.seed), today)
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"built on {vendor} in {time.perf_counter() - started:.1f} s (lights {city['lights_seconds']} s)")
    urls = read_urls(city, today)
    measured = in_process(city, urls, args.sql_repeat)
    print(json.dumps(measured))
    if args.no_load:
        return
    load = under_load(city, urls, args)
    check = worker_and_check(args)
    print(check)
    if args.only:  # a part of the table: printed, not written
        return
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"redmine_{'postgresql' if vendor.startswith('postgres') else 'sqlite'}.json").write_text(
        json.dumps({"when": f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC", "machine": machine(), "server": f"gunicorn {server_kind(args.threads)}, DB_CONN_MAX_AGE={args.conn_max_age}",
                    "duration": args.duration, "in_process": measured, "load": load, "check": check}, indent=1)
    )  # fmt: skip
    write_doc()


if __name__ == "__main__":
    main()
