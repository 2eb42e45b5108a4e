"""Integrity checks over a task's reports: jumps, deadline jumps, completion without evidence,
"90 % syndrome", edits after submission, back-dating, and evidence files reused across reports.

Every check looks only at what was known on `as_of`, so flags can be recomputed for a past date.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from statistics import median

from .days import CALENDAR, TimeAxis
from .facts import ReportFact, TaskFacts, day_of
from .flags import DEFAULT_INTEGRITY_RULES, Flag, FlagKind, IntegrityRules, clamp01
from .texts import phrase
from .trajectory import Trajectory, build_trajectory


def progress_series(reports: Iterable[ReportFact], as_of: date) -> list[ReportFact]:
    """Reports known by `as_of` with a progress figure, one per period (the last submitted), by period."""
    latest: dict[date, ReportFact] = {}
    for r in reports:
        if r.progress is None or r.known_on > as_of:
            continue
        seen = latest.get(r.period_end)
        if seen is None or r.known_on >= seen.known_on:
            latest[r.period_end] = r
    return [latest[d] for d in sorted(latest)]


def _flag(kind: FlagKind, strength: float, r: ReportFact, task_id: int | None, **figures: object) -> Flag:
    return Flag(
        kind,
        round(clamp01(strength), 3),
        dict(figures),
        task_id=r.task_id if r.task_id is not None else task_id,
        unit_id=r.unit_id,
        report_id=r.report_id,
        period=r.period_end,
    )


def progress_flags(
    facts: TaskFacts,
    as_of: date,
    rules: IntegrityRules = DEFAULT_INTEGRITY_RULES,
    *,
    axis: TimeAxis = CALENDAR,
    trajectory: Trajectory | None = None,
) -> list[Flag]:
    """Jumps far above the task's pace, straight to 100 % at the deadline, 80–95 % for many reports,
    and completion claimed without the required evidence."""
    series = progress_series(facts.reports, as_of)
    if trajectory is None:
        trajectory = build_trajectory(
            facts.start, facts.due, facts.milestones, axis=axis, default_start=facts.default_start
        )
    flags: list[Flag] = []
    tid = facts.task_id
    steps: list[float] = []
    previous: ReportFact | None = None
    for r in series:
        p = float(r.progress or 0)
        before = float(previous.progress or 0) if previous is not None else 0.0
        step = p - before
        at_deadline = (
            facts.due is not None
            and axis.pos(r.period_end) >= axis.pos(facts.due) - rules.deadline_window_days
        )
        if p >= 100 and before <= rules.deadline_from_below and at_deadline:
            flags.append(
                _flag(FlagKind.DEADLINE_JUMP, 0.4 + 0.5 * (1 - before / 100), r, tid, previous=before)
            )
        elif previous is not None:
            pace = _pace(steps, rules, trajectory, previous.period_end, r.period_end)
            if (
                pace is not None
                and step >= rules.jump_min_points
                and step >= rules.jump_pace_factor * max(pace, 1.0)
            ):
                ratio = step / max(pace, 1.0)
                flags.append(
                    _flag(
                        FlagKind.PROGRESS_JUMP,
                        0.3 + 0.1 * (ratio / rules.jump_pace_factor) + 0.3 * (step / 100),
                        r,
                        tid,
                        jump=step,
                        previous=before,
                        progress=p,
                        pace=round(pace, 1),
                    )
                )
        if previous is not None:
            steps.append(max(step, 0.0))
        previous = r

    flags.extend(_stuck(series, rules, tid))
    flags.extend(_completion_without_evidence(facts, series, as_of, rules))
    return flags


def _pace(
    steps: Sequence[float], rules: IntegrityRules, traj: Trajectory | None, since: date, until: date
) -> float | None:
    """The larger of the task's own typical step and the step its plan asked for over the same period."""
    own = median(steps) if len(steps) >= rules.jump_min_steps else None
    planned = traj.planned_at(until) - traj.planned_at(since) if traj is not None else None
    known = [x for x in (own, planned) if x is not None]
    return max(known) if known else None


def _stuck(series: Sequence[ReportFact], rules: IntegrityRules, task_id: int | None) -> list[Flag]:
    flags = []
    run: list[ReportFact] = []
    for r in [*series, None]:
        if r is not None and rules.stuck_low <= float(r.progress or 0) <= rules.stuck_high:
            run.append(r)
            continue
        if len(run) >= rules.stuck_reports:
            last = run[-1]
            flags.append(
                _flag(
                    FlagKind.STUCK_NEAR_DONE,
                    0.3 + 0.1 * (len(run) - rules.stuck_reports),
                    last,
                    task_id,
                    count=len(run),
                    low=rules.stuck_low,
                    high=rules.stuck_high,
                    since=run[0].period_end,
                    values=[r.progress for r in run],
                )
            )
        run = []
    return flags


