"""Benchmark: recompute the traffic lights of 50,000 tasks (about 4 milestones and 10 reports each) on PostgreSQL.

    .venv/bin/python bench/lights_50k.py [--tasks 50000] [--seed 1] [--keep]

Creates (or, without --keep, drops and re-creates) the database tongtui_bench_lights on
postgres://postgres@127.0.0.1:5432, migrates it and bulk-inserts one plan year: a district of 200 units,
a monthly report cycle, the tasks in a mix of statuses, ~4 milestones each, ~10 monthly reports each
(filed, some accepted, some late, some missing) and a few tasks running late. The data generation uses
bulk_create and bypasses the actions: it is test data, not a journey.

It also writes the history rows of the tasks (created, assigned, closed) and of the milestones (created,
marked done) as simple_history would have.

Then, each in its own process (so the figures are the recompute's alone), times the full recompute
`recompute_all()` (facts loaded set-based in chunks + lights computed + TaskLight and LightHistory
upserted) three times: today into empty tables, today again over the rows of the first run, and as of
30 June (the task status from history, only reports submitted by then; LightHistory rows only). Reports wall time, CPU time,
peak resident memory, the number of SQL queries and the lights counted.
"""

import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "tongtui_bench_lights"
SERVER = "postgres://postgres@127.0.0.1:5432"
YEAR = 2026


