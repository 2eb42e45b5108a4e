"""Benchmark: a district, a city or a province, loaded in bulk, and the suite of pages and jobs measured on it.

    .venv/bin/python bench/scale.py --scale city --db postgres         # load, run, write docs/benchmarks.md
    .venv/bin/python bench/scale.py --scale district --db sqlite
    .venv/bin/python bench/scale.py --scale province --db postgres --repeat 5 --no-load   # reuse the data

Scales (bench/scale_data.py): district 80 units / 300 tasks, city 800 / 3,000, province 10,000 / 50,000 with
250,000 milestones and 2,000,000 weekly reports; fixed seed. PostgreSQL: the database tongtui_bench_scale_<scale>
on 127.0.0.1 (created if missing, emptied first); SQLite: a file under bench/out/.

Each step runs `--repeat` times in this process through Django's test Client as the office (the report
submission as the task's liaison, three API requests: start, save, submit), and its median and p95 are shown
beside the bare SQL behind it: the queries of one run captured and replayed on a cursor (writes inside a
transaction rolled back), so the framework's share shows as the ratio. Throughput under concurrent load:
gunicorn (2 sync workers) on loopback, wrk on the list API for 20 s at 8 connections, and 8 threads filing
reports (3 requests each) for 20 s. The table goes into docs/benchmarks.md between the scale markers, one
block per scale and database (`--no-write` to only print it).
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _db import OUT, ROOT, fresh_database, setup_django  # noqa: E402
from scale_data import SHAPES, YEAR, generate  # noqa: E402

SERVER = "postgres://postgres@127.0.0.1:5432"
DOC = ROOT / "docs" / "benchmarks.md"
TOKEN = "0" * 39 + "1"
PROFILE: list[str] = []  # steps to profile once more with pyinstrument (--profile)
ONLY: list[str] = []  # run only the steps whose name starts so (--only)


def database_url(scale: str, db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{OUT / f'scale_{scale}.sqlite3'}"
    return f"{SERVER}/tongtui_bench_scale_{scale}"


def ensure_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f"CREATE DATABASE {name}")


# -- measuring -------------------------------------------------------------------------------------


def replay(queries: list[dict[str, Any]]) -> float:
    """The time of the captured SQL alone, run again on a cursor in a transaction rolled back. A write that
    cannot run twice (the same key inserted again) is timed up to its error, behind a savepoint."""
    from django.db import connection, transaction

    total = 0.0
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")
    with transaction.atomic():
        with connection.cursor() as cursor:
            for q in queries:
                sql = q["sql"]
                if sql.startswith(skip):
                    continue
                reading = sql.startswith("SELECT")
                if not reading:
                    cursor.execute("SAVEPOINT replay")
                t = time.perf_counter()
                try:
                    cursor.execute(sql)
                    if cursor.description:
                        cursor.fetchall()
                except Exception:
                    if reading:
                        raise
                    cursor.execute("ROLLBACK TO SAVEPOINT replay")
                total += time.perf_counter() - t
        transaction.set_rollback(True)
    return total


def measure(name: str, fn: Callable[[int], Any], repeat: int, warm: bool = True) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if ONLY and not any(name.startswith(p) for p in ONLY):
        return {}
    if warm:
        fn(0)  # imports, templates, caches (the jobs, run fewer times, go cold)
    times, cpu = [], []
    captured: list[dict[str, Any]] = []
    for i in range(1, repeat + 1):
        with CaptureQueriesContext(connection) as ctx:
            c = time.process_time()
            t = time.perf_counter()
            fn(i)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        captured = list(ctx.captured_queries)
    if any(name.startswith(p) for p in PROFILE):
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
        fn(repeat + 1)
        profiler.stop()
        slug = re.sub(r"\W+", "_", name).strip("_")
        (OUT / f"profile_{slug}.txt").write_text(
            profiler.output_text(color=False, show_all=True), encoding="utf-8"
        )
        print(profiler.output_text(color=False))
    sql_times = []
    for _i in range(min(repeat, 5)):
        try:
            sql_times.append(replay(captured))
        except Exception as exc:  # a statement that cannot run twice (an INSERT of the same key)
            print(f"  {name}: replay stopped: {exc!s:.80}")
            break
    row = {
        "name": name,
        "median": statistics.median(times),
        "p95": sorted(times)[max(0, round(0.95 * len(times)) - 1)],
        "cpu": statistics.median(cpu),
        "queries": len(captured),
        "sql": statistics.median(sql_times) if sql_times else None,
    }
    print(f"  {name}: median {row['median'] * 1000:.0f} ms, p95 {row['p95'] * 1000:.0f} ms, "
          f"{row['queries']} queries, SQL {(row['sql'] or 0) * 1000:.0f} ms")  # fmt: skip
    return row


def get_user_model_by(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def check(response: Any, *codes: int) -> Any:
    if response.status_code not in (codes or (200,)):
        raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")
    return response


def home_of(role: str, **where: Any) -> Callable[[int], Any]:
    """The home page ("what waits for me") of the first login with this role (and unit), as a step to measure."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.filter(person__memberships__role=role, **where).order_by("pk").first()
    if user is None:
        raise RuntimeError(f"no login with the role {role} ({where})")
    reader = Client(HTTP_HOST="127.0.0.1")
    reader.force_login(user)
    return lambda i: check(reader.get("/"))


