"""Recompute traffic lights in batches: load facts set-based, evaluate, upsert TaskLight and LightHistory.

Derived data only: any of it can be thrown away and rebuilt from plans and dispatch at any time.
"""

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from tongtui.core.workdays import WorkCalendar, calendar
from tongtui.plans.models import Plan, Task
from tongtui.supervision.facts_db import Loaded, load_facts, today
from tongtui.supervision.models import LightHistory, LightPolicy, TaskLight
from tongtui.supervision.signals.days import CALENDAR, TimeAxis, WorkdayAxis
from tongtui.supervision.signals.facts import TaskFacts
from tongtui.supervision.signals.lights import DEFAULT_RULES, LightResult, LightRules, Reason, evaluate_light
from tongtui.supervision.signals.texts import render
from tongtui.supervision.signals.warning import UnitRecord, due_soon
from tongtui.supervision.warning_db import load_unit_records, with_latest_texts

CHUNK = 2000


@dataclass(frozen=True)
class Setup:
    """How a plan's lights are computed: its rules and its time axis."""

    rules: LightRules
    axis: TimeAxis


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 2)
    return value


def reason_json(reason: Reason) -> dict[str, Any]:
    light = None if reason.light is None else reason.light.value
    return {"code": reason.code, "light": light, "figures": {k: _json(v) for k, v in reason.figures.items()}}


def reason_text(reason: dict[str, Any], lang: str = "zh-hans") -> str:
    """The sentence of a stored reason, in the reader's language."""
    return render(reason.get("code", ""), lang, reason.get("figures") or {})


class Setups:
    """Each plan's rules and axis, read once per batch; one working-day axis shared by all plans; the lead units'
    records for the early warning, loaded once per batch for the units that need one."""

    def __init__(self, cal: WorkCalendar | None = None) -> None:
        self.cal = cal or calendar()
        self._axis: WorkdayAxis | None = None
        self._plans: dict[int, Setup] = {}
        self._records: dict[tuple[datetime.date, int], dict[int, UnitRecord]] = {}

    def records(
        self, unit_ids: Iterable[int], as_of: datetime.date, axis: TimeAxis, facts: Mapping[int, TaskFacts]
    ) -> dict[int, UnitRecord]:
        """The records of these units (and of those asked for before in this batch) as known on `as_of`; `facts`:
        the batch's own tasks' facts as of that day, not loaded again."""
        known = self._records.setdefault((as_of, id(axis)), {})
        missing = {u for u in unit_ids if u not in known}
        if missing:
            loaded = load_unit_records(missing, as_of, axis=axis, cal=self.cal, known=facts)
            known.update({u: loaded.get(u, UnitRecord()) for u in missing})
        return known

    def axis(self, year: int) -> WorkdayAxis:
        if self._axis is None:
            self._axis = WorkdayAxis.for_years(self.cal.is_workday, year - 1, year + 1)
        return self._axis

    def load(self, plan_ids: Iterable[int], years: dict[int, int]) -> None:
        missing = {p for p in plan_ids if p not in self._plans}
        if not missing:
            return
        policies = {p.plan_id: p for p in LightPolicy.objects.filter(plan_id__in=missing)}
        for plan_id in missing:
            policy = policies.get(plan_id)
            rules = policy.rules() if policy else DEFAULT_RULES
            working = policy.working_days if policy else True
            self._plans[plan_id] = Setup(rules, self.axis(years[plan_id]) if working else CALENDAR)

    def __getitem__(self, plan_id: int) -> Setup:
        return self._plans[plan_id]


def evaluate(
    task_ids: Iterable[int], as_of: datetime.date | None = None, *, setups: Setups | None = None
) -> tuple[Loaded, list[LightResult]]:
    """The lights of these tasks as known at the end of `as_of`, without writing anything."""
    setups = setups or Setups()
    loaded = load_facts(task_ids, as_of, cal=setups.cal)
    as_of = as_of or today()
    setups.load({r.plan_id for r in loaded.rows.values()}, {r.plan_id: r.year for r in loaded.rows.values()})
    plan_of = {tid: row.plan_id for tid, row in loaded.rows.items()}
    warned = _warned(loaded.facts, as_of, setups, plan_of)
    facts_list = with_latest_texts([f for f in loaded.facts if f.task_id in warned], as_of)
    with_texts = {f.task_id: f for f in facts_list}
    units: dict[int, set[int]] = {}
    for f in facts_list:
        if f.unit_id is not None:
            units.setdefault(id(setups[plan_of[f.task_id]].axis), set()).add(f.unit_id)
    results = []
    records: dict[int, dict[int, UnitRecord]] = {}  # by axis: asked once per batch, not once per task
    by_task = {f.task_id: f for f in loaded.facts}  # as loaded, before the texts were added
    for facts in loaded.facts:
        setup = setups[plan_of[facts.task_id]]
        facts = with_texts.get(facts.task_id, facts)
        record = None
        if facts.task_id in warned and facts.unit_id is not None:
            key = id(setup.axis)
            if key not in records:
                records[key] = setups.records(units[key], as_of, setup.axis, by_task)
            record = records[key].get(facts.unit_id)
        results.append(evaluate_light(facts, as_of, setup.rules, axis=setup.axis, record=record))
    return loaded, results


