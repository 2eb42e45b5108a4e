"""Traffic lights (红黄绿灯): green on track, yellow at risk, red off track, blue closed, grey not started.

A light is the worst of its reasons; every reason has a code, a level, figures and a sentence in
Chinese or English. Thresholds live in `LightRules` so each plan can set its own: offices differ
(银川: 10–30 points below 序时进度 inclusive is yellow, more is red; 三亚: up to 50 % of 序时进度 is
yellow, more is red).
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from .days import CALENDAR, TimeAxis
from .facts import CANCELLED, CLOSED, DRAFT, SUSPENDED, CycleFact, MilestoneFact, ReportFact, TaskFacts
from .forecast import Forecast, ForecastState, earned_schedule, latest_progress
from .texts import render
from .trajectory import Trajectory, build_trajectory
from .warning import DEFAULT_WARNING_RULES, MilestoneRisk, UnitRecord, WarningRules, milestone_risks


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    BLUE = "blue"
    GREY = "grey"


# An expected slip beyond this many axis days is told as "more than" it: that far ahead the pace is no guide.
FAR_DAYS = 60

_LEVEL = {None: 0, Light.GREEN: 1, Light.BLUE: 1, Light.GREY: 1, Light.YELLOW: 2, Light.RED: 3}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a light is what it is. `light` None marks a remark that never changes the light."""

    code: str
    light: Light | None
    figures: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "zh-hans") -> str:
        return render(self.code, lang, self.figures)


@dataclass(frozen=True, slots=True)
class LightRules:
    """Thresholds of the lights. Day counts are axis days (working days on a working-day axis).

    Behind plan is measured in `behind_mode` "points" (序时进度 minus actual, in percentage points)
    or "ratio" (that shortfall as a share of 序时进度, 0..1). Yellow from `yellow_behind`, red from
    `red_behind`; each bound inclusive or not. 序时进度 is the planned trajectory (`planned_basis`
    "trajectory") or the share of the task's time elapsed ("elapsed_time").
    """

    behind_mode: Literal["points", "ratio"] = "points"
    yellow_behind: float = 10.0
    yellow_inclusive: bool = True
    red_behind: float = 30.0
    red_inclusive: bool = False
    planned_basis: Literal["trajectory", "elapsed_time"] = "trajectory"
    milestone_overdue_red_days: int = 0  # overdue longer than this: red; up to it: yellow
    task_overdue_red_days: int = 0
    milestone_met_by_progress: bool = True  # progress at the milestone's planned value counts as done
    milestone_soon_days: int = 10
    early_warning: bool = (
        True  # judge milestones due soon by their expected slip (`warning`), not by progress alone
    )
    warning: WarningRules = DEFAULT_WARNING_RULES
    forecast_slip_yellow_days: int = 10  # tolerance: the larger of these days and the share of the
    forecast_slip_yellow_share: float = 0.1  # planned duration; a forecast finish later than that is yellow,
    forecast_slip_red_days: int = 30  # later than the red tolerance red
    forecast_slip_red_share: float = 0.25
    forecast_min_elapsed_share: float = 0.5  # early forecasts swing widely: ignore them before this share
    missed_cycles_yellow: int = 1
    missed_cycles_red: int = 2
    escalation_yellow_days: int = 3
    ahead_points: float = 5.0

    @classmethod
    def yinchuan(cls) -> "LightRules":
        """低于序时10~30个百分点(含)=黄; 低于超过30个百分点=红."""
        return cls(
            behind_mode="points", yellow_behind=10, yellow_inclusive=True, red_behind=30, red_inclusive=False
        )

    @classmethod
    def sanya(cls) -> "LightRules":
        """低于序时进度50%以内(含)=黄; 低于50%以上=红."""
        return cls(
            behind_mode="ratio", yellow_behind=0, yellow_inclusive=False, red_behind=0.5, red_inclusive=False
        )


DEFAULT_RULES = LightRules()