def _setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongtui.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def generate(n_tasks: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tongtui.dispatch.models import ProgressReport, ReportCycle, ReportStatus
    from tongtui.orgs.models import Unit
    from tongtui.plans.models import Category, Milestone, Plan, Task, TaskStatus

    rnd = random.Random(seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()

    district = Unit.objects.create(name="示范区人民政府", kind="district")
    units = Unit.objects.bulk_create(
        [Unit(name=f"单位{i:03d}", parent=district, kind="department") for i in range(200)]
    )
    plan = Plan.objects.create(year=YEAR, title=f"{YEAR}年重点工作")
    categories = Category.objects.bulk_create(
        [
            Category(plan=plan, name=n, order=i)
            for i, n in enumerate(["产业转型升级", "乡村振兴", "生态环境保护", "民生保障"])
        ]
    )
    ReportCycle.objects.create(plan=plan, frequency="monthly", due_kind="day_of_month", day_of_month=25)

    statuses = (
        [TaskStatus.IN_PROGRESS] * 70
        + [TaskStatus.ACKNOWLEDGED] * 10
        + [TaskStatus.CLOSED] * 8
        + [TaskStatus.COMPLETION_REQUESTED] * 5
        + [TaskStatus.ASSIGNED] * 3
        + [TaskStatus.SUSPENDED, TaskStatus.CANCELLED, TaskStatus.DRAFT, TaskStatus.DRAFT]
    )
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    batch = 5000
    for lo in range(0, n_tasks, batch):
        tasks = []
        for i in range(lo, min(lo + batch, n_tasks)):
            start = datetime.date(YEAR, rnd.choice([1, 1, 1, 2, 3]), 1)
            due = datetime.date(YEAR, rnd.choice([6, 9, 12, 12, 12]), 28 if rnd.random() < 0.5 else 30)
            status = rnd.choice(statuses)
            if due < today and status != TaskStatus.DRAFT and rnd.random() < 0.8:
                status = TaskStatus.CLOSED  # most tasks due by now were finished and closed
            tasks.append(
                Task(
                    plan=plan,
                    code=f"{i + 1}",
                    title=f"重点任务{i + 1}",
                    category=rnd.choice(categories),
                    lead_unit=rnd.choice(units),
                    start=start,
                    due=due,
                    status=status,
                    closed_on=due if status == TaskStatus.CLOSED else None,
                    assigned_at=datetime.datetime(YEAR, start.month, 5, 9, tzinfo=tz),
                )
            )
        tasks = Task.objects.bulk_create(tasks)
        milestones, reports = [], []
        for t in tasks:
            span = (t.due - t.start).days
            count = rnd.choice([3, 4, 4, 4, 5])
            pace = rnd.choice([1.0, 1.0, 1.0, 0.9, 0.8, 0.6, 1.1])  # some run behind
            for k in range(1, count + 1):
                m_due = t.start + datetime.timedelta(days=span * k // count)
                planned = Decimal(100 * k // count)
                done = (
                    m_due + datetime.timedelta(days=rnd.randint(-5, 15))
                    if pace >= 1 and m_due < today
                    else None
                )
                milestones.append(
                    Milestone(
                        task=t, seq=k, title=f"节点{k}", due=m_due, planned_progress=planned, done_on=done
                    )
                )
            if t.status in (TaskStatus.DRAFT, TaskStatus.ASSIGNED):
                continue
            last_month = min(t.due.month, today.month) if t.status == TaskStatus.CLOSED else today.month
            for month in range(t.start.month, last_month + 1):
                if rnd.random() < 0.03:  # a missed month
                    continue
                p_start = datetime.date(YEAR, month, 1)
                p_end = datetime.date(YEAR + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
                elapsed = max(0.0, min(1.0, (p_end - t.start).days / max(span, 1)))
                progress = min(100, round(100 * elapsed * pace + rnd.uniform(-3, 3), 1))
                submitted = datetime.datetime(YEAR, month, 25, 10, tzinfo=tz) + datetime.timedelta(
                    days=rnd.choice([-2, -1, 0, 0, 1, 4])
                )
                if submitted.date() > today:
                    continue
                status = ReportStatus.ACCEPTED if rnd.random() < 0.7 else ReportStatus.SUBMITTED
                reports.append(
                    ProgressReport(
                        task=t,
                        unit_id=t.lead_unit_id,
                        period_start=p_start,
                        period_end=p_end,
                        due=datetime.date(YEAR, month, 25),
                        progress=Decimal(str(max(progress, 0))),
                        done="本期完成情况",
                        next_steps="下步计划",
                        status=status,
                        first_submitted_at=submitted,
                        submitted_at=submitted,
                        reviewed_at=submitted + datetime.timedelta(days=2)
                        if status == ReportStatus.ACCEPTED
                        else None,
                    )
                )
        Task.history.model.objects.bulk_create(history_rows(tasks, tz), batch_size=5000)  # type: ignore[attr-defined]
        milestones = Milestone.objects.bulk_create(milestones, batch_size=5000)
        Milestone.history.model.objects.bulk_create(milestone_history(milestones, tz), batch_size=5000)  # type: ignore[attr-defined]
        ProgressReport.objects.bulk_create(reports, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generated {Task.objects.count():,} tasks, {Milestone.objects.count():,} milestones, "
        f"{ProgressReport.objects.count():,} reports in {time.perf_counter() - started:.1f} s"
    )


def history_rows(tasks: list, tz: datetime.tzinfo) -> list:
    """What simple_history would have recorded: created as a draft, assigned, and closed for closed tasks."""
    from tongtui.plans.models import Task, TaskStatus

    historical = Task.history.model  # type: ignore[attr-defined]
    names = [f.attname for f in historical._meta.fields if not f.name.startswith("history_")]
    rows = []
    for t in tasks:
        values = {n: getattr(t, n) for n in names if hasattr(t, n)}
        created = datetime.datetime.combine(t.start, datetime.time(9), tzinfo=tz) - datetime.timedelta(days=3)
        steps = [(TaskStatus.DRAFT, created), (TaskStatus.ASSIGNED, t.assigned_at)]
        if t.status not in (TaskStatus.DRAFT, TaskStatus.ASSIGNED, TaskStatus.CLOSED):
            steps.append((t.status, t.assigned_at + datetime.timedelta(days=5)))
        if t.status == TaskStatus.CLOSED:
            steps.append((TaskStatus.IN_PROGRESS, t.assigned_at + datetime.timedelta(days=5)))
            steps.append(
                (TaskStatus.CLOSED, datetime.datetime.combine(t.closed_on, datetime.time(17), tzinfo=tz))
            )
        if t.status == TaskStatus.DRAFT:
            steps = steps[:1]
        for i, (status, when) in enumerate(steps):
            rows.append(
                historical(
                    **{
                        **values,
                        "status": status,
                        "closed_on": t.closed_on if status == TaskStatus.CLOSED else None,
                    },
                    history_date=when,
                    history_type="+" if i == 0 else "~",
                )
            )
    return rows


def milestone_history(milestones: list, tz: datetime.tzinfo) -> list:
    """Each milestone recorded when its task was set up, and again on the day it was marked done."""
    from tongtui.plans.models import Milestone

    historical = Milestone.history.model  # type: ignore[attr-defined]
    names = [f.attname for f in historical._meta.fields if not f.name.startswith("history_")]
    rows = []
    for m in milestones:
        values = {n: getattr(m, n) for n in names if hasattr(m, n)}
        created = datetime.datetime.combine(m.task.start, datetime.time(9), tzinfo=tz) - datetime.timedelta(
            days=3
        )
        rows.append(historical(**{**values, "done_on": None}, history_date=created, history_type="+"))
        if m.done_on is not None:
            when = datetime.datetime.combine(m.done_on, datetime.time(18), tzinfo=tz)
            rows.append(historical(**values, history_date=when, history_type="~"))
    return rows


def run_recompute(as_of: str | None = None) -> None:
    """One recompute of every light, in this process; prints its figures as one line."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from tongtui.supervision.recompute import recompute_all

    reset_queries()
    wall, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        counts = recompute_all(datetime.date.fromisoformat(as_of) if as_of else None)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = sum(counts.values())
    lights = ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
    print(
        f"recompute {total:,} tasks: wall {wall:.1f} s, CPU {cpu:.1f} s, peak RSS {peak:.0f} MB, "
        f"{len(queries)} queries; {lights}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="reuse the database and its data")
    parser.add_argument("--phase", choices=["recompute"], help=argparse.SUPPRESS)
    parser.add_argument("--as-of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "recompute":
        _setup_django()
        run_recompute(args.as_of)
        return
    if not args.keep:
        recreate_database()
        _setup_django()
        generate(args.tasks, args.seed)
    _setup_django()
    from tongtui.supervision.models import LightHistory, TaskLight

    TaskLight.objects.all().delete()
    LightHistory.objects.all().delete()
    runs = [
        ("today, into empty tables", []),
        ("today again, upserting over the first run's rows", []),
        (
            f"as of {YEAR}-06-30 (status from history, reports known then; history rows only)",
            ["--as-of", f"{YEAR}-06-30"],
        ),
    ]
    for label, extra in runs:
        print(label + ":", flush=True)
        subprocess.run([sys.executable, __file__, "--phase", "recompute", *extra], check=True)


if __name__ == "__main__":
    main()