def worker_round() -> int:
    """What the worker does each round with the derived rows that filings marked stale (lights, repeated texts,
    scores): the steps then read them as a running worker keeps them, not the marks an earlier run's filings
    left (a page computes a stale light live; 900 of them took a province's bulletin 25 s more)."""
    from tongtui.assessment.listeners import refresh_scores
    from tongtui.supervision.listeners import refresh_lights, refresh_repeats

    return refresh_lights() + refresh_repeats() + refresh_scores()


def suite(scale: str, repeat: int, big_repeat: int) -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client

    from tongtui.assessment.ledger_db import recompute as recompute_scores
    from tongtui.dispatch.models import ProgressReport
    from tongtui.plans.models import Plan, Task
    from tongtui.publicity.actions import draft_of
    from tongtui.supervision.recompute import recompute_all

    User = get_user_model()
    plan = Plan.objects.get(year=YEAR)
    office = User.objects.get(username="office")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(office)
    rows = []
    worker_round()
    rows.append(measure("light recompute (all tasks)", lambda i: recompute_all(), big_repeat, warm=False))
    rows.append(
        measure("score recompute (all units)", lambda i: recompute_scores(plan, None), big_repeat, warm=False)
    )
    units = list(Task.objects.values_list("lead_unit_id", flat=True).order_by("lead_unit_id").distinct())
    busiest = max(units, key=lambda u: Task.objects.filter(lead_unit_id=u).count())
    task_ids = list(Task.objects.filter(status="in_progress").order_by("pk").values_list("pk", flat=True))
    p = plan.pk

    def get(url: str) -> Callable[[int], Any]:
        return lambda i: check(client.get(url))

    rows.append(measure("home page, the office", get("/"), repeat))
    rows.append(measure("home page, a leader", home_of("leader"), repeat))
    rows.append(measure("home page, the busiest unit's liaison",
                        home_of("liaison", person__memberships__unit_id=busiest), repeat))  # fmt: skip
    rows.append(measure("task list page, one unit", get(f"/tasks/?plan={p}&lead_unit={busiest}"), repeat))
    rows.append(measure("task list page, red light", get(f"/tasks/?plan={p}&light=red"), repeat))
    rows.append(measure("task list API, one unit", get(f"/api/tasks/?plan={p}&lead_unit={busiest}"), repeat))
    rows.append(measure("task list API, red light", get(f"/api/tasks/?plan={p}&light=red"), repeat))
    rows.append(measure("task detail page", lambda i: check(client.get(f"/tasks/{task_ids[i]}/")), repeat))
    rows.append(measure("cockpit", get("/cockpit/"), repeat))
    rows.append(measure("review queue", get("/reports/review/"), repeat))
    rows.append(measure("ledger export (.xlsx)", get(f"/tasks/ledger.xlsx?plan={p}"), big_repeat, warm=False))
    as_of = datetime.date(YEAR, 11, 30)
    rows.append(measure("bulletin (generated text)",
                        lambda i: draft_of(plan, start=datetime.date(YEAR, 11, 1), as_of=as_of), big_repeat))  # fmt: skip
    free = period_start_free()
    ProgressReport.objects.filter(period_start=free).delete()  # left by a run that stopped half-way
    submitters = list(
        Task.objects.filter(pk__in=task_ids[repeat + 2 :])
        .exclude(reports__period_start=free)
        .order_by("pk")
        .values_list("pk", "lead_unit_id")[: repeat + 2]
    )
    liaisons = {u.pk: u for u in User.objects.filter(person__memberships__role="liaison",
                                                     person__memberships__unit_id__in=[u for _t, u in submitters])}  # fmt: skip
    by_unit = {u.person.memberships.get().unit_id: u for u in liaisons.values()}
    writer = Client(HTTP_HOST="127.0.0.1")

    def submit(i: int) -> None:
        task_id, unit_id = submitters[i]
        writer.force_login(by_unit[unit_id])
        file_report(writer, task_id, free)

    rows.append(measure("report submission (3 API requests)", submit, repeat))
    book = write_book(3000)

    def import_book(i: int) -> None:
        with transaction.atomic():
            call_command("import_tasks", str(book), "--plan", str(YEAR + 1), "--by", "office", verbosity=0)
            transaction.set_rollback(True)

    Plan.objects.get_or_create(year=YEAR + 1, defaults={"title": f"{YEAR + 1}年重点工作"})
    rows.append(measure("3,000-row task import", import_book, max(2, big_repeat), warm=False))
    ProgressReport.objects.filter(period_start=free).delete()
    worker_round()  # the filed reports are gone: their marks too, as the worker would leave them
    return [r for r in rows if r]