@dataclass(frozen=True, slots=True)
class LightResult:
    task_id: int
    light: Light
    reasons: tuple[Reason, ...]  # worst first
    forecast: Forecast | None = None
    progress: float | None = None
    planned: float | None = None

    def texts(self, lang: str = "zh-hans") -> list[str]:
        return [r.text(lang) for r in self.reasons]


def count_missed_cycles(cycles: Iterable[CycleFact], reports: Iterable[ReportFact], as_of: date) -> int:
    """How many of the latest cycles whose due day has passed got no report, in a row.

    A cycle counts as reported when a report known by `as_of` covers a period ending after the
    previous cycle's end (a report for a later period covers it too).
    """
    passed = sorted(c.period_end for c in cycles if c.due_on < as_of)
    last = max((r.period_end for r in reports if r.known_on <= as_of), default=None)
    missed = 0
    for i in range(len(passed) - 1, -1, -1):
        if last is not None and (i == 0 or last > passed[i - 1]):
            break
        missed += 1
    return missed


def _beyond(value: float, bound: float, inclusive: bool) -> bool:
    return value >= bound if inclusive else value > bound


def _done(m: MilestoneFact, as_of: date, progress: float, rules: LightRules) -> bool:
    if m.done_on is not None and m.done_on <= as_of:
        return True
    return (
        rules.milestone_met_by_progress and m.planned_progress is not None and progress >= m.planned_progress
    )


def _label(m: MilestoneFact) -> str:
    return m.title or m.due.isoformat()


