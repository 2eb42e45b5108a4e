"""The data of bench/scale.py: a plan year of a district, a city or a province, deterministic from a seed.

Rows are made as model instances (so Django's defaults apply), given their primary keys here, and written
by `Loader`: PostgreSQL's COPY (psycopg's cursor.copy), or executemany INSERTs on SQLite. No signals, no
actions, no history rows: it is test data for reading, not a journey. The sequences are reset afterwards.
"""

import datetime
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

YEAR = 2026


@dataclass(frozen=True)
class Shape:
    units: int
    tasks: int
    milestones: int  # per task: milestones // tasks
    reports: int  # per task: reports // tasks, in consecutive periods from the start of the year
    frequency: str  # the plan's report cycle


SHAPES = {
    "tiny": Shape(units=6, tasks=12, milestones=48, reports=96, frequency="monthly"),
    "district": Shape(units=80, tasks=300, milestones=1_500, reports=3_300, frequency="monthly"),
    "city": Shape(units=800, tasks=3_000, milestones=15_000, reports=33_000, frequency="monthly"),
    "import": Shape(
        units=50, tasks=2_000, milestones=2_000, reports=0, frequency="monthly"
    ),  # bench/import_reports.py
    "province": Shape(units=10_000, tasks=50_000, milestones=250_000, reports=2_000_000, frequency="weekly"),
}
LEADERS = 20
CHUNK = 20_000