def period_start_free() -> datetime.date:
    """The first period of the plan's cycle with no report yet: what a liaison files now."""
    from tongtui.dispatch.models import ProgressReport

    loaded = ProgressReport.objects.filter(status__in=["accepted", "signed_off", "returned"])
    last = loaded.order_by("-period_end").values_list("period_end", flat=True).first()
    assert last is not None
    return last + datetime.timedelta(days=1)


def file_report(client: Any, task_id: int, start: datetime.date) -> None:
    r = check(client.post("/api/reports/", {"task": task_id, "period_start": start.isoformat()},
                          content_type="application/json"), 200, 201)  # fmt: skip
    report = r.json()
    r = check(client.patch(f"/api/reports/{report['id']}/", {"progress": "50", "done": f"第{task_id}项本期完成情况",
                                                               "next_steps": "下步", "version": report["version"]}, content_type="application/json"))  # fmt: skip
    check(client.post(f"/api/reports/{report['id']}/submit/", {"version": r.json()["version"]},
                      content_type="application/json"))  # fmt: skip


def write_book(rows: int) -> Path:
    """A 3,000-row task book (CSV) naming the loaded units."""
    from tongtui.orgs.models import Unit

    names = list(Unit.objects.filter(kind="department").order_by("pk").values_list("name", flat=True))
    path = OUT / f"scale_book_{rows}.csv"
    OUT.mkdir(parents=True, exist_ok=True)
    lines = ["序号,重点任务,牵头单位,配合单位,完成时限"]
    for i in range(rows):
        lines.append(f"{i + 1},导入任务第{i + 1}项,{names[i % len(names)]},{names[(i * 7 + 3) % len(names)]},"
                     f"{YEAR + 1}年{i % 12 + 1}月底前")  # fmt: skip
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# -- concurrent load -------------------------------------------------------------------------------