def evaluate_light(
    facts: TaskFacts,
    as_of: date,
    rules: LightRules = DEFAULT_RULES,
    *,
    axis: TimeAxis = CALENDAR,
    record: UnitRecord | None = None,
) -> LightResult:
    """The task's light on `as_of`, using only what was known that day.

    `record` is the lead unit's record of claims (`warning.unit_records`), for the early warning."""
    fixed = _fixed_light(facts, as_of)
    if fixed is not None:
        return LightResult(facts.task_id, fixed.light or Light.GREY, (fixed,))
    reading = latest_progress(facts.reports, as_of)
    progress = reading.progress or 0.0
    start = facts.start or facts.default_start
    if progress <= 0 and start is not None and as_of < start:
        reason = Reason("not_started_yet", Light.GREY, {"start": start})
        return LightResult(facts.task_id, Light.GREY, (reason,), progress=reading.progress)

    traj = build_trajectory(
        facts.start, facts.due, facts.milestones, axis=axis, default_start=facts.default_start
    )
    status_date = reading.on or as_of
    forecast = earned_schedule(
        traj, reading.progress, status_date, due=facts.due, as_of=as_of, finished_on=reading.first_full_on
    )
    working = axis.working
    pos = axis.pos
    now = pos(as_of)
    reasons: list[Reason] = []

    # milestones past due and not done
    overdue = [
        (now - pos(m.due), m)
        for m in facts.milestones
        if m.due < as_of and not _done(m, as_of, progress, rules)
    ]
    late = [(d, m) for d, m in overdue if d > rules.milestone_overdue_red_days]
    if late:
        days, m = max(late, key=lambda dm: dm[0])
        figures = {"count": len(late), "label": _label(m), "due": m.due, "days": days, "working": working}
        reasons.append(Reason("milestone_overdue", Light.RED, figures))
    elif overdue:
        days, m = max(overdue, key=lambda dm: dm[0])
        figures = {"label": _label(m), "due": m.due, "days": days, "working": working}
        reasons.append(Reason("milestone_overdue_grace", Light.YELLOW, figures))

    # the task itself past due
    if facts.due is not None and facts.due < as_of and progress < 100:
        days = now - pos(facts.due)
        figures = {"days": days, "working": working, "progress": float(progress), "due": facts.due}
        if days > rules.task_overdue_red_days:
            reasons.append(Reason("task_overdue", Light.RED, figures))
        else:
            reasons.append(Reason("task_overdue_grace", Light.YELLOW, figures))

    # behind plan (序时进度)
    planned = _planned(facts, traj, status_date, rules, axis)
    if planned is not None and progress < 100:
        reasons.extend(_behind(planned, progress, rules))

    # forecast finish against the due date
    if (
        forecast.state == ForecastState.FORECAST
        and forecast.slip is not None
        and forecast.at is not None
        and forecast.at >= rules.forecast_min_elapsed_share * max(forecast.planned_duration or 0, 1)
    ):
        figures = {"days": forecast.slip, "working": working, "finish": forecast.finish, "spi": forecast.spi}
        duration = forecast.planned_duration or 0
        if forecast.slip > max(rules.forecast_slip_red_days, rules.forecast_slip_red_share * duration):
            reasons.append(Reason("forecast_slip", Light.RED, figures))
        elif forecast.slip > max(
            rules.forecast_slip_yellow_days, rules.forecast_slip_yellow_share * duration
        ):
            reasons.append(Reason("forecast_slip", Light.YELLOW, figures))

    # reports missing
    missed = facts.missed_cycles
    if missed is None:
        missed = count_missed_cycles(facts.cycles, facts.reports, as_of)
    if missed >= rules.missed_cycles_red:
        reasons.append(Reason("missed_reports", Light.RED, {"count": missed}))
    elif missed >= rules.missed_cycles_yellow and missed > 0:
        reasons.append(Reason("missed_reports", Light.YELLOW, {"count": missed}))

    # a milestone due soon that will slip (early warning), or, without it, a milestone due soon below its plan
    if rules.early_warning:
        horizon = max(rules.milestone_soon_days, rules.warning.horizon_days)
        warn = replace(rules.warning, horizon_days=horizon)
        risks = milestone_risks(facts, as_of, warn, record=record, axis=axis, trajectory=traj)
        reasons.extend(_at_risk(risks, warn, working))
    else:
        reasons.extend(_due_soon(facts, as_of, progress, rules, axis))

    # escalated problems nobody answered
    waiting = [
        now - pos(e.raised_on)
        for e in facts.escalations
        if e.raised_on <= as_of and (e.answered_on is None or e.answered_on > as_of)
    ]
    waiting = [d for d in waiting if d >= rules.escalation_yellow_days]
    if waiting:
        figures = {"count": len(waiting), "days": max(waiting), "working": working}
        reasons.append(Reason("escalation_unanswered", Light.YELLOW, figures))

    if reading.went_backwards:
        figures = {"previous": reading.previous, "progress": reading.progress}
        reasons.append(Reason("progress_went_backwards", None, figures))
    if not any(_LEVEL[r.light] >= 2 for r in reasons):
        reasons.insert(0, _green(planned, progress, rules))
    elif planned is None:
        reasons.append(Reason("no_plan_to_compare", None))
    reasons.sort(key=lambda r: -_LEVEL[r.light])
    light = reasons[0].light or Light.GREEN
    return LightResult(facts.task_id, light, tuple(reasons), forecast, reading.progress, planned)


def evaluate_lights(
    tasks: Iterable[TaskFacts],
    as_of: date,
    rules: LightRules = DEFAULT_RULES,
    *,
    axis: TimeAxis = CALENDAR,
    records: Mapping[int, UnitRecord] | None = None,
) -> Iterator[LightResult]:
    for facts in tasks:
        record = records.get(facts.unit_id) if records is not None and facts.unit_id is not None else None
        yield evaluate_light(facts, as_of, rules, axis=axis, record=record)


def _due_soon(
    facts: TaskFacts, as_of: date, progress: float, rules: LightRules, axis: TimeAxis
) -> Sequence[Reason]:
    """The plain rule: a milestone due within `milestone_soon_days` with progress below its planned value."""
    pos = axis.pos
    now = pos(as_of)
    soon = [
        m
        for m in facts.milestones
        if m.due >= as_of
        and pos(m.due) - now <= rules.milestone_soon_days
        and m.planned_progress is not None
        and progress < m.planned_progress
        and not (m.done_on is not None and m.done_on <= as_of)
    ]
    if not soon:
        return ()
    m = min(soon, key=lambda x: x.due)
    figures = {"label": _label(m), "due": m.due, "progress": float(progress), "planned": m.planned_progress}
    return (Reason("milestone_due_soon", Light.YELLOW, figures),)


