"""Early warning (节点预警): will a milestone due soon be met? Judged from what is known on the day.

For each milestone not yet done and due within the horizon, the expected slip is worked out on the task's
own plan, in days of schedule (earned schedule: a progress figure reads as the day the plan reached it):

1. **Where the work stands**: the latest reported progress. A unit that reports in round steps (nine in ten of
   its figures multiples of ten) is taken half a step further. A unit whose earlier claims did not hold (the
   report for the period a milestone fell due in said it was reached; it was verified done only later) is
   taken back by the days its claims hid on average, weighted by how often they failed, unless the task is
   clearly ahead of plan. A task whose own earlier milestone was claimed and is still not verified is taken
   as not past that milestone today.
2. **How fast it moves**: the schedule gained per day over about the last two months, blended with the pace
   since the start, so an honest catch-up counts and so does a recent stall.
3. **What the report says**: words saying the work is held up now (滞后, 推进缓慢, 受…影响, 停工 …) slow the
   expected pace much, words saying trouble lies ahead (尚未, 协调难度大, 未到位 …) less; look-alikes that
   deny a risk (未受…影响, 尚未发现, 无滞后, 针对…滞后的情况) do not count.

The expected slip is how many days after its due date the milestone is reached from that position at that
pace; above `warn_after_days` it is a warning, above `red_after_days` a serious one. The figures behind it
come with it, so a sentence can say why. `plain_slip` is the plain rule it is measured against (earned
schedule on the latest report). The figures on a simulated district year are in docs/benchmarks.md.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .days import CALENDAR, TimeAxis
from .facts import MilestoneFact, ReportFact, TaskFacts
from .integrity import progress_series
from .trajectory import Trajectory, build_trajectory


@dataclass(frozen=True, slots=True)
class WarningRules:
    """Settings of the early warning. Day counts are axis days (working days on a working-day axis)."""

    horizon_days: int = 20  # milestones due within this many days are judged
    warn_after_days: float = 0.0  # an expected slip beyond this is a warning (yellow)…
    red_after_days: float = 20.0  # …and beyond this a serious one (red)
    recent_days: int = 60  # the window of the recent pace
    recent_weight: float = 0.6  # its share in the pace used; the rest is the pace since the start
    stalled_slowdown: float = 0.7  # share of the pace lost when the report says the work is held up
    pending_slowdown: float = 0.4  # …and when it says trouble lies ahead
    step_points: float = 10.0  # a unit reporting in multiples of this…
    step_share: float = 0.9  # …for at least this share of its figures between 0 and 100…
    step_min_reports: int = 3  # …over at least this many figures is read as half a step further
    verify_grace_days: int = 15  # days after the claiming report was filed a claim may stay unverified
    record_weight: float = 2.0  # a unit whose claims failed half the time or more counts in full
    ahead_days: float = 10.0  # a task this far ahead of plan is not taken back for its unit's record
    min_pace: float = 0.05


DEFAULT_WARNING_RULES = WarningRules()

# Risk words (风险表述): work held up now, trouble still ahead, and look-alikes that deny a risk.
_STALLED = re.compile(r"滞后|推进缓慢|进展缓慢|进度偏慢|停工|暂停|阻工|延期|推迟|受[^,，。;；、]{1,12}影响")
_PENDING = re.compile(r"尚未|未能|难度(?:较|很|比较)?大|未到位|不到位|缺口|困难较多|无法")
_HARMLESS = re.compile(
    r"(?:未|没有|不)受[^,，。;；]{0,12}影响|尚未发现|尚未发生|未发现|无[^,，。;；]{0,4}滞后|"
    r"未出现[^,，。;；]{0,6}滞后|不存在[^,，。;；]{0,6}滞后|无法律|未能及时发现|"
    r"针对[^,，。;；]{0,12}(?:滞后|偏慢|缓慢)[^,，。;；]{0,4}(?:情况|问题)"
)


def risk_words(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The risk words of a report, each once in order of appearance: those saying the work is held up now,
    and those saying trouble lies ahead. Look-alikes that deny a risk are left out."""
    cleaned = _HARMLESS.sub("", text)
    stalled = tuple(dict.fromkeys(m.group() for m in _STALLED.finditer(cleaned)))
    pending = tuple(dict.fromkeys(m.group() for m in _PENDING.finditer(cleaned)))
    return stalled, tuple(w for w in pending if not any(w in s for s in stalled))


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """What a unit's past reports say about its reporting: milestones it claimed (`claims`), how many of those
    claims did not hold when verified and the days they hid; how many of its progress figures between 0 and
    100 there were and how many were round (multiples of `step_points`)."""

    claims: int = 0
    overstated: int = 0
    hidden_days: float = 0.0
    figures: int = 0
    round_figures: int = 0

    @property
    def mean_hidden(self) -> float:
        return self.hidden_days / self.overstated if self.overstated else 0.0

    def weight(self, rules: "WarningRules") -> float:
        """How far to believe the unit hides delays, 0..1: the share of its claims that failed, scaled."""
        return min(1.0, rules.record_weight * self.overstated / max(1, self.claims))

    def stepped(self, rules: "WarningRules") -> bool:
        enough = self.figures >= rules.step_min_reports
        return enough and self.round_figures >= rules.step_share * self.figures


