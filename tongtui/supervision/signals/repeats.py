"""Reports submitted as last period's: the flag behind the report form's warning at submission. Pure.

The form warns a liaison whose "what was done" is the next steps it pre-filled, or last period's "what was
done" with only the figures changed (`dispatch.repeats`); a report submitted anyway gets this flag. Each report
is compared with the task's last report ending before its period and sent in before it (what the form
pre-filled from); imported reports never saw the form and are not judged.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from tongtui.dispatch.repeats import FIGURES_CHANGED_ONLY, Repeat, changes_text, check_repeat

from .flags import Flag, FlagKind, clamp01
from .texts import phrase

BASE = {FlagKind.SAME_AS_PREFILL: 0.4, FlagKind.FIGURES_CHANGED_ONLY: 0.5}


@dataclass(frozen=True, slots=True)
class ReportText:
    report_id: int
    task_id: int
    unit_id: int | None
    period_start: date
    period_end: date
    submitted_at: datetime | None  # first submission
    done: str
    next_steps: str = ""
    filed: bool = True  # submitted, signed off or accepted (a returned report is only compared against)
    imported: bool = False


def previous(report: ReportText, same_task: Iterable[ReportText]) -> ReportText | None:
    """The task's last report ending before this one's period, sent in before this one was."""
    earlier = [
        r
        for r in same_task
        if r.period_end < report.period_start
        and (r.submitted_at is None or report.submitted_at is None or r.submitted_at <= report.submitted_at)
    ]
    return max(earlier, key=lambda r: (r.period_end, r.report_id), default=None)


def repeat_flag(report: ReportText, before: ReportText, repeat: Repeat) -> Flag:
    kind = FlagKind.FIGURES_CHANGED_ONLY if repeat.code == FIGURES_CHANGED_ONLY else FlagKind.SAME_AS_PREFILL
    changes = changes_text(repeat.changes) if repeat.changes else phrase("figures_unchanged")
    return Flag(
        kind,
        round(clamp01(BASE[kind] + (repeat.similarity - 0.9)), 3),
        {
            "similarity": round(100 * repeat.similarity, 1),
            "passages": [repeat.passage],
            "passage": f"“{repeat.passage}”",
            "changes": changes,
            "other_report": before.report_id,
            "other_period": before.period_end,
        },
        task_id=report.task_id,
        unit_id=report.unit_id,
        report_id=report.report_id,
        period=report.period_end,
    )


def check(report: ReportText, same_task: Iterable[ReportText]) -> Flag | None:
    """The flag of one report, or None (its own text, a first report, imported, or not sent in)."""
    if not report.filed or report.imported:
        return None
    before = previous(report, same_task)
    if before is None:
        return None
    repeat = check_repeat(report.done, prefilled=before.next_steps, last_done=before.done)
    return repeat_flag(report, before, repeat) if repeat else None


def repeat_flags(reports: Iterable[ReportText], as_of: date) -> list[Flag]:
    """Every report known by `as_of` submitted as last period's (one flag per report at most)."""
    by_task: dict[int, list[ReportText]] = defaultdict(list)
    for r in reports:
        if r.submitted_at is not None and r.submitted_at.date() <= as_of:
            by_task[r.task_id].append(r)
    flags = []
    for same_task in by_task.values():
        for r in same_task:
            flag = check(r, same_task)
            if flag is not None:
                flags.append(flag)
    flags.sort(key=lambda f: (-f.strength, f.report_id or 0))
    return flags