def _at_risk(risks: Sequence[MilestoneRisk], rules: WarningRules, working: bool) -> list[Reason]:
    """A reason per milestone expected to slip (red when badly), then the evidence once: the words of the report,
    the unit's claims that did not hold, an earlier milestone claimed but not verified."""
    at_risk = [r for r in risks if r.at_risk(rules)]
    reasons = []
    for r in at_risk:
        m = r.milestone
        days = max(1, round(r.expected_slip))
        figures = {
            "label": _label(m),
            "due": m.due,
            "days": min(days, FAR_DAYS),
            "working": working,
            "expected": r.expected,
            "needed": r.needed,
            "progress": r.progress,
            "period": r.status_date,
        }
        code = "milestone_at_risk_far" if days > FAR_DAYS else "milestone_at_risk"
        reasons.append(Reason(code, Light.RED if r.severe(rules) else Light.YELLOW, figures))
    if not at_risk:
        return reasons
    first = at_risk[0]
    if first.words:
        reasons.append(
            Reason("report_risk_words", None, {"words": "、".join(first.words), "period": first.status_date})
        )
    record = first.record
    if record is not None and record.overstated and first.discount_days > 0:
        figures = {
            "count": record.overstated,
            "claims": record.claims,
            "days": round(record.mean_hidden),
            "working": working,
        }
        reasons.append(Reason("claims_not_held", None, figures))
    if first.unverified is not None:
        u = first.unverified
        reasons.append(Reason("claimed_not_verified", None, {"label": _label(u), "due": u.due}))
    return reasons


def _fixed_light(facts: TaskFacts, as_of: date) -> Reason | None:
    status = facts.status
    if status == CLOSED and (facts.closed_on is None or facts.closed_on <= as_of):
        return Reason("closed", Light.BLUE, {"closed_on": facts.closed_on} if facts.closed_on else {})
    if status == CANCELLED:
        return Reason("cancelled", Light.GREY)
    if status == SUSPENDED:
        return Reason("suspended", Light.GREY)
    if status == DRAFT:
        return Reason("not_assigned", Light.GREY)
    return None


def _planned(
    facts: TaskFacts, traj: Trajectory | None, status_date: date, rules: LightRules, axis: TimeAxis
) -> float | None:
    """序时进度 on the status date: the planned trajectory, or the share of the task's time elapsed."""
    if rules.planned_basis == "elapsed_time":
        start = facts.start or facts.default_start
        if start is not None and facts.due is not None:
            x0, x1 = axis.pos(start), axis.pos(facts.due)
            if x1 > x0:
                share = (axis.pos(status_date) - x0) / (x1 - x0)
                return round(100 * min(1.0, max(0.0, share)), 2)
    if traj is None:
        return None
    return round(traj.planned_at(status_date), 2)


def _behind(planned: float, progress: float, rules: LightRules) -> Sequence[Reason]:
    shortfall = round(planned - progress, 2)
    if shortfall <= 0:
        return ()
    figures: dict[str, Any] = {"planned": planned, "progress": float(progress), "behind": shortfall}
    if rules.behind_mode == "ratio":
        value = round(shortfall / planned, 4) if planned > 0 else 0.0
        figures["ratio"] = round(100 * value, 1)
        code = "behind_plan_ratio"
    else:
        value = shortfall
        code = "behind_plan"
    if _beyond(value, rules.red_behind, rules.red_inclusive):
        return (Reason(code, Light.RED, figures),)
    if _beyond(value, rules.yellow_behind, rules.yellow_inclusive):
        return (Reason(code, Light.YELLOW, figures),)
    return ()


def _green(planned: float | None, progress: float, rules: LightRules) -> Reason:
    if planned is None:
        return Reason("no_plan_to_compare", Light.GREEN)
    figures = {"planned": planned, "progress": float(progress)}
    ahead = round(progress - planned, 2)
    if ahead >= rules.ahead_points:
        return Reason("ahead", Light.GREEN, {**figures, "ahead": ahead})
    return Reason("on_track", Light.GREEN, figures)
