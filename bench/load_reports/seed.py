"""Seed the benchmark database: N units, each with a liaison (bench001 …) and one assigned task whose
report for the current month is due (monthly cycle, due on the period's last working day).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongtui_bench .venv/bin/python bench/load_reports/seed.py --units 300

Benchmark data, written in bulk (like the test cast); the reports themselves are written by the load test
through the web pages and hence through the dispatch actions.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongtui.settings")

PASSWORD = "bench-pw-2026"


def seed(units: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from tongtui.core.system import system_user
    from tongtui.dispatch import actions_cycles
    from tongtui.orgs.models import Membership, Person, Role, Unit
    from tongtui.plans.models import Plan, Task, TaskStatus

    User = get_user_model()
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        root = Unit.objects.create(name="基准测试区人民政府", short_name="基准区", kind="district")
        made = Unit.objects.bulk_create(
            [
                Unit(
                    name=f"基准单位{i:03d}",
                    short_name=f"单位{i:03d}",
                    kind="department",
                    parent=root,
                    order=i,
                )
                for i in range(1, units + 1)
            ]
        )
        hashed = make_password(PASSWORD)  # one hash for every liaison: seeding stays fast
        users = User.objects.bulk_create(
            [User(username=f"bench{i:03d}", password=hashed) for i in range(1, units + 1)]
        )
        people = Person.objects.bulk_create(
            [
                Person(user=u, name=f"联络员{i:03d}", unit=unit)
                for i, (u, unit) in enumerate(zip(users, made, strict=True), 1)
            ]
        )
        Membership.objects.bulk_create([Membership(person=p, unit=p.unit, role=Role.LIAISON) for p in people])
        plan = Plan.objects.create(year=today.year, title=f"{today.year}年基准测试计划")
        Task.objects.bulk_create(
            [
                Task(
                    plan=plan,
                    code=str(i),
                    title=f"基准任务{i:03d}：重点项目建设",
                    lead_unit=unit,
                    status=TaskStatus.ASSIGNED,
                    assigned_at=now,
                    start=today.replace(day=1),
                    due=today.replace(month=12, day=31),
                )
                for i, unit in enumerate(made, 1)
            ]
        )
        actions_cycles.set_report_cycle(
            by=system_user(), plan=plan, frequency="monthly", due_kind="before_end", workdays_before_end=0
        )
    print(f"seeded {units} units, liaisons bench001–bench{units:03d}, {units} tasks in plan {plan.year}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    args = parser.parse_args()
    import django

    django.setup()
    seed(args.units)


if __name__ == "__main__":
    main()
