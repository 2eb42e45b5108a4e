"""Benchmark: the full recompute of a plan's score ledger and its rankings for a large city — 1,000 units,
20,000 tasks, a year of events.

    createdb -h 127.0.0.1 -U postgres tongtui_assess_bench     # once
    .venv/bin/python bench/scores.py --database-url postgres://postgres@127.0.0.1:5432/tongtui_assess_bench
    .venv/bin/python bench/scores.py            # SQLite file under bench/out/ (smaller: --tasks 2000)

Written with bulk_create: 1,000 units (100 towns, 900 departments), 20,000 assigned tasks (each with a lead
unit and one or two co-units, three milestones of which some are overdue), twelve monthly reports per task
(about 10 % filed late, 5 % returned once, the history rows of the returns included), 2,000 rectification
orders not passed, 300 admonitions held, 1,000 spot checks not confirmed, 500 manual bonuses. Then timed:
the first full recompute (writes every entry), a second one (writes nothing), the quarter's and the year's
rankings. Target: the full recompute under 30 s on PostgreSQL.
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _db import OUT, fresh_database, setup_django  # noqa: E402

DB = OUT / "scores_bench.sqlite3"
YEAR = 2026


def build(units_n: int, tasks_n: int, rng: random.Random) -> object:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from tongtui.assessment.models import ManualEntry
    from tongtui.dispatch.models import ProgressReport, ReportStatus
    from tongtui.orgs.models import Unit
    from tongtui.plans.models import CoUnit, Milestone, Plan, Task
    from tongtui.supervision.models import Admonition, RectificationOrder, SpotCheck, SpotCheckItem

    def aware(d: datetime.date, hour: int = 10) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime(d.year, d.month, d.day, hour))

    office = get_user_model().objects.create_user("bench-office")
    plan = Plan.objects.create(year=YEAR, title=f"{YEAR}年重点工作")
    Unit.objects.bulk_create([Unit(name=f"单位{i:04d}", kind="town" if i < units_n // 10 else "department",
                                   order=i) for i in range(units_n)])  # fmt: skip
    unit_ids = list(Unit.objects.values_list("pk", flat=True))
    jan = datetime.date(YEAR, 1, 1)
    Task.objects.bulk_create(
        [Task(plan=plan, code=str(i + 1), code_sort=f"{i + 1:06d}", title=f"重点任务{i + 1}", status="in_progress",
              lead_unit_id=unit_ids[i % units_n], weight=Decimal(rng.choice([1, 1, 1, 2])), start=jan,
              due=datetime.date(YEAR, 12, 31), assigned_at=aware(datetime.date(YEAR, 1, 10)))
         for i in range(tasks_n)], batch_size=2000,
    )  # fmt: skip
    tasks = list(Task.objects.filter(plan=plan).values_list("pk", "lead_unit_id"))
    co, ms, reports = [], [], []
    for pk, lead in tasks:
        for u in rng.sample(unit_ids, rng.choice([1, 2])):
            if u != lead:
                co.append(CoUnit(task_id=pk, unit_id=u))
        for m in range(3):
            due = datetime.date(YEAR, 3 + 3 * m, 28)
            done = (
                due
                if rng.random() < 0.8
                else (due + datetime.timedelta(days=9) if rng.random() < 0.5 else None)
            )
            ms.append(Milestone(task_id=pk, seq=m + 1, title=f"节点{m + 1}", due=due, planned_progress=25 * (m + 1),
                                done_on=done if done is None or done < datetime.date(YEAR, 11, 30) else None))  # fmt: skip
        for month in range(1, 12):
            end = datetime.date(YEAR, month + 1, 1) - datetime.timedelta(days=1)
            due = end + datetime.timedelta(days=5)
            late = rng.choice([1, 2, 3, 5]) if rng.random() < 0.1 else 0
            reports.append(ProgressReport(
                task_id=pk, unit_id=lead, period_start=end.replace(day=1), period_end=end, due=due,
                status=ReportStatus.ACCEPTED, first_submitted_at=aware(due + datetime.timedelta(days=late)),
                submitted_at=aware(due), late_workdays=late,
                reviewed_at=aware(due + datetime.timedelta(days=2)) if rng.random() < 0.05 else None,
            ))  # fmt: skip
    CoUnit.objects.bulk_create(co, batch_size=5000, ignore_conflicts=True)
    Milestone.objects.bulk_create(ms, batch_size=5000)
    ProgressReport.objects.bulk_create(reports, batch_size=5000)
    hist = ProgressReport.history.model  # type: ignore[attr-defined]
    returned = ProgressReport.objects.filter(task__plan=plan, reviewed_at__isnull=False)
    hist.objects.bulk_create(
        [hist(id=r.pk, task_id=r.task_id, unit_id=r.unit_id, period_start=r.period_start, period_end=r.period_end,
              due=r.due, status=ReportStatus.RETURNED, reviewed_at=r.reviewed_at, late_workdays=r.late_workdays,
              version=1, created_at=r.reviewed_at, history_date=r.reviewed_at, history_type="~")
         for r in returned.iterator()], batch_size=5000,
    )  # fmt: skip
    orders = []
    for i in range(2000):
        pk, lead = rng.choice(tasks)
        issued = jan + datetime.timedelta(days=rng.randrange(300))
        orders.append(RectificationOrder(
            plan=plan, unit_id=lead, task_id=pk, problem=f"问题{i}", requirement="整改", issued_on=issued, workdays=5,
            deadline=issued + datetime.timedelta(days=7), first_deadline=issued + datetime.timedelta(days=7),
            status="not_passed", for_assessment=True, verified_at=aware(issued + datetime.timedelta(days=9)),
        ))  # fmt: skip
    RectificationOrder.objects.bulk_create(orders, batch_size=2000)
    Admonition.objects.bulk_create([
        Admonition(plan=plan, unit_id=rng.choice(unit_ids), reason="进度滞后", talked_with="主要负责人",
                   scheduled_for=(d := jan + datetime.timedelta(days=rng.randrange(330))), held_on=d, status="held")
        for _i in range(300)
    ])  # fmt: skip
    check = SpotCheck.objects.create(plan=plan, title="抽查", seed="1", size=1000, floor=0.5, risk_weight=0.5,
                                     as_of=datetime.date(YEAR, 6, 30))  # fmt: skip
    SpotCheckItem.objects.bulk_create([
        SpotCheckItem(spot_check=check, task_id=pk, rank=i + 1, weight=1, risk=0, key=0, result="not_confirmed",
                      checked_on=datetime.date(YEAR, 7, 1) + datetime.timedelta(days=i % 90), for_assessment=True)
        for i, (pk, _l) in enumerate(rng.sample(tasks, min(1000, len(tasks))))
    ])  # fmt: skip
    ManualEntry.objects.bulk_create([
        ManualEntry(plan=plan, unit_id=rng.choice(unit_ids), kind=rng.choice(["practice", "innovation",
                    "commendation"]), reason="经验被采纳", on=jan + datetime.timedelta(days=rng.randrange(330)),
                    created_by=office)
        for _i in range(500)
    ])  # fmt: skip
    return plan


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database-url", default=f"sqlite:///{DB}")
    p.add_argument("--units", type=int, default=1000)
    p.add_argument("--tasks", type=int, default=20000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    os.environ["ASSESSMENT_SCORES_ON_CHANGE"] = "0"
    setup_django(args.database_url)
    from django.conf import settings

    settings.ASSESSMENT_SCORES_ON_CHANGE = False
    fresh_database(args.database_url, DB)
    from django.db import connection, reset_queries

    from tongtui.assessment.ledger_db import recompute
    from tongtui.assessment.models import ScoreEntry
    from tongtui.assessment.ranking import parse_period
    from tongtui.assessment.tables import rankings

    t0 = time.perf_counter()
    plan = build(args.units, args.tasks, random.Random(args.seed))
    print(f"built {args.units} units, {args.tasks} tasks in {time.perf_counter() - t0:.1f} s")
    as_of = datetime.date(YEAR, 12, 15)
    settings.DEBUG = True
    for label in ("full recompute (first)", "full recompute (again)"):
        reset_queries()
        t = time.perf_counter()
        w = recompute(plan, as_of=as_of)  # type: ignore[arg-type]
        print(f"{label}: {time.perf_counter() - t:.1f} s, {len(connection.queries)} queries, {w}")
    print(f"ledger: {ScoreEntry.objects.count()} entries")
    for key in ("2026-Q2", "2026"):
        reset_queries()
        t = time.perf_counter()
        groups, _units = rankings(plan, parse_period(key))  # type: ignore[arg-type]
        print(f"rankings {key}: {time.perf_counter() - t:.1f} s, {len(connection.queries)} queries, "
              f"{sum(len(g.rows) for g in groups)} rows")  # fmt: skip


if __name__ == "__main__":
    main()
