"""Benchmark: bulk work on 1,000 draft tasks, as the office does after an import: assign (交办) them all,
set their responsible person, give them a report cycle of their own.

    .venv/bin/python bench/bulk_assign.py [--tasks 1000] [--repeat 3] [--seed 1] [--database-url URL]
    createdb -h 127.0.0.1 -U postgres tongtui_bench_bulk     # once, for PostgreSQL:
    .venv/bin/python bench/bulk_assign.py --database-url postgres://postgres@127.0.0.1:5432/tongtui_bench_bulk

Builds, in a fresh database (a SQLite file under bench/out/ by default; with --database-url, a PostgreSQL
database whose name contains "bench", emptied first), a district of 29 units with a responsible person
each and eight leaders, through the organisation's actions. Then, for each measurement, a new plan year
with N draft tasks through the bulk import action (plans.actions_bulk.create_tasks), one task in ten
without a responsible person so that refusals are counted too, and times:

  1. confirmation page   GET /tasks/bulk/?op=assign&scope=filter&plan=… (load the selection, say what happens)
  2. assign, action      plans.actions_batch.assign_tasks over the plan's drafts
  3. assign, web         POST /tasks/bulk/?op=assign&scope=filter&plan=… as the office (test client)
  4. set person          plans.actions_batch.set_field(…, "owner", …) over the plan
  5. report cycle        dispatch.actions_batch.set_report_cycles over the plan

each with the traffic lights recomputed after commit (as a request does; SUPERVISION_LIGHTS_ON_CHANGE) and,
for the assignment, also without them, reporting wall time and the number of SQL queries.
"""

import argparse
import functools
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _db import OUT, fresh_database, setup_django  # noqa: E402

DB = OUT / "bulk_bench.sqlite3"

UNITS = [
    "区发展和改革局", "区财政局", "区经济和信息化局", "区科学技术局", "区教育局", "区民政局", "区人力资源和社会保障局",
    "区自然资源和规划局", "区生态环境分局", "区住房和城乡建设局", "区交通运输局", "区农业农村局", "区商务局",
    "区文化和旅游局", "区卫生健康局", "区应急管理局", "区市场监督管理局", "区城市管理局", "区数据资源局", "区税务局",
    "城关街道办事处", "东湖街道办事处", "西城街道办事处", "南山街道办事处", "北塘镇人民政府", "青石镇人民政府",
    "柳河镇人民政府", "区经济开发区管委会", "区城投集团",
]  # fmt: skip
LEADERS = ["叶枝利", "徐洪涛", "张盈军", "王健", "刘哲", "陈兴立", "赵海滨", "姚珂军"]
CATEGORIES = ["产业转型升级", "乡村振兴", "生态环境保护", "民生保障", "项目建设", "营商环境"]


def build_district() -> dict[str, Any]:
    """Units, leaders and a responsible person per unit, and the office's login, through the actions."""
    from django.contrib.auth import get_user_model

    from tongtui.core.system import system_user
    from tongtui.orgs import actions
    from tongtui.orgs.models import Membership, Role

    by = system_user()
    root = actions.create_unit(by=by, name="示范区人民政府", short_name="区政府", kind="district")
    office_unit = actions.create_unit(by=by, name="区政府督查室", kind="office", parent=root)
    units = [
        actions.create_unit(by=by, name=n, kind="department", parent=root, order=i)
        for i, n in enumerate(UNITS)
    ]
    leaders = [actions.create_person(by=by, name=n, title="副区长", unit=root) for n in LEADERS]
    owners = [
        actions.create_person(by=by, name=f"责任人{i:02d}", title="副局长", unit=u)
        for i, u in enumerate(units)
    ]
    user = get_user_model().objects.create_user("bench-office", password="x")
    office = actions.create_person(by=by, name="督查员", unit=office_unit)
    office.user = user
    office.save()
    Membership.objects.create(person=office, unit=office_unit, role=Role.OFFICE)
    return {"units": units, "leaders": leaders, "owners": owners, "office": user}


