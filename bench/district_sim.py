"""A realistic simulated district year for the early warning and the copy check, with its labels on the side.

    .venv/bin/python bench/district_sim.py [--tasks 150] [--units 40] [--seed 1] [--copy-rate 0.01] [--show 2]

Each task's real work is a pace along its plan: the "work date" τ moves at `pace` working days per day, and
the true progress on a day is the planned progress at τ. A milestone is really done the day τ reaches its
due date, so it slips exactly when the work fell behind by then. Paces are drawn per task (steady with a
little buffer, slow, uneven), with week-to-week noise, external blockers (征迁, 审批, 资金: the work nearly
stops for weeks, now and then starting only days before a milestone), honest catch-ups of slow tasks (more
crews from a day on), and honest big steps (equipment delivered).

What the office sees is generated from that: monthly reports filed days after the period (late and now and
then missing for some units), progress rounded with a little noise (by a fifth of the honest units rounded
down to tens), and, by units that conceal ("watermelon" reporting), progress pulled towards the plan by a
share of the gap and straight to 100 % at the deadline. A milestone is verified done (its `done_on` becomes known) when the office accepts the first
report after the work really reached it. Texts come from `district_texts.py`: district templates with the
task's own words; units that are held up say so (滞后, 尚未, 受…影响, 协调难度大), concealing units mostly do not.
Copies are planted as retouched texts of the unit's own earlier report or of another unit's report of the
same or an earlier period.

Labels (`SimMilestone.slipped`, `Year.copies`) are never part of what the signals see: `Year.facts(task,
as_of)` gives only what was known on `as_of`.
"""

import argparse
import random
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from district_texts import SHORT, Vocabulary, report_text, retouch, vocabulary  # noqa: E402

from tongtui.supervision.signals.facts import MilestoneFact, ReportFact, TaskFacts  # noqa: E402
from tongtui.supervision.signals.trajectory import Trajectory, build_trajectory  # noqa: E402

YEAR = 2026
YEAR_START = date(YEAR, 1, 1)
HORIZON = date(YEAR + 1, 3, 31)  # the work is followed this far, so late milestones get a real date
BLOCKED_PACE = 0.1


@dataclass(frozen=True)
class Unit:
    unit_id: int
    conceal: float  # share of its gap to plan a unit hides in its reported progress (0: honest)
    steps: int  # reports progress rounded down to this many points (1: as it is)
    late: float  # probability that a report is filed one to three weeks late
    template: int
    terse: bool  # writes "按计划推进中" more often than not


@dataclass
class SimMilestone:
    fact: MilestoneFact  # done_on is the day the work really reached it (shown only once verified)
    task_id: int
    completed_on: date | None  # None: not reached within the simulated horizon
    verified_on: date | None  # the office accepted the report claiming it
    slipped: bool  # label: done after its due date, or not at all
    blocked: bool  # label: an external blocker fell on it


@dataclass
class SimTask:
    task_id: int
    unit: Unit
    start: date | None  # None for a task assigned mid-year without a start date
    assigned: date
    due: date
    vocab: Vocabulary
    milestones: list[SimMilestone]
    reports: list[ReportFact] = field(default_factory=list)
    truth: dict[int, float] = field(default_factory=dict)  # report id -> true progress on its period end
    kind: str = "steady"  # label: steady, slow, catch_up, uneven


@dataclass(frozen=True)
class Copy:
    report_id: int
    source_id: int
    kind: str  # "own" or "other"


@dataclass
class Year:
    seed: int
    units: list[Unit]
    tasks: list[SimTask]
    copies: dict[int, Copy] = field(default_factory=dict)

    def reports(self) -> list[ReportFact]:
        return [r for t in self.tasks for r in t.reports]

    def milestones(self) -> list[SimMilestone]:
        return [m for t in self.tasks for m in t.milestones]

    def facts(self, task: SimTask, as_of: date) -> TaskFacts:
        """What the office knew about a task at the end of `as_of`: reports filed by then, milestones verified."""
        milestones = tuple(
            m.fact if m.verified_on is not None and m.verified_on <= as_of else replace(m.fact, done_on=None)
            for m in task.milestones
        )
        return TaskFacts(
            task_id=task.task_id,
            status="in_progress" if as_of >= task.assigned else "draft",
            start=task.start,
            due=task.due,
            milestones=milestones,
            reports=tuple(r for r in task.reports if r.known_on <= as_of),
            default_start=task.assigned if task.start is None else YEAR_START,
            unit_id=task.unit.unit_id,
        )

    def all_facts(self, as_of: date) -> list[TaskFacts]:
        return [self.facts(t, as_of) for t in self.tasks if t.assigned <= as_of]


