"""The one way a task's light is shown: the stored `TaskLight` (computed by `recompute` from `signals.lights`),
its reasons as sentences in the reader's language, and how severe it is.

The desk, the task page's light panel, the ledger and (through `dispatch.lights`) the meeting agenda and pack
all read lights here, so a task has the same light and the same reasons wherever it appears.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from tongtui.core.models import Stale
from tongtui.dispatch.lights import LightView
from tongtui.supervision import recompute
from tongtui.supervision.listeners import LIGHT
from tongtui.supervision.models import TaskLight
from tongtui.supervision.recompute import reason_text

LEVEL = {"red": 3, "yellow": 2, "green": 1, "blue": 0, "grey": 0}


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def severity(light: str, reasons: Iterable[Mapping[str, Any]]) -> tuple[float, ...]:
    """Larger is worse: the colour, then how many reasons give the light its colour, then the longest delay
    named (days late, or expected late), then the widest gap behind plan in points."""
    own = [r for r in reasons if r.get("light") == light]
    figures = [r.get("figures") or {} for r in own]
    days = max((_number(f.get("days")) for f in figures), default=0.0)
    behind = max((_number(f.get("behind")) for f in figures), default=0.0)
    return (float(LEVEL.get(light, 0)), float(len(own)), days, behind)


def reason_texts(reasons: Iterable[Mapping[str, Any]], lang: str = "zh-hans") -> tuple[str, ...]:
    """Every reason of a stored light as a sentence, worst first (as stored)."""
    return tuple(reason_text(dict(r), lang) for r in reasons)


def view_of(state: TaskLight, lang: str = "zh-hans") -> LightView:
    return LightView(
        light=state.light,
        reasons=reason_texts(state.reasons or [], lang),
        as_of=state.as_of,
        severity=severity(state.light, state.reasons or []),
        planned=state.planned_progress,
        progress=state.actual_progress,
    )


def stored_lights(task_ids: Sequence[int], lang: str = "zh-hans") -> dict[int, LightView]:
    """One query: the stored light of every task that has one. A light a filed report has marked stale and
    the worker has not yet recomputed (a few seconds) is computed here from the facts, nothing written, so no
    page shows the light from before the report."""
    fields = ("task_id", "light", "reasons", "as_of", "planned_progress", "actual_progress")
    marked = Stale.objects.filter(kind=LIGHT, key=OuterRef("task_id"))
    rows = TaskLight.objects.filter(task_id__in=list(task_ids)).only(*fields).annotate(stale=Exists(marked))
    out, behind = {}, []
    for row in rows:
        out[row.task_id] = view_of(row, lang)
        if row.stale:  # type: ignore[attr-defined]
            behind.append(row.task_id)
    if behind:
        day, now = timezone.localdate(), timezone.now()
        _loaded, results = recompute.evaluate(behind, day)
        out.update({r.task_id: view_of(recompute.task_light(r, day, now), lang) for r in results})
    return out


def lights_as_of(task_ids: Sequence[int], day: datetime.date, lang: str = "zh-hans") -> dict[int, LightView]:
    """The lights as they stood at the end of `day`: the stored ones when they were computed that day or
    before it, otherwise (or when none is stored) computed from the facts as known on `day`, nothing written —
    so a bulletin about June says June's lights and reasons, not today's."""
    ids = list(task_ids)
    stored = TaskLight.objects.filter(task_id__in=ids).aggregate(n=Count("pk"), later=Count("pk", filter=Q(as_of__gt=day)))
    if stored["n"] and not stored["later"]:
        # nothing computed after that day (a task never computed has no light here either): the stored lights,
        # unless one is stale and the day is past (computed live, it would be today's)
        if day >= timezone.localdate() or not Stale.objects.filter(kind=LIGHT, key__in=ids).exists():
            return stored_lights(ids, lang)
    # a past day: every light computed as of it, without first computing today's of the stale ones
    now = timezone.now()
    _loaded, results = recompute.evaluate(ids, day)
    return {r.task_id: view_of(recompute.task_light(r, day, now), lang) for r in results}


def most_severe_first(
    views: Iterable[tuple[Any, LightView]], code: Any = None
) -> list[tuple[Any, LightView]]:
    """Red before yellow, the most severe first; ties by `code(item)` when given."""
    items = list(views)
    if code is not None:
        items.sort(key=lambda pair: code(pair[0]))
    items.sort(key=lambda pair: pair[1].severity, reverse=True)
    return items
