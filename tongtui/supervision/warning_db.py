"""What the early warning needs from the database besides the lights' facts, set-based.

- The text of each task's latest filed report (what was done and the problems), for its risk words: one query
  for a whole batch, by the ids the lights' loader already has.
- Each lead unit's record of claims (`signals.warning.unit_records`) over all the tasks it leads, as known on
  the day: the same loader (`facts_db.load_facts`) run over those tasks, in chunks, once per batch.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from tongtui.core.workdays import WorkCalendar
from tongtui.dispatch.models import ProgressReport
from tongtui.plans.models import Task
from tongtui.supervision.facts_db import load_facts
from tongtui.supervision.signals.days import TimeAxis
from tongtui.supervision.signals.facts import ReportFact, TaskFacts
from tongtui.supervision.signals.integrity import progress_series
from tongtui.supervision.signals.warning import UnitRecord, WarningRules, unit_records

CHUNK = 2000


def _latest(facts: TaskFacts, as_of: datetime.date) -> ReportFact | None:
    series = progress_series(facts.reports, as_of)
    return series[-1] if series else None


def with_latest_texts(facts: Sequence[TaskFacts], as_of: datetime.date) -> list[TaskFacts]:
    """The facts with the text (done and problems) of each task's latest report filled in, in one query."""
    latest = {f.task_id: r for f in facts if (r := _latest(f, as_of)) is not None and r.report_id is not None}
    if not latest:
        return list(facts)
    ids = [r.report_id for r in latest.values()]
    rows = ProgressReport.objects.filter(pk__in=ids).values_list("pk", "done", "problems")
    texts = {pk: "\n".join(t for t in (done, problems) if t) for pk, done, problems in rows}
    out = []
    for f in facts:
        r = latest.get(f.task_id)
        text = texts.get(r.report_id) if r is not None and r.report_id is not None else None
        if r is None or not text:
            out.append(f)
            continue
        reports = tuple(replace(x, text=text) if x is r else x for x in f.reports)
        out.append(replace(f, reports=reports))
    return out


def without_recorded(facts: TaskFacts) -> TaskFacts:
    """The facts less the progress recorded outside reports (`load_facts(include_recorded=False)`): that reading
    is the one without a report behind it."""
    if all(r.report_id is not None for r in facts.reports):
        return facts
    return replace(facts, reports=tuple(r for r in facts.reports if r.report_id is not None))


def load_unit_records(
    unit_ids: Iterable[int],
    as_of: datetime.date,
    *,
    axis: TimeAxis,
    cal: WorkCalendar | None = None,
    rules: WarningRules | None = None,
    known: Mapping[int, TaskFacts] | None = None,
) -> dict[int, UnitRecord]:
    """The record of each of these units over every task it leads, as known at the end of `as_of`. `known`: facts
    already loaded as of the same day (by `load_facts`, recorded progress included), not loaded again — a
    plan's lights as of a past day (a bulletin) would otherwise read every task's facts twice."""
    units = sorted(set(unit_ids))
    if not units:
        return {}
    ids = list(Task.objects.filter(lead_unit_id__in=units).order_by("pk").values_list("pk", flat=True))
    known = known or {}

    def chunks() -> Iterable[TaskFacts]:
        for i in range(0, len(ids), CHUNK):
            part = ids[i : i + CHUNK]
            missing = [tid for tid in part if tid not in known]
            read = {f.task_id: f for f in load_facts(missing, as_of, cal=cal, include_recorded=False).facts}
            for tid in part:  # in the tasks' order, as loaded
                if tid in known:
                    yield without_recorded(known[tid])
                elif tid in read:
                    yield read[tid]

    if rules is None:
        return unit_records(chunks(), as_of, axis=axis)
    return unit_records(chunks(), as_of, rules, axis=axis)