@dataclass(frozen=True, slots=True)
class Claim:
    """A milestone claimed by a report (progress at or above what it needs), and whether the claim held."""

    unit_id: int | None
    task_id: int
    milestone: MilestoneFact
    overstated: bool
    hidden_days: int  # axis days from the end of the claiming period to verification (or today)


def needed_progress(m: MilestoneFact, trajectory: Trajectory | None) -> float | None:
    """The progress a milestone needs: its planned progress, or, without one, where the plan stands on its date."""
    if m.planned_progress is not None:
        return float(m.planned_progress)
    return None if trajectory is None else trajectory.planned_at(m.due)


def _plan(facts: TaskFacts, axis: TimeAxis) -> Trajectory | None:
    start, default = facts.start, facts.default_start
    return build_trajectory(start, facts.due, facts.milestones, axis=axis, default_start=default)


def claims(
    facts: TaskFacts, as_of: date, rules: WarningRules = DEFAULT_WARNING_RULES, *, axis: TimeAxis = CALENDAR
) -> list[Claim]:
    """The task's milestones claimed by the report for the period they fell due in, and whether the claims held.

    A milestone is claimed when the first report known by `as_of` for a period ending on or after its due date
    is at or above the progress it needs. The claim held when the milestone was verified done by the end of
    that period; it did not when it was verified only later or, where the task's milestones are verified at
    all (one of them is done), is still not verified `verify_grace_days` after the report was filed.
    """
    plan = _plan(facts, axis)
    series = progress_series(facts.reports, as_of)
    pos = axis.pos
    now = pos(as_of)
    verifying = any(m.done_on is not None and m.done_on <= as_of for m in facts.milestones)
    out = []
    for m in facts.milestones:
        needed = needed_progress(m, plan)
        claim = next((r for r in series if r.period_end >= m.due), None)
        if needed is None or claim is None or float(claim.progress or 0) < needed:
            continue
        done = m.done_on if m.done_on is not None and m.done_on <= as_of else None
        if done is None and (not verifying or now - pos(claim.known_on) < rules.verify_grace_days):
            continue
        failed = done is None or done > claim.period_end
        hidden = ((pos(done) if done is not None else now) - pos(claim.period_end)) if failed else 0
        out.append(Claim(facts.unit_id, facts.task_id, m, failed, hidden))
    return out


def unit_records(
    tasks: Iterable[TaskFacts],
    as_of: date,
    rules: WarningRules = DEFAULT_WARNING_RULES,
    *,
    axis: TimeAxis = CALENDAR,
) -> dict[int, UnitRecord]:
    """Each lead unit's record over these tasks as known on `as_of` (give all the tasks the units lead)."""
    tally: dict[int, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0, 0])
    for facts in tasks:
        if facts.unit_id is None:
            continue
        t = tally[facts.unit_id]
        for c in claims(facts, as_of, rules, axis=axis):
            t[0] += 1
            t[1] += c.overstated
            t[2] += c.hidden_days
        moving = _moving(progress_series(facts.reports, as_of))
        t[3] += len(moving)
        t[4] += sum(v % rules.step_points == 0 for v in moving)
    return {u: UnitRecord(int(a), int(b), float(d), int(f), int(r)) for u, (a, b, d, f, r) in tally.items()}


@dataclass(frozen=True, slots=True)
class MilestoneRisk:
    """The judgement on one milestone: its expected slip in axis days and the figures behind it."""

    milestone: MilestoneFact
    expected_slip: float
    needed: float
    progress: float  # the latest reported
    status_date: date  # the end of the period it describes
    expected: float  # progress expected on the due date
    pace: float  # schedule days gained per day, as used
    recent_pace: float | None
    words: tuple[str, ...] = ()
    unverified: MilestoneFact | None = None  # an earlier milestone claimed and still not verified
    record: UnitRecord | None = None
    stepped: bool = False
    discount_days: float = 0.0  # how far the position was taken back for the unit's record

    def at_risk(self, rules: WarningRules = DEFAULT_WARNING_RULES) -> bool:
        return self.expected_slip > rules.warn_after_days

    def severe(self, rules: WarningRules = DEFAULT_WARNING_RULES) -> bool:
        return self.expected_slip > rules.red_after_days


def _pace_since(
    plan: Trajectory, series: Sequence[ReportFact], progress: float, status: int, window: int
) -> float | None:
    """Schedule days gained per day from the report nearest `window` days before the status date to it."""
    pos = plan.axis.pos
    best: tuple[int, ReportFact] | None = None
    for r in series:
        gap = status - pos(r.period_end)
        if gap >= window // 2 and (best is None or abs(gap - window) < abs(best[0] - window)):
            best = (gap, r)
    if best is None:
        return None
    gap, then = best
    return (plan.earned_x(progress) - plan.earned_x(float(then.progress or 0))) / gap


def _moving(series: Sequence[ReportFact]) -> list[float]:
    return [v for r in series if 0 < (v := float(r.progress or 0)) < 100]


