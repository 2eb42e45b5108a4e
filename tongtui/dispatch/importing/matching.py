"""Ledger entries -> tasks and report periods: the preview of an import, with per-row errors and warnings.

Tasks are matched by code, else by exact title, else by normalised title. The month (or the filing date) maps
to the task's report period: its cycle's frequency (monthly when no cycle is set) and due rule. A period that
already has a report filed in Tongtui is never overwritten; a period imported before is updated.
"""

import calendar as pycalendar
import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tongtui.dispatch import schedule
from tongtui.dispatch.cycles import TaskKey, cycles_for
from tongtui.dispatch.due import Scheduler
from tongtui.dispatch.importing.ledger import Entry, Ledger
from tongtui.dispatch.models import ProgressReport
from tongtui.dispatch.schedule import Period
from tongtui.plans.importing.normalize import key
from tongtui.plans.importing.sections import normalize_code
from tongtui.plans.models import Plan, Task

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class Item:
    """One entry as it will be imported."""

    entry: Entry
    task: Task | None = None
    period: Period | None = None
    action: str = CREATE
    report: ProgressReport | None = None  # the imported report this entry updates
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return self.entry.ref


@dataclass
class Preview:
    plan: Plan
    ledger: Ledger
    items: list[Item] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.ledger.errors and not any(i.errors for i in self.items)

    @property
    def errors(self) -> list[str]:
        return self.ledger.errors + [e for i in self.items for e in i.errors]

    @property
    def warnings(self) -> list[str]:
        return [w for i in self.items for w in i.warnings]

    def count(self, action: str) -> int:
        return sum(1 for i in self.items if i.action == action and not i.errors)


class _Tasks:
    def __init__(self, plan: Plan) -> None:
        tasks = list(Task.objects.filter(plan=plan).select_related("plan"))
        self.by_code: dict[str, Task] = {}
        self.by_title: dict[str, list[Task]] = {}
        self.by_key: dict[str, list[Task]] = {}
        for t in tasks:
            self.by_code[normalize_code(t.code)] = t
            self.by_title.setdefault(t.title.strip(), []).append(t)
            self.by_key.setdefault(key(t.title), []).append(t)

    def by_name(self, title: str) -> list[Task]:
        return self.by_title.get(title) or self.by_key.get(key(title)) or []

    def find(self, item: Item) -> Task | None:
        e = item.entry
        if e.code and e.code in self.by_code:
            task = self.by_code[e.code]
            if e.title and key(e.title) != key(task.title) and self.by_name(e.title) != [task]:
                item.warnings.append(
                    _("Row %(row)s: code “%(code)s” is the task “%(task)s”; the title in the file differs.")
                    % {"row": e.ref, "code": e.code, "task": task.title}
                )
            return task
        named = self.by_name(e.title) if e.title else []
        if len(named) > 1:
            item.errors.append(
                _("Row %(row)s: the title “%(title)s” fits %(n)s tasks; give the code.")
                % {"row": e.ref, "title": e.title, "n": len(named)}
            )
            return None
        if named:
            if e.code:
                item.warnings.append(
                    _("Row %(row)s: code “%(code)s” is unknown; matched by the title to task %(task)s.")
                    % {"row": e.ref, "code": e.code, "task": named[0].code}
                )
            return named[0]
        if e.code:
            item.errors.append(
                _("Row %(row)s: code “%(code)s” matches no task.") % {"row": e.ref, "code": e.code}
            )
        else:
            item.errors.append(
                _("Row %(row)s: the title “%(title)s” matches no task.") % {"row": e.ref, "title": e.title}
            )
        return None


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=pycalendar.monthrange(day.year, day.month)[1])


class _Periods:
    def __init__(self, tasks: list[Task]) -> None:
        self.cycles = cycles_for(TaskKey(t.pk, t.category_id, t.plan_id) for t in tasks)
        self.scheduler = Scheduler()

    def of(self, task: Task, entry: Entry) -> Period:
        """The period holding the month's last day (or the filing date when the ledger gives no month)."""
        day = _month_end(entry.month) if entry.month else entry.on
        assert day is not None
        cycle = self.cycles.get(task.pk)
        frequency = cycle.frequency if cycle else schedule.MONTHLY
        start, end = schedule.period_containing(day, frequency)
        if cycle is not None and start.year == task.plan.year:
            for period in self.scheduler.periods(cycle, task.plan.year):
                if period.key == (start, end):
                    return period
        return Period(start, end, end)


