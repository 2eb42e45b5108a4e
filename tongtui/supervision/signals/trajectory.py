"""The planned trajectory of a task: planned progress over time, from its start and milestones.

Planned progress is 0 at the start, reaches each milestone's planned progress on its due date,
is linear in between (in axis days: calendar or working days) and flat after the last point. The
task's due date counts as a 100 % point when it falls after every milestone.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .days import CALENDAR, TimeAxis
from .facts import MilestoneFact

# Notes a trajectory may carry: what was repaired in the plan it was built from.
MISSING_START = "missing_start"
START_AFTER_FIRST_POINT = "start_after_first_milestone"
UNSORTED = "milestones_unsorted"
DUPLICATE_DATES = "duplicate_milestone_dates"
NOT_MONOTONE = "planned_progress_not_monotone"
OUT_OF_RANGE = "planned_progress_out_of_range"
NO_PLANNED_PROGRESS = "milestone_without_planned_progress"
DUE_POINT = "due_implies_100"
NO_MILESTONES = "no_milestones"
ENDS_BELOW_100 = "plan_ends_below_100"


@dataclass(frozen=True, slots=True)
class Trajectory:
    """Planned progress at points (dates[i], ys[i]); xs[i] is the axis position of dates[i].

    The points are sorted by date and ys never decreases; the first point is (start, 0).
    """

    dates: tuple[date, ...]
    xs: tuple[int, ...]
    ys: tuple[float, ...]
    axis: TimeAxis
    notes: tuple[str, ...] = ()

    @property
    def start(self) -> date:
        return self.dates[0]

    @property
    def final(self) -> float:
        """The planned progress the plan ends at (100 unless the plan stops short)."""
        return self.ys[-1]

    @property
    def finish_x(self) -> int:
        """Axis position at which the plan first reaches its final value."""
        return self.xs[bisect_left(self.ys, self.ys[-1])]

    @property
    def finish(self) -> date:
        return self.dates[bisect_left(self.ys, self.ys[-1])]

    @property
    def duration(self) -> int:
        """Planned duration in axis days, from the start to the plan's finish."""
        return self.finish_x - self.xs[0]

    def planned_at(self, d: date) -> float:
        return self.planned_at_x(self.axis.pos(d))

    def planned_at_x(self, x: float) -> float:
        xs, ys = self.xs, self.ys
        if x < xs[0]:
            return 0.0
        if x >= xs[-1]:
            return ys[-1]
        i = bisect_right(xs, x)  # xs[i-1] <= x < xs[i]
        x0, x1, y0 = xs[i - 1], xs[i], ys[i - 1]
        return y0 + (ys[i] - y0) * (x - x0) / (x1 - x0)

    def earned_x(self, progress: float) -> float:
        """The earliest axis position at which the plan reached `progress`; never beyond the plan's finish."""
        xs, ys = self.xs, self.ys
        if progress <= 0:
            return float(xs[0])
        if progress >= ys[-1]:
            return float(self.finish_x)
        i = bisect_left(ys, progress)  # ys[i-1] < progress <= ys[i]; i >= 1 because ys[0] == 0
        x0, y0 = xs[i - 1], ys[i - 1]
        return x0 + (xs[i] - x0) * (progress - y0) / (ys[i] - y0)


def _clamp(p: float) -> float:
    return 0.0 if p < 0 else 100.0 if p > 100 else p


def build_trajectory(
    start: date | None,
    due: date | None,
    milestones: Iterable[MilestoneFact] = (),
    *,
    axis: TimeAxis = CALENDAR,
    default_start: date | None = None,
    due_implies_complete: bool = True,
) -> Trajectory | None:
    """The task's planned trajectory, or None when there is nothing to plan by (no milestone, no due date).

    Repairs, each recorded in `notes`: milestones are sorted; several on one date keep the highest
    planned progress; planned progress is clamped to 0..100 and replaced by its running maximum; a
    missing start, or one after the first milestone, becomes `default_start` (the plan year's
    1 January) when that is early enough, else the first milestone's date.
    """
    notes: list[str] = []
    points: dict[date, float] = {}
    previous: date | None = None
    for m in milestones:
        if m.planned_progress is None:
            notes.append(NO_PLANNED_PROGRESS)
            continue
        p = float(m.planned_progress)
        if not 0 <= p <= 100:
            notes.append(OUT_OF_RANGE)
            p = _clamp(p)
        if previous is not None and m.due < previous:
            notes.append(UNSORTED)
        previous = m.due
        if m.due in points:
            notes.append(DUPLICATE_DATES)
            p = max(p, points[m.due])
        points[m.due] = p
    if not points:
        notes.append(NO_MILESTONES)
    if due is not None and due_implies_complete and (not points or due > max(points)):
        points[due] = 100.0
        notes.append(DUE_POINT)
    if not points:
        return None

    ordered = sorted(points.items())
    first = ordered[0][0]
    if start is None or start > first:
        notes.append(MISSING_START if start is None else START_AFTER_FIRST_POINT)
        start = default_start if default_start is not None and default_start <= first else first

    dates = [start]
    ys = [0.0]
    top = 0.0
    for d, p in ordered:
        if p < top:
            notes.append(NOT_MONOTONE)
            p = top
        top = p
        dates.append(d)
        ys.append(p)
    if top < 100:
        notes.append(ENDS_BELOW_100)
    pos = axis.pos
    return Trajectory(
        dates=tuple(dates),
        xs=tuple(pos(d) for d in dates),
        ys=tuple(ys),
        axis=axis,
        notes=tuple(dict.fromkeys(notes)),
    )