def _completion_without_evidence(
    facts: TaskFacts, series: Sequence[ReportFact], as_of: date, rules: IntegrityRules
) -> list[Flag]:
    flags = []
    if rules.completion_needs_evidence:
        full = next((r for r in series if float(r.progress or 0) >= 100), None)
        if full is not None and not full.evidence_hashes:
            what = phrase("what_report", period=full.period_end)
            flags.append(_flag(FlagKind.COMPLETION_WITHOUT_EVIDENCE, 0.5, full, facts.task_id, what=what))
    for m in facts.milestones:
        if m.evidence_required and not m.has_evidence and m.done_on is not None and m.done_on <= as_of:
            what = phrase("what_milestone", label=m.title or m.due.isoformat())
            figures = {"what": what, "milestone_id": m.milestone_id}
            flags.append(
                Flag(
                    FlagKind.COMPLETION_WITHOUT_EVIDENCE,
                    0.4,
                    figures,
                    task_id=facts.task_id,
                    unit_id=facts.unit_id,
                    period=m.done_on,
                )
            )
    return flags


def edit_flags(
    reports: Iterable[ReportFact], as_of: date, rules: IntegrityRules = DEFAULT_INTEGRITY_RULES
) -> list[Flag]:
    """Reports changed after submission, and reports filed long after the period they describe."""
    flags = []
    grace = timedelta(days=rules.backdated_days)
    for r in reports:
        if r.submitted_at is None or r.known_on > as_of:
            continue
        edited = r.edited_at
        if edited is not None and day_of(edited) <= as_of and _later(edited, r.submitted_at, rules):
            after_period = day_of(edited) > r.period_end + grace  # long after the period closed: stronger
            figures = {"submitted": r.submitted_at, "edited": edited, "after_period": after_period}
            flags.append(
                _flag(FlagKind.EDITED_AFTER_SUBMISSION, 0.6 if after_period else 0.3, r, None, **figures)
            )
        late = (r.known_on - r.period_end).days
        if late > rules.backdated_days:
            figures = {"days": late, "period": r.period_end, "submitted": r.known_on}
            flags.append(_flag(FlagKind.BACKDATED, 0.2 + 0.3 * clamp01(late / 180), r, None, **figures))
    return flags


def _later(edited: date, submitted: date, rules: IntegrityRules) -> bool:
    if isinstance(edited, datetime) and isinstance(submitted, datetime):
        return edited - submitted > rules.edit_grace
    return day_of(edited) > day_of(submitted)


def evidence_reuse_flags(reports: Iterable[ReportFact], as_of: date) -> list[Flag]:
    """Reports carrying an evidence file (by hash) already attached to an earlier report, of any unit."""
    uses: dict[str, list[ReportFact]] = defaultdict(list)
    for r in reports:
        if r.known_on <= as_of:
            for h in dict.fromkeys(r.evidence_hashes):
                uses[h].append(r)
    reused: dict[int, list[tuple[str, ReportFact]]] = defaultdict(list)
    by_id: dict[int, ReportFact] = {}
    for h, rs in uses.items():
        if len(rs) < 2:
            continue
        rs.sort(key=lambda r: (r.known_on, r.period_end, r.report_id or 0))
        first = rs[0]
        for r in rs[1:]:
            if r is not first and (r.report_id is None or r.report_id != first.report_id):
                reused[id(r)].append((h, first))
                by_id[id(r)] = r
    flags = []
    for key, pairs in reused.items():
        r = by_id[key]
        cross = [first for _, first in pairs if first.unit_id != r.unit_id]
        first = cross[0] if cross else pairs[0][1]
        flags.append(
            _flag(
                FlagKind.EVIDENCE_REUSED,
                (0.6 if cross else 0.25) + 0.05 * min(len(pairs) - 1, 4),
                r,
                None,
                count=len(pairs),
                where=phrase("where_other_unit" if cross else "where_own"),
                hashes=[h for h, _ in pairs],
                first_report=first.report_id,
                first_unit=first.unit_id,
                first_period=first.period_end,
                cross_unit=bool(cross),
            )
        )
    return flags


def task_flags(
    facts: TaskFacts,
    as_of: date,
    rules: IntegrityRules = DEFAULT_INTEGRITY_RULES,
    *,
    axis: TimeAxis = CALENDAR,
) -> list[Flag]:
    """Every per-task check; text similarity and evidence reuse look across tasks and run separately."""
    return progress_flags(facts, as_of, rules, axis=axis) + edit_flags(facts.reports, as_of, rules)