def _same(report: ProgressReport, entry: Entry) -> bool:
    return (report.progress, report.done, report.next_steps, report.problems) == (
        entry.progress,
        entry.done,
        entry.next_steps,
        entry.problems,
    )


def build_preview(ledger: Ledger, plan: Plan) -> Preview:
    preview = Preview(
        plan, ledger, [Item(e, errors=list(e.errors), warnings=list(e.warnings)) for e in ledger.entries]
    )
    tasks = _Tasks(plan)
    for item in preview.items:
        item.task = tasks.find(item)
        if item.task is not None and item.task.lead_unit_id is None:
            item.errors.append(
                _(
                    "Row %(row)s: task %(task)s has no lead unit yet (%(written)s); its reports are filed for "
                    "the lead unit, so name one first."
                )
                % {"row": item.ref, "task": item.task.code, "written": item.task.lead_text or "—"}
            )
    matched = [i for i in preview.items if i.task is not None and (i.entry.month or i.entry.on)]
    periods = _Periods(list({i.task.pk: i.task for i in matched if i.task}.values()))
    for item in matched:
        assert item.task is not None
        item.period = periods.of(item.task, item.entry)
        if item.period.start.year != plan.year:
            item.errors.append(
                _("Row %(row)s: %(period)s is outside the plan year %(year)s.")
                % {
                    "row": item.ref,
                    "period": schedule.period_label(item.period.start, item.period.end),
                    "year": plan.year,
                }
            )
    _check_twice(preview)
    _check_existing(preview)
    return preview


def _check_twice(preview: Preview) -> None:
    """Two entries for one task and period: the same month twice is an error; two months of one longer
    period (a quarterly cycle fed monthly columns) keep the later month."""
    seen: dict[tuple[int, datetime.date, datetime.date], Item] = {}
    dropped: set[int] = set()
    for item in preview.items:
        if item.task is None or item.period is None or item.errors:
            continue
        k = (item.task.pk, item.period.start, item.period.end)
        other = seen.get(k)
        if other is None:
            seen[k] = item
            continue
        label = schedule.period_label(item.period.start, item.period.end)
        if other.entry.month == item.entry.month:
            item.errors.append(
                _("Row %(row)s: task %(task)s has %(period)s twice (also in row %(other)s).")
                % {"row": item.ref, "task": item.task.code, "period": label, "other": other.ref}
            )
            continue
        early, late = sorted((other, item), key=lambda i: i.entry.month or datetime.date.min)
        dropped.add(id(early))
        late.warnings.append(
            _("Row %(row)s: task %(task)s reports %(period)s once; the later month is kept.")
            % {"row": late.ref, "task": item.task.code, "period": label}
        )
        seen[k] = late
    preview.items = [i for i in preview.items if id(i) not in dropped]


def _check_existing(preview: Preview) -> None:
    wanted = [i for i in preview.items if i.task is not None and i.period is not None and not i.errors]
    if not wanted:
        return
    existing = {
        (r.task_id, r.period_start, r.period_end): r
        for r in ProgressReport.objects.filter(
            task_id__in={i.task.pk for i in wanted if i.task},
            period_start__gte=min(i.period.start for i in wanted if i.period),
        )
    }
    for item in wanted:
        assert item.task is not None and item.period is not None
        report = existing.get((item.task.pk, item.period.start, item.period.end))
        if report is None:
            continue
        if not report.imported:
            item.errors.append(
                _(
                    "Row %(row)s: task %(task)s already has a report for %(period)s filed in Tongtui; "
                    "an import never overwrites it."
                )
                % {"row": item.ref, "task": item.task.code, "period": report.period_label}
            )
            continue
        item.report = report
        item.action = UNCHANGED if _same(report, item.entry) else UPDATE
