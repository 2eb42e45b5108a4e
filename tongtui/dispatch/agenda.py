"""The agenda of a dispatch meeting (调度会), built from plain data by pure functions.

`build_agenda` takes what the database holds about the meeting's tasks, problems, reports and the previous
meeting's decisions, and returns the items to discuss, in the order a meeting takes them: the previous
meeting's decisions still open first, then tasks off track (严重滞后: a red light), tasks at risk (a yellow
light), overdue milestones, unanswered or overdue problems, and units repeatedly late with their reports.

A task's light and its reasons are the stored traffic light (supervision fills them through `dispatch.lights`),
so the agenda says what the desk, the task page and the ledger say.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tongtui.dispatch.lights import RED, YELLOW, LightView
from tongtui.plans.codes import code_key


@dataclass(frozen=True)
class MilestoneFact:
    title: str
    due: datetime.date
    planned_progress: Decimal
    done_on: datetime.date | None = None


@dataclass(frozen=True)
class TaskFact:
    id: int
    code: str
    title: str
    lead_unit: str
    progress: Decimal
    start: datetime.date | None
    due: datetime.date | None
    milestones: tuple[MilestoneFact, ...] = ()
    note: str = ""
    light: LightView | None = None


@dataclass(frozen=True)
class ProblemFact:
    id: int
    task_code: str
    title: str
    unit: str
    addressee: str
    answer_by: datetime.date
    answered: bool


@dataclass(frozen=True)
class ReportFact:
    unit_id: int
    unit: str
    period_end: datetime.date
    late: bool


@dataclass(frozen=True)
class DecisionFact:
    id: int
    seq: int
    text: str
    lead_unit: str
    deadline: datetime.date
    tracked: str = ""  # the task code, or "code: milestone"


@dataclass(frozen=True)
class OffTrack:
    """A task whose light is red (off track) or yellow (at risk), with the light's reasons."""

    task: TaskFact
    light: LightView

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.light.reasons


@dataclass(frozen=True)
class OverdueMilestone:
    task: TaskFact
    milestone: MilestoneFact
    days_late: int


@dataclass(frozen=True)
class LateUnit:
    unit: str
    late_periods: int
    periods: int


@dataclass
class Agenda:
    date: datetime.date
    open_decisions: list[DecisionFact] = field(default_factory=list)
    off_track: list[OffTrack] = field(default_factory=list)
    at_risk: list[OffTrack] = field(default_factory=list)
    overdue_milestones: list[OverdueMilestone] = field(default_factory=list)
    problems: list[ProblemFact] = field(default_factory=list)
    late_units: list[LateUnit] = field(default_factory=list)
    working_days: bool = False  # days late are working days

    @property
    def is_empty(self) -> bool:
        return not (
            self.open_decisions
            or self.off_track
            or self.at_risk
            or self.overdue_milestones
            or self.problems
            or self.late_units
        )


def planned_at(
    day: datetime.date, start: datetime.date | None, milestones: Iterable[MilestoneFact]
) -> Decimal | None:
    """The task's planned progress on `day`: its milestones' planned progress, linear in between.

    The roadmap starts at 0 on the task's start (without a start, nothing is planned before the first
    milestone) and stays at the last milestone's value after it. None when the task has no milestones.
    """
    points = sorted((m.due, Decimal(m.planned_progress)) for m in milestones)
    if not points:
        return None
    if start is not None and start < points[0][0]:
        points.insert(0, (start, Decimal(0)))
    if day < points[0][0]:
        return Decimal(0)
    for (d0, p0), (d1, p1) in zip(points, points[1:], strict=False):
        if d0 <= day <= d1:
            if d1 == d0:
                return p1
            share = Decimal((day - d0).days) / Decimal((d1 - d0).days)
            return (p0 + (p1 - p0) * share).quantize(Decimal("0.01"))
    return points[-1][1]


def with_light(tasks: Iterable[TaskFact], light: str) -> list[OffTrack]:
    """Tasks whose light is `light`, the most severe first, then by code."""
    found = [OffTrack(t, t.light) for t in tasks if t.light is not None and t.light.light == light]
    found.sort(key=lambda o: code_key(o.task.code))
    found.sort(key=lambda o: o.light.severity, reverse=True)
    return found


def off_track(tasks: Iterable[TaskFact]) -> list[OffTrack]:
    """严重滞后: the tasks whose light is red, the most severe first."""
    return with_light(tasks, RED)


def at_risk(tasks: Iterable[TaskFact]) -> list[OffTrack]:
    """The tasks whose light is yellow, the most severe first."""
    return with_light(tasks, YELLOW)


def calendar_days(start: datetime.date, end: datetime.date) -> int:
    return (end - start).days


def overdue_milestones(
    tasks: Iterable[TaskFact],
    day: datetime.date,
    late_by: Callable[[datetime.date, datetime.date], int] = calendar_days,
) -> list[OverdueMilestone]:
    """Milestones due before `day` and not done, the longest overdue first; `late_by(due, day)` counts the
    days late (working days when given the working-day calendar)."""
    found = [
        OverdueMilestone(task, m, late_by(m.due, day))
        for task in tasks
        for m in task.milestones
        if m.done_on is None and m.due < day
    ]
    return sorted(found, key=lambda o: (-o.days_late, code_key(o.task.code)))


def pressing_problems(problems: Iterable[ProblemFact], day: datetime.date) -> list[ProblemFact]:
    """Problems not resolved that are still unanswered, or past their requested date; the oldest date first."""
    return sorted(
        (p for p in problems if not p.answered or p.answer_by < day),
        key=lambda p: (p.answer_by, p.id),
    )


def late_units(reports: Iterable[ReportFact], periods: int = 3, at_least: int = 2) -> list[LateUnit]:
    """Units late in at least `at_least` of their last `periods` report periods, the most often late first."""
    by_unit: dict[tuple[int, str], dict[datetime.date, bool]] = defaultdict(dict)
    for r in reports:
        slot = by_unit[(r.unit_id, r.unit)]
        slot[r.period_end] = slot.get(r.period_end, False) or r.late
    found = []
    for (_unit_id, name), by_period in by_unit.items():
        recent = sorted(by_period)[-periods:]
        late = sum(1 for p in recent if by_period[p])
        if late >= at_least:
            found.append(LateUnit(name, late, len(recent)))
    return sorted(found, key=lambda u: (-u.late_periods, u.unit))


def build_agenda(
    day: datetime.date,
    *,
    tasks: Sequence[TaskFact],
    problems: Iterable[ProblemFact] = (),
    reports: Iterable[ReportFact] = (),
    open_decisions: Iterable[DecisionFact] = (),
    late_by: Callable[[datetime.date, datetime.date], int] = calendar_days,
    working_days: bool = False,
) -> Agenda:
    """The agenda as of `day`; `late_by` counts days late (say `working_days` when it counts working days)."""
    return Agenda(
        date=day,
        open_decisions=sorted(open_decisions, key=lambda d: (d.deadline, d.seq)),
        off_track=off_track(tasks),
        at_risk=at_risk(tasks),
        overdue_milestones=overdue_milestones(tasks, day, late_by),
        problems=pressing_problems(problems, day),
        late_units=late_units(reports),
        working_days=working_days,
    )