def _stepped(series: Sequence[ReportFact], record: UnitRecord | None, rules: WarningRules) -> bool:
    """Does the unit report in round steps? Its record says, or else the task's own figures."""
    if record is not None and record.figures >= rules.step_min_reports:
        return record.stepped(rules)
    moving = _moving(series)
    own = UnitRecord(figures=len(moving), round_figures=sum(v % rules.step_points == 0 for v in moving))
    return own.stepped(rules)


def due_soon(
    facts: TaskFacts, as_of: date, horizon_days: int, *, axis: TimeAxis = CALENDAR
) -> list[MilestoneFact]:
    """The task's milestones due from `as_of` to `horizon_days` axis days later and not done by then, by date."""
    pos = axis.pos
    now = pos(as_of)
    soon = [
        m
        for m in facts.milestones
        if 0 <= pos(m.due) - now <= horizon_days and not (m.done_on is not None and m.done_on <= as_of)
    ]
    return sorted(soon, key=lambda m: m.due)


def milestone_risks(
    facts: TaskFacts,
    as_of: date,
    rules: WarningRules = DEFAULT_WARNING_RULES,
    *,
    record: UnitRecord | None = None,
    axis: TimeAxis = CALENDAR,
    trajectory: Trajectory | None = None,
) -> list[MilestoneRisk]:
    """The task's milestones due from `as_of` to `horizon_days` later and not done, each with its expected slip.

    Nothing when the task has reported nothing yet (the missed-reports rule speaks for it). `record` is the lead
    unit's record (`unit_records`); `trajectory` the task's plan when the caller has built it already.
    """
    pos = axis.pos
    now = pos(as_of)
    judged = due_soon(facts, as_of, rules.horizon_days, axis=axis)
    plan = trajectory if trajectory is not None else _plan(facts, axis) if judged else None
    series = progress_series(facts.reports, as_of)
    if not judged or plan is None or not series:
        return []
    x0 = plan.xs[0]
    last = series[-1]
    progress = float(last.progress or 0)
    status = pos(last.period_end)

    stepped = _stepped(series, record, rules)
    position = min(100.0, progress + (rules.step_points / 2 if stepped else 0.0))
    x = plan.earned_x(position)
    overall = (x - x0) / (status - x0) if status > x0 else None
    recent = _pace_since(plan, series, position, status, rules.recent_days)
    if recent is not None and overall is not None:
        pace = rules.recent_weight * recent + (1 - rules.recent_weight) * overall
    else:
        pace = overall if overall is not None else 1.0
    stalled, pending = risk_words(last.text)
    if stalled:
        pace *= 1 - rules.stalled_slowdown
    elif pending:
        pace *= 1 - rules.pending_slowdown
    pace = max(pace, rules.min_pace)

    discount = 0.0
    if record is not None and record.overstated:
        ahead = min(1.0, max(0.0, (x - status) / rules.ahead_days))
        discount = record.weight(rules) * record.mean_hidden * (1 - ahead)
    x -= discount
    unverified = max(
        (
            c.milestone
            for c in claims(facts, as_of, rules, axis=axis)
            if c.overstated and c.milestone.done_on is None
        ),
        key=lambda m: m.due,
        default=None,
    )

    out = []
    for m in judged:
        needed = needed_progress(m, plan)
        if needed is None:
            continue
        target = plan.earned_x(needed)
        reach = status + max(0.0, target - x) / pace
        if unverified is not None:  # not past that milestone today, whatever the reports say
            reach = max(reach, now + max(0.0, target - pos(unverified.due)) / pace)
        slip = reach - pos(m.due)
        out.append(
            MilestoneRisk(
                milestone=m,
                expected_slip=round(slip, 1),
                needed=round(needed, 1),
                progress=progress,
                status_date=last.period_end,
                expected=round(min(100.0, plan.planned_at_x(target - pace * slip)), 1),
                pace=round(pace, 3),
                recent_pace=None if recent is None else round(recent, 3),
                words=stalled + pending,
                unverified=unverified,
                record=record,
                stepped=stepped,
                discount_days=round(discount, 1),
            )
        )
    return out


def plain_slip(
    facts: TaskFacts, milestone: MilestoneFact, as_of: date, *, axis: TimeAxis = CALENDAR
) -> float | None:
    """The plain rule: earned schedule on the latest report. At the task's pace since its start (SPI(t)), how many
    days after its due date is the milestone reached? None without a plan; before any progress, the days gone
    since the start (no pace to extrapolate)."""
    plan = _plan(facts, axis)
    needed = needed_progress(milestone, plan)
    if plan is None or needed is None:
        return None
    series = progress_series(facts.reports, as_of)
    pos = axis.pos
    x0 = plan.xs[0]
    last = series[-1] if series else None
    if last is None or not last.progress:
        return float(max(0, min(pos(as_of), pos(milestone.due)) - x0))
    status = pos(last.period_end)
    es = plan.earned_x(float(last.progress)) - x0
    if status <= x0 or es <= 0:
        return float(pos(as_of) - x0)
    spi = es / (status - x0)
    return round((plan.earned_x(needed) - x0) / spi - (pos(milestone.due) - x0), 1)