def load_test(url: str, seconds: int, clients: int) -> dict[str, Any]:
    """gunicorn (2 sync workers) on loopback: wrk on the list API, then threads filing reports."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "False", "SECRET_KEY": "bench-" + "x" * 50,
           "ALLOWED_HOSTS": "127.0.0.1", "SUPERVISION_LIGHTS_ON_CHANGE": "true"}  # fmt: skip
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "tongtui.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {}
    try:
        for _i in range(60):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=2)
                break
            except Exception:
                time.sleep(0.5)
        from tongtui.orgs.models import Unit

        unit = Unit.objects.filter(kind="department").order_by("pk").values_list("pk", flat=True).first()
        api = f"{base}/api/tasks/?plan=1&lead_unit={unit}"
        wrk = subprocess.run(
            ["/usr/bin/wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--latency",
             "-H", f"Authorization: Token {TOKEN}", api],
            capture_output=True, text=True, timeout=seconds + 60,
        )  # fmt: skip
        m = re.search(r"Requests/sec:\s+([\d.]+)", wrk.stdout)
        lat = re.search(r"50%\s+([\d.]+)(us|ms|s)", wrk.stdout)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk.stdout)
        out["list_api_rps"] = float(m.group(1)) if m else None
        out["list_api_p50_ms"] = _ms(lat) if lat else None
        out["list_api_errors"] = int(non2xx.group(1)) if non2xx else 0
        out.update(submit_load(base, seconds, clients))
    finally:
        server.terminate()
        server.wait(20)
    return out


def _ms(m: re.Match[str]) -> float:
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def submit_load(base: str, seconds: int, clients: int) -> dict[str, Any]:
    """`clients` threads, each a liaison of its own units with an API token, filing reports for `seconds`."""
    from rest_framework.authtoken.models import Token

    from tongtui.dispatch.models import ProgressReport
    from tongtui.plans.models import Task

    free = period_start_free()
    todo = list(Task.objects.filter(status="in_progress").exclude(reports__period_start=free)
                .order_by("-pk").values_list("pk", "lead_unit_id")[:5000])  # fmt: skip
    lanes: list[list[tuple[int, str]]] = [[] for _i in range(clients)]
    tokens: dict[int, str] = {}
    from django.contrib.auth import get_user_model

    for task_id, unit_id in todo:
        if unit_id not in tokens:
            user = get_user_model().objects.get(username__endswith="-liaison", person__unit_id=unit_id)
            tokens[unit_id] = Token.objects.get_or_create(user=user)[0].key
        lanes[unit_id % clients].append((task_id, tokens[unit_id]))
    done: list[float] = []
    failed: list[str] = []
    stop_at = time.perf_counter() + seconds

    def call(method: str, url: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
        req = urllib.request.Request(base + url, method=method, data=json.dumps(body).encode(),
                                     headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})  # fmt: skip
        with urllib.request.urlopen(req, timeout=60) as r:
            result: dict[str, Any] = json.loads(r.read())
            return result

    def lane(items: list[tuple[int, str]]) -> None:
        for task_id, token in items:
            if time.perf_counter() > stop_at:
                return
            t = time.perf_counter()
            try:
                r = call("POST", "/api/reports/", token, {"task": task_id, "period_start": free.isoformat()})
                r = call(
                    "PATCH",
                    f"/api/reports/{r['id']}/",
                    token,
                    {"progress": "50", "done": f"完成{task_id}", "version": r["version"]},
                )
                call("POST", f"/api/reports/{r['id']}/submit/", token, {"version": r["version"]})
                done.append(time.perf_counter() - t)
            except Exception as exc:
                failed.append(str(exc)[:100])

    started = time.perf_counter()
    threads = [threading.Thread(target=lane, args=(items,)) for items in lanes]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - started
    ProgressReport.objects.filter(period_start=free).delete()
    return {
        "submissions_per_s": round(len(done) / elapsed, 1),
        "submission_p50_ms": round(statistics.median(done) * 1000) if done else None,
        "submission_errors": len(failed),
        "submission_first_error": failed[0] if failed else "",
    }


# -- the table -------------------------------------------------------------------------------------


def machine() -> str:
    cpus = os.cpu_count()
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except Exception:
        pass
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))  # fmt: skip
    except Exception:
        pass
    return f"{cpus} CPUs ({model}){mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("select sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def table(scale: str, db: str, loaded: dict[str, Any], rows: list[dict[str, Any]], load: dict[str, Any],
          repeat: int) -> str:  # fmt: skip
    s = SHAPES[scale]
    head = (
        f"### {scale}, {database_version()} ({datetime.date.today():%Y-%m-%d})\n\n"
        f"{s.units:,} units, {s.tasks:,} tasks, {s.milestones:,} milestones, {s.reports:,} {s.frequency} reports. "
        f"Machine: {machine()}; 1-minute load {os.getloadavg()[0]:.1f} when the suite ended (above 2, the "
        "machine was shared and wall times are inflated; app CPU is less affected). "
    )
    if loaded:
        head += f"Loaded {loaded['rows']:,} rows in {loaded['seconds']:.0f} s. "
    head += (
        f"Pages and API {repeat} runs each, jobs fewer (median, p95 of wall time); app CPU = this process's CPU "
        "time (median), which the other work on the machine inflates less; bare SQL = the queries of one run "
        "replayed on a cursor; ratio = median / bare SQL.\n\n"
    )
    lines = [
        "| step | median | p95 | app CPU | queries | bare SQL | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        sql = r["sql"]
        ratio = f"{r['median'] / sql:.1f}×" if sql else "—"
        lines.append(f"| {r['name']} | {_fmt(r['median'])} | {_fmt(r['p95'])} | {_fmt(r['cpu'])} | {r['queries']} | "
                     f"{_fmt(sql) if sql else '—'} | {ratio} |")  # fmt: skip
    text = head + "\n".join(lines) + "\n"
    if load:
        text += (
            f"\nUnder load (gunicorn, 2 sync workers, loopback): list API {load.get('list_api_rps')} requests/s "
            f"(p50 {load.get('list_api_p50_ms')} ms, {load.get('list_api_errors')} non-2xx) with wrk at 8 "
            f"connections; report filing {load.get('submissions_per_s')} reports/s (3 requests each, p50 "
            f"{load.get('submission_p50_ms')} ms, {load.get('submission_errors')} failed) from 8 threads.\n"
        )
    return text


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def write_doc(scale: str, db: str, text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    start, end = "<!-- scale:start -->", "<!-- scale:end -->"
    before, rest = doc.split(start, 1)
    inner, after = rest.split(end, 1)
    key = f"<!-- {scale}/{db} -->"
    blocks = {}
    for part in re.split(r"(?=<!-- \w+/\w+ -->)", inner):
        m = re.match(r"<!-- (\w+/\w+) -->", part)
        if m:
            blocks[m.group(0)] = part.strip()
    blocks[key] = f"{key}\n{text.strip()}"
    order = [
        f"<!-- {s}/{d} -->" for s in ("district", "city", "province", "tiny") for d in ("postgres", "sqlite")
    ]
    body = "\n\n".join(blocks[k] for k in order if k in blocks)
    DOC.write_text(f"{before}{start}\n{body}\n{end}{after}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=sorted(SHAPES), default="district")
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20, help="runs of each page (default 20)")
    parser.add_argument("--big-repeat", type=int, default=3, help="runs of each job (default 3)")
    parser.add_argument("--no-load", action="store_true", help="reuse the data already loaded")
    parser.add_argument("--no-concurrency", action="store_true", help="skip gunicorn, wrk and the threads")
    parser.add_argument("--seconds", type=int, default=20, help="length of each concurrent run")
    parser.add_argument(
        "--profile",
        action="append",
        default=[],
        metavar="STEP",
        help="profile the steps whose name starts so (pyinstrument), e.g. 'cockpit'",
    )
    parser.add_argument("--only", action="append", default=[], metavar="STEP", help="run only these steps")
    parser.add_argument("--load-only", action="store_true", help="load the data, measure nothing")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave docs/ alone")
    args = parser.parse_args()
    url = database_url(args.scale, args.db)
    if args.db == "postgres":
        ensure_pg_database(url)
    setup_django(url)
    loaded: dict[str, Any] = {}
    if not args.no_load:
        fresh_database(url, OUT / f"scale_{args.scale}.sqlite3")
        print(f"loading {args.scale} into {url}")
        loaded = generate(args.scale, args.seed)
        print(f"loaded {loaded}")
        (OUT / f"scale_{args.scale}_{args.db}_load.json").write_text(json.dumps(loaded))
    elif (OUT / f"scale_{args.scale}_{args.db}_load.json").exists():
        loaded = json.loads((OUT / f"scale_{args.scale}_{args.db}_load.json").read_text())
    if args.load_only:
        return
    PROFILE.extend(args.profile)
    ONLY.extend(args.only)
    rows = suite(args.scale, args.repeat, args.big_repeat)
    load = {} if args.no_concurrency else load_test(url, args.seconds, 8)
    print(json.dumps(load, ensure_ascii=False))
    text = table(args.scale, args.db, loaded, rows, load, args.repeat)
    print(text)
    if not args.no_write:
        write_doc(args.scale, args.db, text)


if __name__ == "__main__":
    main()