def month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def month_ends(first: date, last: date) -> list[date]:
    out, d = [], month_end(first)
    while d <= last:
        out.append(d)
        d = month_end(d + timedelta(days=1))
    return out


def _units(rng: random.Random, n: int) -> list[Unit]:
    units = []
    for i in range(n):
        conceal = rng.uniform(0.5, 0.9) if rng.random() < 0.25 else 0.0
        steps = 10 if not conceal and rng.random() < 0.2 else 1
        late = rng.uniform(0.3, 0.6) if rng.random() < 0.2 else 0.05
        units.append(Unit(i + 1, round(conceal, 2), steps, late, rng.randrange(4), rng.random() < 0.08))
    return units


def _schedule(rng: random.Random, begin: date, due: date) -> list[tuple[date, float | None]]:
    """Milestone dates (month ends, some mid-month) and planned progress; some without planned progress."""
    span = (due - begin).days
    k = rng.choice([1, 2, 2, 3]) if span > 150 else rng.choice([1, 1, 2])
    dates: list[date] = []
    for _ in range(40):
        if len(dates) == k:
            break
        d = begin + timedelta(days=rng.randint(70, max(71, span - 40)))
        d = month_end(d) if rng.random() < 0.8 or d.day <= 15 else date(d.year, d.month, 15)
        if d < due - timedelta(days=35) and all(abs((d - x).days) >= 40 for x in dates):
            dates.append(d)
    dates.sort()
    shape = rng.choice([1.0, 1.0, 1.3, 0.85])
    points: list[tuple[date, float | None]] = []
    last = 0.0
    for d in dates:
        share = (d - begin).days / span
        planned = min(95.0, max(last + 5, 5 * round(20 * share**shape)))
        last = planned
        points.append((d, planned if rng.random() > 0.15 else None))
    points.append((due, 100.0 if rng.random() > 0.1 else None))
    return points


def _pace(rng: random.Random) -> tuple[str, float, float]:
    """Kind of task, its pace factor and how much its pace wobbles week to week."""
    roll = rng.random()
    if roll < 0.6:
        return "steady", rng.uniform(1.04, 1.3), 0.1
    if roll < 0.82:
        return "slow", rng.uniform(0.6, 0.9), 0.1
    return "uneven", rng.uniform(0.95, 1.2), 0.2


