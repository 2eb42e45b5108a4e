"""A task's light, forecast and trajectories as known on a day: what the task page's chart and the API show.

Planned: the trajectory from the milestones. Reported: the progress of each filed report known by then.
Verified: what the office confirmed, i.e. the progress of reports it accepted (on the day it accepted
them) and the planned progress of milestones marked done.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.plans.models import Task
from tongtui.supervision.facts_db import end_of_day, local_day, today
from tongtui.supervision.models import LightHistory, TaskLight
from tongtui.supervision.recompute import Setups, evaluate, reason_json, reason_text
from tongtui.supervision.signals.forecast import forecast_sentence
from tongtui.supervision.signals.lights import LightResult
from tongtui.supervision.signals.trajectory import build_trajectory

Point = tuple[str, float]


@dataclass
class TaskChart:
    task_id: int
    as_of: datetime.date
    light: str
    reasons: list[dict[str, Any]]
    sentence: str
    forecast: dict[str, Any]
    planned: list[Point] = field(default_factory=list)
    reported: list[Point] = field(default_factory=list)
    verified: list[Point] = field(default_factory=list)
    history: list[tuple[str, str]] = field(default_factory=list)
    working_days: bool = True
    progress: dict[str, Any] = field(
        default_factory=dict
    )  # the task's progress figures, each with its source

    def as_dict(self) -> dict[str, Any]:
        return {
            "task": self.task_id,
            "as_of": self.as_of.isoformat(),
            "light": self.light,
            "reasons": self.reasons,
            "sentence": self.sentence,
            "forecast": self.forecast,
            "planned": [{"date": d, "progress": p} for d, p in self.planned],
            "reported": [{"date": d, "progress": p} for d, p in self.reported],
            "verified": [{"date": d, "progress": p} for d, p in self.verified],
            "history": [{"date": d, "light": v} for d, v in self.history],
            "working_days": self.working_days,
            "progress": self.progress,
        }


def _forecast(result: LightResult) -> dict[str, Any]:
    f = result.forecast
    if f is None:
        return {"state": None, "finish": None, "slip": None, "spi": None, "planned_progress": result.planned}
    return {
        "state": f.state.value,
        "finish": f.finish.isoformat() if f.finish else None,
        "target": f.target.isoformat() if f.target else None,
        "slip": f.slip,
        "spi": None if f.spi is None else round(f.spi, 3),
        "planned_progress": result.planned,
        "progress": result.progress,
    }


def _verified(task: Task, as_of: datetime.date, milestones: list[tuple[datetime.date, float]]) -> list[Point]:
    accepted = ProgressReport.objects.filter(
        task=task, status=ReportStatus.ACCEPTED, reviewed_at__lt=end_of_day(as_of), progress__isnull=False
    ).values_list("reviewed_at", "progress")
    points: dict[datetime.date, float] = {}
    for reviewed_at, progress in accepted:
        day = local_day(reviewed_at)
        if day is not None and progress is not None:
            points[day] = max(points.get(day, 0.0), float(progress))
    for day, planned in milestones:
        points[day] = max(points.get(day, 0.0), planned)
    best = 0.0
    out = []
    for day in sorted(points):  # verified progress never goes back: it is the best confirmed so far
        best = max(best, points[day])
        out.append((day.isoformat(), best))
    return out


def _progress(
    task: Task, result: LightResult, milestones: list[tuple[datetime.date, float]]
) -> dict[str, Any]:
    """The task's progress figures with where each comes from: what the unit reported last (the figure the light
    judges), what the office accepted (the task's progress in lists and the ledger), what milestones verified done
    reach, and where the plan stands."""
    verified = max((p for _d, p in milestones if p is not None), default=None)
    f = result.forecast
    return {
        "reported": result.progress,
        "reported_on": f.status_date.isoformat() if f is not None and result.progress is not None else None,
        "accepted": float(task.progress) if task.progress_on is not None else None,
        "accepted_on": task.progress_on.isoformat() if task.progress_on else None,
        "verified": None if verified is None else float(verified),
        "planned": result.planned,
    }


def task_chart(task: Task, as_of: datetime.date | None = None) -> TaskChart:
    """Everything the chart needs, in a handful of queries.

    Without `as_of` the light and its reasons are the stored ones (`TaskLight`), exactly as the desk, the ledger
    and the meeting agenda show them; with `as_of`, or before any is stored, they are computed for that day."""
    stored = TaskLight.objects.filter(task=task).first() if as_of is None else None
    as_of = as_of or today()
    setups = Setups()
    loaded, results = evaluate([task.pk], as_of, setups=setups)
    (facts,), (result,) = loaded.facts, results
    setup = setups[loaded.rows[task.pk].plan_id]
    lang = translation.get_language() or "zh-hans"
    reasons = []
    for item in stored.reasons if stored is not None else [reason_json(r) for r in result.reasons]:
        reasons.append({**item, "text": reason_text(item, lang)})
    traj = build_trajectory(
        facts.start, facts.due, facts.milestones, axis=setup.axis, default_start=facts.default_start
    )
    planned = [(d.isoformat(), y) for d, y in zip(traj.dates, traj.ys, strict=True)] if traj else []
    reported = [
        (r.period_end.isoformat(), r.progress)
        for r in sorted(facts.reports, key=lambda r: (r.period_end, r.known_on))
        if r.progress is not None
    ]
    done = [(m.done_on, m.planned_progress) for m in facts.milestones if m.done_on and m.planned_progress]
    history = [
        (d.isoformat(), light)
        for d, light in LightHistory.objects.filter(task=task, date__lte=as_of)
        .order_by("date")
        .values_list("date", "light")
    ]
    return TaskChart(
        task_id=task.pk,
        as_of=stored.as_of if stored is not None else as_of,
        light=stored.light if stored is not None else result.light.value,
        reasons=reasons,
        sentence=forecast_sentence(result.forecast, lang) if result.forecast else "",
        forecast=_forecast(result),
        planned=planned,
        reported=reported,
        verified=_verified(task, as_of, done),  # type: ignore[arg-type]
        history=history,
        working_days=setup.axis.working,
        progress=_progress(task, result, done),  # type: ignore[arg-type]
    )