class Loader:
    """Bulk writes with explicit primary keys: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.models: set[Any] = set()
        self.rows = 0

    def write(self, model: Any, objs: list[Any]) -> None:
        if not objs:
            return
        fields = [f for f in model._meta.concrete_fields]
        columns = [f.column for f in fields]
        conn = self.connection
        rows = [tuple(f.get_db_prep_save(f.pre_save(o, True), conn) for f in fields) for o in objs]
        table = conn.ops.quote_name(model._meta.db_table)
        names = ", ".join(conn.ops.quote_name(c) for c in columns)
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":
                raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        self.models.add(model)
        self.rows += len(rows)

    def write_varying(
        self, model: Any, template: Any, names: list[str], values: Iterator[tuple[Any, ...]]
    ) -> int:
        """Many rows alike: the template instance's prepared row with the `names` columns (attnames) replaced
        by each tuple of `values`, already in database form (no per-row model instance: the 2,000,000
        reports)."""
        conn = self.connection
        fields = list(model._meta.concrete_fields)
        base = [f.get_db_prep_save(f.pre_save(template, True), conn) for f in fields]
        where = [next(i for i, f in enumerate(fields) if f.attname == n) for n in names]
        table = conn.ops.quote_name(model._meta.db_table)
        cols = ", ".join(conn.ops.quote_name(f.column) for f in fields)
        count = 0
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for v in values:
                        row = list(base)
                        for i, x in zip(where, v, strict=True):
                            row[i] = x
                        copy.write_row(row)
                        count += 1
            else:
                rows = []
                prep = [fields[i] for i in where]
                for v in values:
                    row = list(base)
                    for i, f, x in zip(where, prep, v, strict=True):
                        row[i] = f.get_db_prep_save(x, conn)
                    rows.append(row)
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
                count = len(rows)
        self.models.add(model)
        self.rows += count
        return count

    def finish(self) -> None:
        from django.core.management.color import no_style

        conn = self.connection
        with conn.cursor() as cursor:
            for sql in conn.ops.sequence_reset_sql(no_style(), list(self.models)):
                cursor.execute(sql)
            cursor.execute("ANALYZE")


def periods(frequency: str, count: int) -> list[tuple[datetime.date, datetime.date, datetime.date]]:
    """The first `count` periods of the year: (start, end, due)."""
    out = []
    if frequency == "weekly":
        start = datetime.date(YEAR, 1, 5)  # the first Monday
        for _i in range(count):
            end = start + datetime.timedelta(days=6)
            out.append((start, end, end - datetime.timedelta(days=2)))
            start = end + datetime.timedelta(days=1)
    else:
        for month in range(1, min(count, 12) + 1):
            start = datetime.date(YEAR, month, 1)
            end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            out.append((start, end, datetime.date(YEAR, month, 25)))
    return out


def generate(scale: str, seed: int = 1, log: Any = print) -> dict[str, Any]:
    """Write one plan year of the given scale into the (empty, migrated) database. Returns what was loaded
    and how long it took."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from tongtui.dispatch.models import ProgressReport, ReportCycle, ReportStatus
    from tongtui.orgs.models import Membership, Person, Role, Unit
    from tongtui.plans.models import Category, CoUnit, Milestone, Plan, Task, TaskStatus

    shape = SHAPES[scale]
    rng = random.Random(seed)
    started = time.perf_counter()
    load = Loader()
    tz = timezone.get_current_timezone()
    now = timezone.now()
    User = get_user_model()

    root = Unit(pk=1, name="示范省人民政府", short_name="省政府", kind="district", order=0)
    office_unit = Unit(pk=2, name="督查室", kind="office", parent_id=1, order=1)
    units = [
        Unit(
            pk=3 + i,
            name=f"第{i:05d}单位",
            short_name=f"单位{i:05d}",
            kind="department",
            parent_id=1,
            order=i + 2,
        )
        for i in range(shape.units)
    ]
    load.write(Unit, [root, office_unit, *units])
    unit_ids = [u.pk for u in units]

    users = [User(pk=1, username="office", password="!", is_active=True, date_joined=now)]
    users += [
        User(pk=2 + i, username=f"leader{i:02d}", password="!", date_joined=now) for i in range(LEADERS)
    ]
    base = 2 + LEADERS
    for i in range(len(unit_ids)):
        users.append(User(pk=base + 2 * i, username=f"u{i:05d}-liaison", password="!", date_joined=now))
        users.append(User(pk=base + 2 * i + 1, username=f"u{i:05d}-head", password="!", date_joined=now))
    load.write(User, users)
    people = [Person(pk=u.pk, user_id=u.pk, name=u.username, unit_id=2 if u.pk == 1 else 1) for u in users]
    for i, uid in enumerate(unit_ids):
        people[base + 2 * i - 1].unit_id = uid
        people[base + 2 * i].unit_id = uid
    load.write(Person, people)
    members = [Membership(pk=1, person_id=1, unit_id=2, role=Role.OFFICE)]
    members += [Membership(pk=2 + i, person_id=2 + i, unit_id=1, role=Role.LEADER) for i in range(LEADERS)]
    for i, uid in enumerate(unit_ids):
        members.append(Membership(pk=base + 2 * i, person_id=base + 2 * i, unit_id=uid, role=Role.LIAISON))
        members.append(
            Membership(pk=base + 2 * i + 1, person_id=base + 2 * i + 1, unit_id=uid, role=Role.UNIT_HEAD)
        )
    load.write(Membership, members)
    load.write(Token, [Token(key="0" * 39 + "1", user_id=1, created=now)])

    load.write(Plan, [Plan(pk=1, year=YEAR, title=f"{YEAR}年重点工作", status=Plan.Status.ACTIVE)])
    categories = [Category(pk=1 + i, plan_id=1, name=f"类别{i}", order=i) for i in range(8)]
    load.write(Category, categories)
    load.write(ReportCycle, [ReportCycle(pk=1, plan_id=1, frequency=shape.frequency, due_kind="day_of_month",
                                         day_of_month=25, weekday=4)])  # fmt: skip

    assigned = datetime.datetime(YEAR, 1, 5, 9, tzinfo=tz)
    statuses = [TaskStatus.IN_PROGRESS] * 80 + [TaskStatus.ACKNOWLEDGED] * 8 + [TaskStatus.CLOSED] * 8
    statuses += [TaskStatus.COMPLETION_REQUESTED] * 4
    per_milestones = max(1, shape.milestones // shape.tasks)
    per_reports = max(0, shape.reports // shape.tasks)
    year_periods = periods(shape.frequency, per_reports)
    counts = {"units": len(units), "tasks": 0, "milestones": 0, "reports": 0}
    mid = 0
    rid = 0
    for lo in range(0, shape.tasks, CHUNK // 4):
        tasks, co_units, milestones = [], [], []
        for i in range(lo, min(lo + CHUNK // 4, shape.tasks)):
            due = datetime.date(YEAR, rng.choice([6, 9, 12, 12, 12]), 28)
            status = rng.choice(statuses)
            lead = unit_ids[rng.randrange(len(unit_ids))]
            code = f"{i // 100 + 1}.{i % 100 + 1}"
            tasks.append(Task(pk=i + 1, plan_id=1, code=code, code_sort=f"{i // 100 + 1:05d}{i % 100 + 1:05d}",
                              title=f"重点任务第{i + 1}项", category_id=1 + i % 8, lead_unit_id=lead,
                              leader_id=2 + i % LEADERS, start=datetime.date(YEAR, 1, 1), due=due, status=status,
                              closed_on=due if status == TaskStatus.CLOSED else None, assigned_at=assigned,
                              lead_acknowledged_at=assigned, progress=Decimal(rng.randrange(0, 100)),
                              goal="目标", measures="举措"))  # fmt: skip
            other = unit_ids[rng.randrange(len(unit_ids))]
            if other != lead:
                co_units.append(CoUnit(pk=len(co_units) + lo + 1, task_id=i + 1, unit_id=other))
            for q in range(1, per_milestones + 1):
                mid += 1
                m_due = datetime.date(YEAR, max(1, 12 * q // per_milestones), 20)
                milestones.append(Milestone(pk=mid, task_id=i + 1, seq=q, title=f"节点{q}", due=m_due,
                                            planned_progress=Decimal(100 * q // per_milestones),
                                            done_on=m_due if rng.random() < 0.6 else None))  # fmt: skip
        load.write(Task, tasks)
        load.write(CoUnit, co_units)
        load.write(Milestone, milestones)
        counts["tasks"] += len(tasks)
        counts["milestones"] += len(milestones)
        template = ProgressReport(task_id=1, unit_id=1, period_start=year_periods[0][0] if year_periods else None,
                                  period_end=None, done="本期完成情况", next_steps="下步计划")  # fmt: skip
        counts["reports"] += load.write_varying(ProgressReport, template, REPORT_COLUMNS,
                                                _report_rows(tasks, year_periods, rng, tz, ReportStatus, rid))  # fmt: skip
        rid = counts["reports"]
        log(
            f"  {counts['tasks']:,} tasks, {counts['reports']:,} reports, {time.perf_counter() - started:.0f} s"
        )
    load.finish()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["rows"] = load.rows
    return counts


REPORT_COLUMNS = ["id", "task_id", "unit_id", "period_start", "period_end", "due", "status", "progress",
                  "first_submitted_at", "submitted_at", "signed_off_at", "late_workdays"]  # fmt: skip


def _report_rows(tasks: list[Any], year_periods: list[Any], rng: random.Random, tz: Any, statuses: Any,
                 first_id: int) -> Iterator[tuple[Any, ...]]:  # fmt: skip
    """A report per task and period: accepted, the last period signed off (one in twenty returned)."""
    rid = first_id
    last = len(year_periods) - 1
    n = max(1, len(year_periods))
    for t in tasks:
        for k, (start, end, due) in enumerate(year_periods):
            rid += 1
            submitted = datetime.datetime.combine(due, datetime.time(10), tzinfo=tz) + datetime.timedelta(
                days=rng.choice([-2, -1, 0, 0, 1, 4])
            )
            if k == last:
                status = statuses.RETURNED if rng.random() < 0.05 else statuses.SIGNED_OFF
            else:
                status = statuses.ACCEPTED
            progress = Decimal(min(100, 96 * (k + 1) // n))
            late = max(0, (submitted.date() - due).days)
            yield (rid, t.pk, t.lead_unit_id, start, end, due, str(status), progress, submitted, submitted,
                   submitted, late)  # fmt: skip