def new_plan(district: dict[str, Any], year: int, n: int, rng: random.Random) -> Any:
    """A plan year with n draft tasks written in one bulk import; one in ten has no responsible person."""
    from tongtui.plans import actions
    from tongtui.plans.actions_bulk import TaskDraft, create_tasks

    office = district["office"]
    plan = actions.create_plan(by=office, year=year, categories=CATEGORIES)
    categories = list(plan.categories.all())
    drafts = []
    for i in range(1, n + 1):
        k = rng.randrange(len(district["units"]))
        fields = {
            "code": str(i),
            "title": f"重点任务第{i}项",
            "category": categories[i % len(categories)],
            "lead_unit": district["units"][k],
            "leader": rng.choice(district["leaders"]),
            "owner": None if i % 10 == 0 else district["owners"][k],
        }
        drafts.append(TaskDraft(ref=str(i), fields=fields))
    create_tasks(by=office, plan=plan, drafts=drafts, reason="bench import")
    return plan


def timed(run: Any, lights: bool = True) -> tuple[float, int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    with override_settings(SUPERVISION_LIGHTS_ON_CHANGE=lights), CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        detail = run()
        wall = time.perf_counter() - started
    return wall, len(queries), detail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement, each on fresh tasks")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url", default="", help="a PostgreSQL database named *bench*; default SQLite"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{DB}"
    if not database_url.startswith("sqlite") and "bench" not in database_url.rsplit("/", 1)[-1]:
        raise SystemExit(
            "--database-url must name a database for benchmarks (its name contains 'bench'): it is emptied"
        )
    setup_django(database_url)
    from django.test import Client

    from tongtui.dispatch.actions_batch import set_report_cycles
    from tongtui.plans.actions_batch import assign_tasks, set_field
    from tongtui.plans.models import Task

    rng = random.Random(args.seed)
    started = time.perf_counter()
    fresh_database(database_url, DB)
    district = build_district()
    office = district["office"]
    person = district["owners"][0]
    web = Client()
    web.force_login(office)
    web.get("/tasks/")  # the first request imports and compiles what every later one reuses: not measured
    print(f"district built in {time.perf_counter() - started:.1f} s; database {database_url}")
    n = args.tasks
    years = iter(range(2026, 2100))

    def confirm(plan: Any) -> str:
        response = web.get(f"/tasks/bulk/?op=assign&scope=filter&plan={plan.pk}&status=draft")
        assert response.status_code == 200, response.status_code
        listed = response.content.count(b"<li data-task=")
        return f"page of {len(response.content) // 1024} KiB naming {listed} tasks"

    def assign(plan: Any) -> str:
        outcome = assign_tasks(Task.objects.filter(plan=plan, status="draft"), by=office)
        return f"{len(outcome.done)} assigned, {len(outcome.refused)} refused"

    def post(plan: Any) -> str:
        response = web.post(
            f"/tasks/bulk/?op=assign&scope=filter&plan={plan.pk}&status=draft", {"reason": "bench"}
        )
        assert response.status_code == 302, response.status_code
        return f"{Task.objects.filter(plan=plan, status='assigned').count()} assigned"

    def owners(plan: Any) -> str:
        outcome = set_field(Task.objects.filter(plan=plan), "owner", person, by=office)
        return f"{len(outcome.done)} set, {len(outcome.unchanged)} unchanged"

    def cycles(plan: Any) -> str:
        outcome = set_report_cycles(
            Task.objects.filter(plan=plan), by=office, frequency="monthly", day_of_month=25
        )
        return f"{len(outcome.done)} cycles"

    runs = [
        ("confirmation page (web GET)", confirm, True),
        ("assign (action)", assign, True),
        ("assign (action, no lights)", assign, False),
        ("assign (web POST)", post, True),
        ("set person (action)", owners, True),
        ("report cycle (action)", cycles, True),
    ]
    print(f"{n} tasks per run, best and median of {args.repeat} runs, each on a fresh plan year")
    print(f"{'run':<30} {'best s':>7} {'median s':>9} {'queries':>8}   result")
    for label, run, lights in runs:
        walls, queries, detail = [], 0, ""
        for _ in range(args.repeat):
            plan = new_plan(district, next(years), n, rng)
            wall, queries, detail = timed(functools.partial(run, plan), lights)
            walls.append(wall)
        print(f"{label:<30} {min(walls):>7.2f} {statistics.median(walls):>9.2f} {queries:>8}   {detail}")


if __name__ == "__main__":
    main()