def _work(
    rng: random.Random,
    begin: date,
    due: date,
    dues: list[date],
    pace: float,
    wobble: float,
    kind: str,
) -> tuple[list[float], set[int], list[tuple[date, date, date]], date | None]:
    """τ (as an ordinal) for every day from `begin` to HORIZON; which milestones a blocker fell on; the spells
    from when the unit knew of a blocker until it ended; the day a catch-up started."""
    blocked: list[tuple[date, date]] = []
    hit: set[int] = set()
    known: list[
        tuple[date, date, date]
    ] = []  # when the unit knew of each blocker, when it stopped work, its end
    for i, d in enumerate(dues):
        if rng.random() < 0.18:  # an external blocker some weeks before the milestone
            onset = d - timedelta(days=rng.randint(40, 110))
        elif rng.random() < 0.01:  # one that starts only days before it
            onset = d - timedelta(days=rng.randint(8, 20))
        else:
            continue
        onset = max(onset, begin + timedelta(days=10))
        end = onset + timedelta(days=rng.randint(20, 75))
        blocked.append((onset, end))
        # most blockers are known before they stop the work (a permit still pending, a dispute over land)
        known.append((onset - timedelta(days=rng.randint(15, 60) if rng.random() < 0.9 else 0), onset, end))
        hit.add(i)
    catch_up = None
    if kind == "catch_up":
        catch_up = begin + timedelta(days=rng.randint(30, max(31, (due - begin).days // 2)))
    boost = rng.uniform(1.6, 2.2)
    big_step = begin + timedelta(days=rng.randint(30, 200)) if rng.random() < 0.05 else None
    tau = float(begin.toordinal())
    out = []
    days = (HORIZON - begin).days + 1
    week_factor = 1.0
    for n in range(days):
        d = begin + timedelta(days=n)
        if n % 7 == 0:
            week_factor = max(0.0, 1 + rng.uniform(-wobble, wobble))
        step = pace * week_factor
        if catch_up is not None and d >= catch_up:
            step *= boost
        if any(a <= d < b for a, b in blocked):
            step = pace * BLOCKED_PACE
        if d == big_step:
            tau += rng.uniform(15, 35)
        tau = min(tau + step, float(due.toordinal()) + 1)
        out.append(tau)
    return out, hit, known, catch_up


def _task(rng: random.Random, tid: int, unit: Unit, ids: "Ids") -> SimTask:
    if rng.random() < 0.15:  # assigned mid-year, measured from its assignment
        assigned = date(YEAR, rng.choice([5, 6]), rng.randint(1, 28))
        start, begin, due = None, assigned, month_end(date(YEAR, rng.choice([11, 12, 12]), 1))
    else:
        begin = rng.choice([YEAR_START, YEAR_START, date(YEAR, 2, 1), date(YEAR, 3, 1)])
        start, assigned = begin, YEAR_START
        due = month_end(date(YEAR, rng.choice([9, 10, 11, 12, 12, 12]), 1))
    points = _schedule(rng, begin, due)
    facts = [MilestoneFact(due=d, planned_progress=p, milestone_id=next(ids.milestone)) for d, p in points]
    plan = build_trajectory(start, due, facts, default_start=begin)
    assert plan is not None
    kind, pace, wobble = _pace(rng)
    if kind == "slow" and rng.random() < 0.5:
        kind = "catch_up"
    tau, hit, blocked, catch_up = _work(rng, begin, due, [d for d, _ in points], pace, wobble, kind)
    milestones = []
    for i, m in enumerate(facts):
        reached = next((n for n, x in enumerate(tau) if x >= m.due.toordinal()), None)
        done = None if reached is None else begin + timedelta(days=reached)
        milestones.append(
            SimMilestone(
                replace(m, done_on=done, title=f"节点{i + 1}"),
                tid,
                done,
                None,
                done is None or done > m.due,
                i in hit,
            )
        )
    task = SimTask(tid, unit, start, assigned, due, vocabulary(rng), milestones, kind=kind)
    _reports(rng, task, plan, begin, tau, blocked, catch_up, ids)
    return task


def _reports(
    rng: random.Random,
    task: SimTask,
    plan: Trajectory,
    begin: date,
    tau: list[float],
    blocked: list[tuple[date, date, date]],
    catch_up: date | None,
    ids: "Ids",
) -> None:
    unit = task.unit
    previous = 0.0
    for end in month_ends(begin, HORIZON):
        if rng.random() < 0.02:
            continue  # a month nobody filed
        n = (end - begin).days
        truth = plan.planned_at_x(tau[n])
        planned = plan.planned_at(end)
        value = truth
        if unit.conceal and truth < planned:
            value = truth + unit.conceal * (planned - truth) + rng.uniform(0, 3)
        value += rng.gauss(0, 0.5)
        if unit.steps > 1:
            value = unit.steps * (value // unit.steps)
        if unit.conceal and end >= task.due and truth >= 60:
            value = 100.0  # straight to 100 % at the deadline
        if truth >= 99.5:
            value = 100.0
        elif not unit.conceal:
            value = min(value, 99.0)
        value = float(max(previous, min(100, round(value))))
        late = rng.randint(8, 25) if rng.random() < unit.late else 0
        filed = end + timedelta(days=rng.randint(1, 5) + late)
        if unit.terse and rng.random() < 0.6:
            text = rng.choice(SHORT)
        else:
            stalled = any(b <= end < c for _, b, c in blocked)
            pending = any(a <= end < b for a, b, _ in blocked)
            behind = truth < planned - 8
            kind = "stalled" if stalled else "pending" if pending else "behind" if behind else ""
            says = {"stalled": 0.85, "pending": 0.7, "behind": 0.5, "": 0.0}[kind] * (
                0.35 if unit.conceal else 1
            )
            hurrying = catch_up is not None and catch_up <= end < catch_up + timedelta(days=75)
            text = report_text(
                rng, task.vocab, unit.template, value, value - previous, risk=kind if rng.random() < says else "",
                catching_up=hurrying,
            )  # fmt: skip
        rid = next(ids.report)
        task.reports.append(
            ReportFact(
                period_end=end,
                progress=value,
                submitted_at=filed,
                text=text,
                report_id=rid,
                task_id=task.task_id,
                unit_id=unit.unit_id,
            )
        )
        task.truth[rid] = truth
        previous = value
        if value >= 100 and truth >= 99.5:
            break
    for m in task.milestones:
        if m.completed_on is None:
            continue
        claiming = next((r for r in task.reports if r.period_end >= m.completed_on), None)
        if claiming is not None:
            m.verified_on = claiming.known_on + timedelta(days=rng.randint(1, 8))


class Ids:
    def __init__(self) -> None:
        self.milestone = iter(range(1, 10**9))
        self.report = iter(range(1, 10**9))


def _plant_copies(rng: random.Random, year: Year, rate: float) -> None:
    """Retouched copies: of the unit's own earlier report, and of another unit's report of the same or an earlier
    period; `rate` of the tasks gets one copy of each kind."""
    n = max(1, round(rate * len(year.tasks)))
    used: set[int] = set()

    def long(r: ReportFact) -> bool:
        return len(r.text) > 40 and r.report_id not in year.copies

    eligible = [t for t in year.tasks if len(t.reports) >= 3 and t.reports[0].text not in SHORT]
    for t in rng.sample(eligible, min(n, len(eligible))):
        i = rng.randrange(1, len(t.reports))
        earlier = [r for r in t.reports[:i] if long(r)]
        if not earlier:
            continue
        src = earlier[-1] if rng.random() < 0.6 else rng.choice(earlier)
        t.reports[i] = replace(t.reports[i], text=retouch(rng, src.text))
        rid = t.reports[i].report_id or 0
        year.copies[rid] = Copy(rid, src.report_id or 0, "own")
        used.add(t.task_id)
    by_period: dict[date, list[tuple[SimTask, ReportFact]]] = {}
    for t in year.tasks:
        for r in t.reports:
            by_period.setdefault(r.period_end, []).append((t, r))
    others = [t for t in eligible if t.task_id not in used]
    for t in rng.sample(others, min(n, len(others))):
        i = rng.randrange(len(t.reports))
        mine = t.reports[i]
        same = rng.random() < 0.6
        pool = [
            (o, r)
            for period, rows in by_period.items()
            if (period == mine.period_end) == same and period <= mine.period_end
            for o, r in rows
            if o.unit.unit_id != t.unit.unit_id and long(r) and r.known_on < mine.known_on
        ]
        if not pool:
            continue
        o, src = rng.choice(pool)
        text = retouch(rng, src.text, own_project=t.vocab.project, source_project=o.vocab.project)
        t.reports[i] = replace(mine, text=text)
        year.copies[mine.report_id or 0] = Copy(mine.report_id or 0, src.report_id or 0, "other")


def generate(seed: int = 1, tasks: int = 150, units: int = 40, copy_rate: float = 0.01) -> Year:
    rng = random.Random(seed)
    ids = Ids()
    unit_list = _units(rng, units)
    year = Year(seed, unit_list, [])
    for tid in range(1, tasks + 1):
        year.tasks.append(_task(rng, tid, rng.choice(unit_list), ids))
    _plant_copies(rng, year, copy_rate)
    return year


def describe(year: Year) -> str:
    ms = year.milestones()
    slipped = [m for m in ms if m.slipped]
    weeks = [((m.completed_on or HORIZON) - m.fact.due).days for m in slipped]
    kinds = Counter(t.kind for t in year.tasks)
    mid = sum(t.start is None for t in year.tasks)
    no_planned = sum(m.fact.planned_progress is None for m in ms)
    concealing = sum(bool(u.conceal) for u in year.units)
    late = sum(r.known_on - r.period_end > timedelta(days=7) for r in year.reports())
    copies = Counter(c.kind for c in year.copies.values())
    return (
        f"seed {year.seed}: {len(year.units)} units ({concealing} conceal), {len(year.tasks)} tasks "
        f"({mid} assigned mid-year without a start; {dict(kinds)}), {len(year.reports())} reports ({late} filed "
        f"more than a week after the period), {len(ms)} milestones ({no_planned} without planned progress), "
        f"{len(slipped)} slip ({100 * len(slipped) / max(1, len(ms)):.0f} %; {sum(w > 14 for w in weeks)} by more "
        f"than two weeks; {sum(m.blocked for m in slipped)} held up by a blocker); copies planted: {dict(copies)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=150)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--copy-rate", type=float, default=0.01)
    parser.add_argument("--show", type=int, default=0, help="print the reports of this many tasks")
    args = parser.parse_args()
    year = generate(args.seed, args.tasks, args.units, args.copy_rate)
    print(describe(year))
    for t in year.tasks[: args.show]:
        print(f"\n{t.task_id} {t.vocab.project} unit {t.unit.unit_id} conceal {t.unit.conceal} {t.kind}")
        for m in t.milestones:
            print(
                f"  milestone {m.fact.due} planned {m.fact.planned_progress} done {m.completed_on} {m.slipped}"
            )
        for r in t.reports:
            copy = year.copies.get(r.report_id or 0)
            print(
                f"  {r.period_end} {r.progress} (true {t.truth[r.report_id or 0]:.0f}) {r.text}", copy or ""
            )


if __name__ == "__main__":
    main()
