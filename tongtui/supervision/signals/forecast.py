"""Earned schedule: when will the task finish at its current pace?

ES (earned schedule) is the time at which the plan reached the actual progress; AT (actual time)
is the time elapsed since the start; SPI(t) = ES / AT; the forecast finish is
start + planned duration / SPI(t). All durations are axis days (working days on a working-day axis).
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from math import floor

from .facts import ReportFact
from .texts import render
from .trajectory import ENDS_BELOW_100, Trajectory


class ForecastState(StrEnum):
    FORECAST = "forecast"
    FINISHED = "finished"
    NOT_STARTED = "not_started"  # no progress yet: no pace to extrapolate
    TOO_EARLY = "too_early"  # no time has elapsed since the start
    NO_PACE = "no_pace"  # progress, but the plan asked for at least as much at the start
    NO_PLAN = "no_plan"  # neither milestones nor a due date


# Notes a forecast may carry.
CLAMPED_TO_STATUS_DATE = "forecast_before_status_date"
BEYOND_PLAN = "progress_beyond_plan"
CAPPED = "forecast_capped"

# A forecast reaches at most this many times the longer of the planned and the elapsed duration.
HORIZON_FACTOR = 10


@dataclass(frozen=True, slots=True)
class Forecast:
    state: ForecastState
    working_days: bool
    status_date: date  # the date the progress describes
    progress: float | None = None
    planned: float | None = None  # planned progress on the status date
    es: float | None = None  # earned schedule, axis days since the start
    at: int | None = None  # actual time, axis days since the start
    spi: float | None = None
    planned_duration: int | None = None
    finish: date | None = None  # forecast (or actual) finish
    target: date | None = None  # the due date, else the plan's finish
    slip: int | None = None  # axis days late (> 0) or early (< 0) against the target
    notes: tuple[str, ...] = ()

    @property
    def has_finish(self) -> bool:
        return self.slip is not None


@dataclass(frozen=True, slots=True)
class ProgressReading:
    """The latest progress known on a date, the period it describes and whether it went backwards."""

    progress: float | None
    on: date | None
    previous: float | None = None
    first_full_on: date | None = None  # period end of the first report at 100 %

    @property
    def went_backwards(self) -> bool:
        return self.previous is not None and self.progress is not None and self.progress < self.previous


def latest_progress(reports: Iterable[ReportFact], as_of: date) -> ProgressReading:
    """The progress of the latest period reported by `as_of` (by period end, then submission).

    Reports submitted after `as_of` are ignored, so a reading for a past date uses only what was known then.
    """
    known = [r for r in reports if r.progress is not None and r.known_on <= as_of]
    if not known:
        return ProgressReading(None, None)
    known.sort(key=lambda r: (r.period_end, r.known_on))
    last = known[-1]
    previous = None
    for r in reversed(known[:-1]):
        if r.period_end < last.period_end:
            previous = r.progress
            break
    first_full = next((r.period_end for r in known if r.progress is not None and r.progress >= 100), None)
    return ProgressReading(last.progress, last.period_end, previous, first_full)


def earned_schedule(
    trajectory: Trajectory | None,
    progress: float | None,
    status_date: date,
    *,
    due: date | None = None,
    as_of: date | None = None,
    finished_on: date | None = None,
    working_days: bool | None = None,
) -> Forecast:
    """Forecast the finish of a task whose progress on `status_date` is `progress`.

    `due` is what the finish is compared with (default: the plan's own finish). A forecast finish
    never falls before `as_of` (default: the status date) while the task is not finished.
    `finished_on` is the date progress reached 100 (default: the status date).
    """
    if trajectory is None:
        return Forecast(ForecastState.NO_PLAN, bool(working_days), status_date, progress=progress)
    axis = trajectory.axis
    pos = axis.pos
    x0 = trajectory.xs[0]
    target = due if due is not None else trajectory.finish
    at = pos(status_date) - x0
    notes = [n for n in trajectory.notes if n == ENDS_BELOW_100]
    base = Forecast(
        ForecastState.FORECAST,
        working_days=axis.working,
        status_date=status_date,
        progress=progress,
        planned=trajectory.planned_at(status_date),
        at=at,
        planned_duration=trajectory.duration,
        target=target,
        notes=tuple(notes),
    )
    if progress is not None and progress >= 100:
        finish = finished_on or status_date
        return replace(base, state=ForecastState.FINISHED, finish=finish, slip=pos(finish) - pos(target))
    if progress is None or progress <= 0:
        return replace(base, state=ForecastState.NOT_STARTED)
    if at <= 0:
        return replace(base, state=ForecastState.TOO_EARLY)
    es = trajectory.earned_x(progress) - x0
    if progress > trajectory.final:
        notes.append(BEYOND_PLAN)
    if es <= 0:
        return replace(base, state=ForecastState.NO_PACE, es=es, notes=tuple(notes))
    spi = es / at
    span = trajectory.duration / spi
    horizon = HORIZON_FACTOR * max(trajectory.duration, at)
    if span > horizon:  # a pace near zero: say "very late", not a date decades away
        span = horizon
        notes.append(CAPPED)
    finish = axis.date_at(x0 + floor(span + 0.5))
    earliest = as_of if as_of is not None and as_of > status_date else status_date
    if finish < earliest:
        finish = earliest
        notes.append(CLAMPED_TO_STATUS_DATE)
    return replace(base, es=es, spi=spi, finish=finish, slip=pos(finish) - pos(target), notes=tuple(notes))


def verdict(forecast: Forecast, on_time_days: int = 0) -> str | None:
    """ "late", "early" or "on_time" against the target, allowing `on_time_days`; None when there is no finish."""
    if forecast.slip is None:
        return None
    if forecast.slip > on_time_days:
        return "late"
    if forecast.slip < -on_time_days:
        return "early"
    return "on_time"


def forecast_sentence(forecast: Forecast, lang: str = "zh-hans", *, on_time_days: int = 0) -> str:
    """One plain sentence: "按当前进度,预计比计划晚约23个工作日完成" / "at the current pace this finishes about 23 working days late"."""
    state = forecast.state
    v = verdict(forecast, on_time_days)
    if v is None:
        code = state.value if state != ForecastState.FORECAST else "no_pace"
    else:
        code = ("finished_" if state == ForecastState.FINISHED else "forecast_") + v
    days = abs(forecast.slip) if forecast.slip is not None else None
    return render(code, lang, {"days": days, "working": forecast.working_days})
