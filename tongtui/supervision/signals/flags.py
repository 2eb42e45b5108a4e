"""Integrity flags (弄虚作假 signals): what was seen, a readable reason and the figures behind it.

A flag never accuses: its strength only ranks tasks for verification (spot checks, 抽查).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from .texts import render


class FlagKind(StrEnum):
    TEXT_REPEATS_OWN = "text_repeats_own"
    TEXT_MATCHES_OTHER_UNIT = "text_matches_other_unit"
    PROGRESS_JUMP = "progress_jump"
    DEADLINE_JUMP = "deadline_jump"
    COMPLETION_WITHOUT_EVIDENCE = "completion_without_evidence"
    STUCK_NEAR_DONE = "stuck_near_done"
    EDITED_AFTER_SUBMISSION = "edited_after_submission"
    BACKDATED = "backdated"
    INDICATOR_OUT_OF_BOUNDS = "indicator_out_of_bounds"
    INDICATOR_DECREASED = "indicator_decreased"
    INDICATOR_INCONSISTENT = "indicator_inconsistent"
    EVIDENCE_REUSED = "evidence_reused"
    SAME_AS_PREFILL = "same_as_prefill"  # submitted with the form's pre-fill (last period's next steps)
    FIGURES_CHANGED_ONLY = "figures_changed_only"  # last period's report with only the figures changed


@dataclass(frozen=True, slots=True)
class Flag:
    kind: FlagKind
    strength: float  # 0..1, for ranking only
    figures: dict[str, Any] = field(default_factory=dict)
    task_id: int | None = None
    unit_id: int | None = None
    report_id: int | None = None
    period: date | None = None

    def text(self, lang: str = "zh-hans") -> str:
        return render(self.kind.value, lang, self.figures)


@dataclass(frozen=True, slots=True)
class IntegrityRules:
    """Thresholds of the integrity checks. Day counts for the deadline are axis days."""

    jump_min_points: float = 30.0  # a jump must be at least this many points…
    jump_pace_factor: float = 3.0  # …and this many times the task's pace (own median step or planned step)
    jump_min_steps: int = 2  # earlier steps needed before the task's own pace counts
    deadline_window_days: int = 5  # a report this close to the due date (or later) is "at the deadline"
    deadline_from_below: float = 50.0  # straight to 100 % from at most this much
    completion_needs_evidence: bool = True  # a report at 100 % must carry evidence
    stuck_low: float = 80.0
    stuck_high: float = 95.0
    stuck_reports: int = 3  # this many reports in a row within [stuck_low, stuck_high]
    edit_grace: timedelta = timedelta(hours=1)  # corrections this soon after submission are not flagged
    backdated_days: int = 30  # calendar days between a period's end and its report's submission
    indicator_max_factor: float = 3.0  # a value beyond this many times the target is implausible
    indicator_decrease_tolerance: float = 0.05  # share of the target span a cumulative value may fall
    indicator_progress_gap: float = 0.5  # reported progress above indicator achievement by this share


DEFAULT_INTEGRITY_RULES = IntegrityRules()


@dataclass(frozen=True, slots=True)
class TaskRisk:
    task_id: int
    score: float  # 1 - product of (1 - strength) over the task's flags
    kinds: tuple[FlagKind, ...]
    flags: int


def rank_tasks(flags: Iterable[Flag]) -> list[TaskRisk]:
    """Tasks by integrity risk, highest first (ties by task id): weights for spot-check sampling."""
    keep: dict[int, float] = defaultdict(lambda: 1.0)
    kinds: dict[int, dict[FlagKind, None]] = defaultdict(dict)
    count: dict[int, int] = defaultdict(int)
    for f in flags:
        if f.task_id is None:
            continue
        keep[f.task_id] *= 1.0 - min(1.0, max(0.0, f.strength))
        kinds[f.task_id][f.kind] = None
        count[f.task_id] += 1
    risks = [TaskRisk(t, round(1.0 - k, 6), tuple(kinds[t]), count[t]) for t, k in keep.items()]
    risks.sort(key=lambda r: (-r.score, r.task_id))
    return risks


def clamp01(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x
