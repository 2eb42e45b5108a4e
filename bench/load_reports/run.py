"""The 300-units-in-one-minute benchmark, start to finish; it stops by itself and cleans up after itself.

    .venv/bin/python bench/load_reports/run.py [--units 300] [--workers 5] [--spawn-rate 50] [--run-time 300]

1. (re)creates the database tongtui_bench on PostgreSQL (--pg), migrates it and seeds N units (seed.py);
2. serves the app with gunicorn (--workers sync workers) on 127.0.0.1 only, evidence in a temporary folder;
3. runs locust headless: N liaisons log in (spawn rate --spawn-rate/s), wait until all are in, then each saves
   a draft with one photo and submits it, once; the run ends when all are done (or at --run-time);
4. stops gunicorn, checks in the database that N reports are submitted with their evidence, reads locust's
   statistics (median and p95 per step, 5xx) and prints them, also as JSON (--json); drops the database
   unless --keep-db.
"""

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PY = ROOT / ".venv" / "bin" / "python"
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recreate_db(pg: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(pg + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def run(cmd: list[str], env: dict[str, str], timeout: int) -> None:
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, timeout=timeout)


def wait_until_up(url: str, server: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before serving")
        try:
            with urllib.request.urlopen(url + "/login/", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


def stop(process: subprocess.Popen | None, seconds: int = 20) -> None:
    """Stop a process this script started, by its id: TERM, then KILL if it lingers."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time used so far by gunicorn's master and workers (the machine may be shared)."""
    import psutil

    master = psutil.Process(server.pid)
    total = 0.0
    for proc in [master, *master.children(recursive=True)]:
        try:
            t = proc.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            continue
    return total


def verify(env: dict[str, str], units: int) -> dict[str, int]:
    code = (
        "import json, django; django.setup()\n"
        "from tongtui.dispatch.models import ProgressReport, Attachment\n"
        "from tongtui.plans.models import Task\n"
        "print(json.dumps({'tasks': Task.objects.count(),"
        " 'submitted': ProgressReport.objects.filter(status='submitted').count(),"
        " 'reports': ProgressReport.objects.count(),"
        " 'with_evidence': ProgressReport.objects.filter(status='submitted', attachments__isnull=False).distinct().count(),"
        " 'attachments': Attachment.objects.count()}))\n"
    )
    out = subprocess.run(
        [str(PY), "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=120
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="") as f:
        return list(csv.DictReader(f))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers (2 × CPUs + 1)")
    parser.add_argument("--spawn-rate", type=float, default=50)
    parser.add_argument(
        "--within",
        type=float,
        default=60,
        help="spread the submissions over this many seconds (0: all at once)",
    )
    parser.add_argument("--run-time", type=int, default=420, help="upper bound in seconds")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="tongtui_bench")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tongtui-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tongtui.settings",
        "DATABASE_URL": f"{args.pg}/{args.db}",
        "DB_CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work),
        "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DISPATCH_DUE_HORIZON_DAYS": "31",  # the current month's report shows as due on any day of the month
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "ERROR",
    }
    server = None
    started = time.time()
    try:
        recreate_db(args.pg, args.db)
        run([str(PY), "-m", "tongtui", "migrate", "--noinput", "-v", "0"], env, 600)
        run([str(PY), str(HERE / "seed.py"), "--units", str(args.units)], env, 300)
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "tongtui.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "120",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        host = f"http://127.0.0.1:{port}"
        wait_until_up(host, server)
        prefix = work / "locust"
        result = work / "result.json"
        locust_env = {
            **env,
            "BENCH_USERS": str(args.units),
            "BENCH_RESULT": str(result),
            "BENCH_WITHIN": str(args.within),
            "BENCH_BARRIER_TIMEOUT": str(max(30, args.run_time - 60)),
        }
        samples: list[tuple[float, float]] = []
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.wait(1):
                try:
                    samples.append((time.time(), server_cpu_seconds(server)))
                except Exception:  # the server is stopping
                    return

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        t0 = time.time()
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--host",
                host,
                "--users",
                str(args.units),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.run_time}s",
                "--stop-timeout",
                "30",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            cwd=ROOT,
            timeout=args.run_time + 120,
            check=False,
        )
        locust_seconds = time.time() - t0
        cpu = server_cpu_seconds(server)
        load = os.getloadavg()
        sampling.set()
        sampler.join()
        stop(server)
        server = None
        outcome = json.loads(result.read_text()) if result.exists() else {}
        db = verify(env, args.units)
        rows = read_stats(prefix)
        steps = {
            r["Name"]: {
                "requests": int(r["Request Count"]),
                "failures": int(r["Failure Count"]),
                "median_ms": float(r["Median Response Time"] or 0),
                "p95_ms": float(r["95%"] or 0),
                "max_ms": float(r["Max Response Time"] or 0),
            }
            for r in rows
        }
        burst = burst_cpu = None
        if outcome.get("all_in_at") and outcome.get("last_submit"):
            burst = round(outcome["last_submit"] - outcome["all_in_at"], 1)
            before = [c for t, c in samples if t <= outcome["all_in_at"]]
            burst_cpu = round(cpu - (before[-1] if before else 0.0), 1)
        figures = {
            "units": args.units,
            "workers": args.workers,
            "cpus": os.cpu_count(),
            "load_average_1_5_15": [round(x, 1) for x in load],
            "server_cpu_seconds": round(cpu, 1),
            "locust_seconds": round(locust_seconds, 1),
            "within_seconds": args.within,
            "submit_phase_seconds": burst,
            "submit_phase_server_cpu_seconds": burst_cpu,
            "server_errors_5xx": outcome.get("5xx"),
            "locust": outcome,
            "database": db,
            "steps": steps,
            "total_seconds": round(time.time() - started, 1),
        }
        ok = (
            db["submitted"] == args.units
            and db["with_evidence"] == args.units
            and outcome.get("5xx") == 0
            and all(s["failures"] == 0 for s in steps.values())
        )
        figures["ok"] = ok
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        if args.json:
            args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2))
        print("PASS: every report submitted, no 5xx" if ok else "FAIL: see the figures above")
        if not ok:
            sys.exit(1)
    finally:
        stop(server)
        if not args.keep_db:
            recreate_db(args.pg, args.db, drop_only=True)
        subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    main()
