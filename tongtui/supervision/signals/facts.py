"""Plain inputs of the supervision signals, shaped so that a few set-based queries can fill them.

One query per kind of row (tasks, milestones, reports, problems, indicator values), grouped by task
in Python, fills a `TaskFacts` per task; nothing here touches the database. Progress figures are
floats (pass `float(decimal)`), dates are `datetime.date`; where a moment matters (submission,
edit) a `datetime` may be given instead of a date and is used to the minute.
"""

from dataclasses import dataclass
from datetime import date, datetime

# Task statuses, as stored by plans.Task.status (kept as strings so this package needs no Django).
DRAFT = "draft"
ASSIGNED = "assigned"
ACKNOWLEDGED = "acknowledged"
IN_PROGRESS = "in_progress"
COMPLETION_REQUESTED = "completion_requested"
CLOSED = "closed"
SUSPENDED = "suspended"
CANCELLED = "cancelled"

# Indicator directions, as stored by plans.Indicator.direction.
INCREASE = "increase"
DECREASE = "decrease"
REACH = "reach"


def day_of(moment: date) -> date:
    """The calendar day of a date or datetime."""
    return moment.date() if isinstance(moment, datetime) else moment


@dataclass(frozen=True, slots=True)
class MilestoneFact:
    """A milestone (节点): its due date, the planned progress by then, and whether it was done."""

    due: date
    planned_progress: float | None
    done_on: date | None = None
    evidence_required: bool = False
    has_evidence: bool = False
    milestone_id: int | None = None
    title: str = ""


@dataclass(frozen=True, slots=True)
class ReportFact:
    """A submitted progress report (进展情况). Drafts are not facts: leave them out.

    `text` is what the unit wrote (done + next steps); `submitted_at` and `edited_at` may be dates
    or datetimes; `edited_at` is the last change after submission, if any (from history).
    """

    period_end: date
    progress: float | None
    submitted_at: date | None = None
    text: str = ""
    evidence_hashes: tuple[str, ...] = ()
    edited_at: date | None = None
    report_id: int | None = None
    task_id: int | None = None
    unit_id: int | None = None

    @property
    def known_on(self) -> date:
        """The day the office could first see this report (its period end when no submission time)."""
        return self.period_end if self.submitted_at is None else day_of(self.submitted_at)


@dataclass(frozen=True, slots=True)
class EscalationFact:
    """A problem escalated to a leader or the office (上报问题), and when it was answered."""

    raised_on: date
    answered_on: date | None = None
    problem_id: int | None = None


@dataclass(frozen=True, slots=True)
class CycleFact:
    """A report the task owed: the period it covers and the day it was due (报送周期)."""

    period_end: date
    due_on: date


@dataclass(frozen=True, slots=True)
class TaskFacts:
    """Everything the light and the forecast of one task need, as of any date.

    `status` and `closed_on` are the task's as they stood on the evaluation date (for a past date,
    take them from history). `missed_cycles`, when given, is used as is (e.g. computed in SQL);
    otherwise it is counted from `cycles` and `reports`. `default_start` (the day the task was assigned,
    or the plan year's 1 January for a task never assigned) stands in for a missing start.
    """

    task_id: int
    status: str
    start: date | None
    due: date | None
    milestones: tuple[MilestoneFact, ...] = ()
    reports: tuple[ReportFact, ...] = ()
    escalations: tuple[EscalationFact, ...] = ()
    cycles: tuple[CycleFact, ...] = ()
    missed_cycles: int | None = None
    closed_on: date | None = None
    default_start: date | None = None
    unit_id: int | None = None


@dataclass(frozen=True, slots=True)
class IndicatorFact:
    """An indicator (指标) with its target and the values reported per period, as (period end, value)."""

    target: float
    direction: str = INCREASE
    baseline: float | None = None
    values: tuple[tuple[date, float], ...] = ()
    cumulative: bool = True
    non_negative: bool = True
    indicator_id: int | None = None
    task_id: int | None = None
    unit_id: int | None = None
    name: str = ""