def _warned(
    facts: Iterable[TaskFacts], as_of: datetime.date, setups: Setups, plan_of: dict[int, int]
) -> set[int]:
    """The tasks with a milestone the early warning will judge: only they need texts and their unit's record."""
    out = set()
    for f in facts:
        setup = setups[plan_of[f.task_id]]
        rules = setup.rules
        horizon = max(rules.milestone_soon_days, rules.warning.horizon_days)
        if rules.early_warning and due_soon(f, as_of, horizon, axis=setup.axis):
            out.add(f.task_id)
    return out


def task_light(result: LightResult, as_of: datetime.date, now: datetime.datetime) -> TaskLight:
    forecast = result.forecast
    return TaskLight(
        task_id=result.task_id,
        light=result.light.value,
        reasons=[reason_json(r) for r in result.reasons],
        forecast_finish=forecast.finish if forecast else None,
        forecast_slip=forecast.slip if forecast else None,
        spi=None if forecast is None or forecast.spi is None else round(forecast.spi, 4),
        planned_progress=result.planned,
        actual_progress=result.progress,
        as_of=as_of,
        computed_at=now,
    )


LIGHT_FIELDS = [
    "light",
    "reasons",
    "forecast_finish",
    "forecast_slip",
    "spi",
    "planned_progress",
    "actual_progress",
    "as_of",
    "computed_at",
]


def store(results: Sequence[LightResult], as_of: datetime.date) -> None:
    """Upsert the results: the current light when `as_of` is today, and the day's history row in any case."""
    if not results:
        return
    now = timezone.now()
    with transaction.atomic():
        if as_of >= today():
            TaskLight.objects.bulk_create(
                [task_light(r, as_of, now) for r in results],
                update_conflicts=True,
                unique_fields=["task"],
                update_fields=LIGHT_FIELDS,
                batch_size=1000,
            )
        LightHistory.objects.bulk_create(
            [LightHistory(task_id=r.task_id, date=as_of, light=r.light.value) for r in results],
            update_conflicts=True,
            unique_fields=["task", "date"],
            update_fields=["light"],
            batch_size=2000,
        )


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def iter_results(
    task_ids: Iterable[int], as_of: datetime.date | None = None, *, chunk: int = CHUNK
) -> Iterator[LightResult]:
    """The lights of these tasks chunk by chunk, without writing anything (for exports and audits)."""
    setups = Setups()
    for part in _chunks(sorted(set(task_ids)), chunk):
        yield from evaluate(part, as_of, setups=setups)[1]


class _Writer:
    """Stores one chunk's lights in a thread of its own while the next chunk is being computed.

    Used on PostgreSQL outside a transaction only: the thread has its own connection, which would neither
    see rows of an open transaction nor share SQLite's single writer.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lights-store")
        self._pending: Future[None] | None = None

    def _store(self, results: Sequence[LightResult], as_of: datetime.date) -> None:
        try:
            store(results, as_of)
        finally:
            db_connection.close()

    def submit(self, results: Sequence[LightResult], as_of: datetime.date) -> None:
        self.wait()
        self._pending = self._pool.submit(self._store, results, as_of)

    def wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown()


def _may_overlap(n_chunks: int) -> bool:
    return n_chunks > 1 and db_connection.vendor == "postgresql" and not db_connection.in_atomic_block


def recompute_tasks(
    task_ids: Iterable[int], as_of: datetime.date | None = None, *, chunk: int = CHUNK, save: bool = True
) -> dict[str, int]:
    """Evaluate (and store) the lights of these tasks in chunks; returns how many tasks got each light."""
    as_of = as_of or today()
    ids = sorted(set(task_ids))
    setups = Setups()
    counts: dict[str, int] = {}
    writer = _Writer() if save and _may_overlap(-(-len(ids) // chunk)) else None
    try:
        for part in _chunks(ids, chunk):
            _loaded, results = evaluate(part, as_of, setups=setups)
            if writer is not None:
                writer.submit(results, as_of)
            elif save:
                store(results, as_of)
            for r in results:
                counts[r.light.value] = counts.get(r.light.value, 0) + 1
    finally:
        if writer is not None:
            writer.close()
    return counts


def recompute_plan(plan: Plan | int, as_of: datetime.date | None = None, **kwargs: Any) -> dict[str, int]:
    plan_id = plan.pk if isinstance(plan, Plan) else plan
    ids = list(Task.objects.filter(plan_id=plan_id).order_by("pk").values_list("pk", flat=True))
    return recompute_tasks(ids, as_of, **kwargs)


def recompute_all(as_of: datetime.date | None = None, **kwargs: Any) -> dict[str, int]:
    """Every task of every plan: the worker's daily job."""
    ids = list(Task.objects.order_by("pk").values_list("pk", flat=True))
    return recompute_tasks(ids, as_of, **kwargs)
