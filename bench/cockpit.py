"""Benchmark: the leaders' cockpit and the role homes for a city — 300 units, 3,000 tasks, a year of reports
and of daily light history — with server time and query count.

    createdb -h 127.0.0.1 -U postgres tongtui_homes_bench     # once
    .venv/bin/python bench/cockpit.py --database-url postgres://postgres@127.0.0.1:5432/tongtui_homes_bench
    .venv/bin/python bench/cockpit.py            # SQLite file under bench/out/

The data is written with bulk_create (the cockpit only reads it): 300 units with a liaison and a head each,
20 leaders, 8 categories, 3,000 leaf tasks with 4 milestones each, monthly report cycle, eleven monthly
reports per task (some late, some returned), a stored light per task and one light-history row per task per
day of the year so far, problems put to leaders. Then the pages are fetched through the test client as the
office (whole plan), a leader (their tasks), the office's and a liaison's home, each `--repeat` times; the
median wall time and the number of SQL queries are printed. The counts are pinned in tests/home.
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _db import OUT, fresh_database, setup_django  # noqa: E402

DB = OUT / "cockpit_bench.sqlite3"
YEAR = 2026


def build_city(units_n: int, tasks_n: int, today: datetime.date, rng: random.Random) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from tongtui.dispatch import actions_cycles
    from tongtui.dispatch.models import Problem, ProgressReport, ReportStatus
    from tongtui.orgs.models import Membership, Person, Role, Unit
    from tongtui.plans.models import Category, Milestone, Plan, Task, TaskStatus
    from tongtui.supervision.models import LightHistory, TaskLight

    User = get_user_model()
    root = Unit.objects.create(name="示范市人民政府", short_name="市政府", kind="district")
    office_unit = Unit.objects.create(name="市政府督查室", kind="office", parent=root)
    units = Unit.objects.bulk_create(
        [Unit(name=f"市第{i:03d}单位", short_name=f"单位{i:03d}", kind="department", parent=root, order=i)
         for i in range(units_n)]
    )  # fmt: skip
    User.objects.bulk_create(
        [User(username=f"u{i:03d}-{r}") for i in range(units_n) for r in ("liaison", "head")]
        + [User(username="office"), *[User(username=f"leader{i:02d}") for i in range(20)]]
    )
    by_name = {u.username: u for u in User.objects.all()}
    people, members = [], []
    for i, unit in enumerate(units):
        for r in ("liaison", "head"):
            people.append(Person(user=by_name[f"u{i:03d}-{r}"], name=f"{r}{i}", unit=unit))
    people.append(Person(user=by_name["office"], name="督查员", unit=office_unit))
    leaders = [Person(user=by_name[f"leader{i:02d}"], name=f"副市长{i:02d}", unit=root) for i in range(20)]
    Person.objects.bulk_create(people + leaders)
    for p in Person.objects.select_related("user"):
        name = p.user.username if p.user else ""
        role = {"liaison": Role.LIAISON, "head": Role.UNIT_HEAD}.get(name.rsplit("-", 1)[-1])
        if name == "office":
            role = Role.OFFICE
        elif name.startswith("leader"):
            role = Role.LEADER
        if role:
            members.append(Membership(person=p, unit_id=p.unit_id, role=role))
    Membership.objects.bulk_create(members)
    leaders = list(Person.objects.filter(name__startswith="副市长").order_by("name"))

    plan = Plan.objects.create(year=YEAR, title=f"{YEAR}年重点工作", status=Plan.Status.ACTIVE)
    categories = Category.objects.bulk_create(
        [Category(plan=plan, name=f"类别{i}", order=i) for i in range(8)]
    )
    assigned = timezone.make_aware(datetime.datetime(YEAR, 1, 5, 9))
    tasks = Task.objects.bulk_create(
        [
            Task(plan=plan, code=f"{i // 100 + 1}.{i % 100 + 1}", title=f"重点任务第{i + 1}项",
                 category=categories[i % 8], lead_unit=units[rng.randrange(units_n)], leader=leaders[i % 20],
                 start=datetime.date(YEAR, 1, 1), due=datetime.date(YEAR, 12, 31),
                 status=TaskStatus.IN_PROGRESS, assigned_at=assigned, lead_acknowledged_at=assigned,
                 progress=rng.randrange(0, 100))
            for i in range(tasks_n)
        ],
        batch_size=1000,
    )  # fmt: skip
    Milestone.objects.bulk_create(
        [Milestone(task=t, seq=q, title=f"节点{q}", due=datetime.date(YEAR, 3 * q, 28), planned_progress=25 * q,
                   done_on=datetime.date(YEAR, 3 * q, 20) if rng.random() < 0.7 and 3 * q < today.month else None)
         for t in tasks for q in range(1, 5)],
        batch_size=2000,
    )  # fmt: skip
    office = by_name["office"]
    actions_cycles.set_report_cycle(by=office, plan=plan, day_of_month=25)
    reports = []
    for t in tasks:
        for month in range(1, today.month):
            start = datetime.date(YEAR, month, 1)
            end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            late = rng.choice([0, 0, 0, 0, 1, 3])
            status = (
                ReportStatus.RETURNED
                if month == today.month - 1 and rng.random() < 0.05
                else (ReportStatus.ACCEPTED if month < today.month - 1 else ReportStatus.SIGNED_OFF)
            )
            submitted = timezone.make_aware(datetime.datetime(YEAR, month, 25, 10))
            reports.append(ProgressReport(task=t, unit_id=t.lead_unit_id, period_start=start, period_end=end,
                                          due=datetime.date(YEAR, month, 25), status=status, progress=month * 8,
                                          first_submitted_at=submitted, submitted_at=submitted,
                                          signed_off_at=submitted, late_workdays=late))  # fmt: skip
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    now = timezone.now()
    lights = ["red"] * 2 + ["yellow"] * 3 + ["green"] * 12 + ["grey", "blue"]
    TaskLight.objects.bulk_create(
        [TaskLight(task=t, light=rng.choice(lights), as_of=today, computed_at=now,
                   actual_progress=rng.randrange(0, 100), planned_progress=rng.randrange(40, 100),
                   forecast_slip=rng.randrange(-20, 90),
                   reasons=[{"code": "forecast_late", "figures": {"days": rng.randrange(5, 90)}}])
         for t in tasks],
        batch_size=2000,
    )  # fmt: skip
    day, history = datetime.date(YEAR, 1, 5), []
    while day <= today:
        history.extend(LightHistory(task=t, date=day, light=rng.choice(lights)) for t in tasks)
        if len(history) >= 50_000:
            LightHistory.objects.bulk_create(history, batch_size=5000)
            history = []
        day += datetime.timedelta(days=1)
    LightHistory.objects.bulk_create(history, batch_size=5000)
    Problem.objects.bulk_create(
        [Problem(task=t, unit_id=t.lead_unit_id, title=f"需协调事项{t.pk}", addressed_to="leader",
                 addressed_leader_id=t.leader_id, answer_by=today + datetime.timedelta(days=rng.randrange(-10, 10)))
         for t in tasks[::20]]
    )  # fmt: skip
    return {"plan": plan, "office": office, "leader": by_name["leader00"], "liaison": by_name["u000-liaison"],
            "leader_person": leaders[0]}  # fmt: skip


def measure(user: Any, url: str, repeat: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(url)  # warm the session and the working-day calendar
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=f"sqlite:///{DB}")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from django.utils import timezone

    today = timezone.localdate()
    fresh_database(args.database_url, DB)
    started = time.perf_counter()
    city = build_city(args.units, args.tasks, today, random.Random(args.seed))
    print(f"built {args.units} units, {args.tasks} tasks in {time.perf_counter() - started:.1f} s "
          f"on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")  # fmt: skip
    plan = city["plan"].pk
    pages = [
        ("cockpit, whole plan (office)", city["office"], f"/cockpit/?plan={plan}"),
        ("cockpit, one leader's tasks", city["office"], f"/cockpit/?plan={plan}&leader={city['leader_person'].pk}"),
        ("leader's home", city["leader"], "/"),
        ("office's home", city["office"], "/"),
        ("liaison's home", city["liaison"], "/"),
        ("weekly summary page", city["office"], f"/cockpit/weekly/?plan={plan}"),
        ("weekly summary .docx", city["office"], f"/cockpit/weekly.docx?plan={plan}"),
        ("menu badges (liaison)", city["liaison"], "/home/badges/"),
    ]  # fmt: skip
    print(f"{'page':34} {'median ms':>10} {'queries':>8} {'bytes':>9}")
    for name, user, url in pages:
        seconds, queries, size = measure(user, url, args.repeat)
        print(f"{name:34} {seconds * 1000:10.0f} {queries:8d} {size:9d}")


if __name__ == "__main__":
    main()
