"""The score ledger as a pure function of the facts and the scheme (no database).

`compute_ledger(facts, scheme)` returns one `Entry` per point added or deducted. Every entry has a `key`
that names the fact it comes from, so the stored ledger can be brought to match by a diff (`ledger_db`).
Caps are applied in date order: entries up to the cap count in full, the one that reaches it counts in part,
later ones count 0 and say so (`capped`), so a unit sees every fact and why it no longer costs anything.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from tongtui.assessment.rules_data import BONUSES, DEDUCTIONS, SHARED, RuleKind, SchemeData, sign

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class TaskFact:
    id: int
    code: str
    title: str
    lead_unit_id: int | None
    co_unit_ids: tuple[int, ...]
    weight: Decimal
    start: datetime.date


@dataclass(frozen=True)
class Event:
    """One fact that may cost or earn points: a late or returned report, an overdue milestone, an order not
    passed, a spot check not confirmed, an admonition, or an entry the office made by hand."""

    kind: str
    key: str  # unique per plan and kind, e.g. "r17" for report 17
    on: datetime.date
    task_id: int | None  # the task it concerns (SHARED kinds reach its co-units)
    unit_id: int | None  # the unit it names; None: the task's lead unit
    source: tuple[str, int] | None  # ("app_label.model", pk)
    label: str  # what it is, as data: the report's period, the milestone's title, the office's reason
    quantity: Decimal = Decimal(1)  # e.g. working days late
    points: Decimal | None = None  # manual entries may carry their own size (adjustments always do)


@dataclass(frozen=True)
class Facts:
    as_of: datetime.date
    tasks: dict[int, TaskFact]
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Entry:
    unit_id: int
    task_id: int | None
    kind: str
    key: str
    on: datetime.date
    points: Decimal  # signed, after caps
    nominal: Decimal  # signed, before caps
    quantity: Decimal
    label: str
    source: tuple[str, int] | None

    @property
    def capped(self) -> bool:
        return self.points != self.nominal


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def compute_ledger(facts: Facts, scheme: SchemeData) -> list[Entry]:
    raw: list[Entry] = []
    task_rule = scheme.rule(RuleKind.TASK)
    for t in sorted(facts.tasks.values(), key=lambda t: t.id):
        if task_rule is None:
            break
        if t.start > facts.as_of:
            continue
        for unit_id, role_factor in _units(t, scheme, RuleKind.TASK):
            pts = q(task_rule.points * t.weight * role_factor)
            if pts:
                raw.append(Entry(unit_id, t.id, RuleKind.TASK, f"t{t.id}", t.start, pts, pts, t.weight,
                                 f"{t.code} {t.title}".strip(), ("plans.task", t.id)))  # fmt: skip
    for ev in facts.events:
        if ev.on > facts.as_of:
            continue
        raw.extend(_event_entries(ev, facts, scheme))
    return _apply_caps(raw, scheme)


def _units(task: TaskFact, scheme: SchemeData, kind: str) -> list[tuple[int, Decimal]]:
    out: list[tuple[int, Decimal]] = []
    if task.lead_unit_id is not None:
        out.append((task.lead_unit_id, Decimal(1)))
    factor = scheme.factor(kind)
    if kind in SHARED and factor > 0:
        out.extend((u, factor) for u in sorted(set(task.co_unit_ids) - {task.lead_unit_id}))
    return out


def _event_entries(ev: Event, facts: Facts, scheme: SchemeData) -> list[Entry]:
    task = facts.tasks.get(ev.task_id) if ev.task_id is not None else None
    if ev.kind == RuleKind.ADJUSTMENT:
        if ev.unit_id is None or ev.points is None or not ev.points:
            return []
        pts = q(ev.points)
        return [
            Entry(ev.unit_id, ev.task_id, ev.kind, ev.key, ev.on, pts, pts, ev.quantity, ev.label, ev.source)
        ]
    rule = scheme.rule(ev.kind)
    if rule is None:
        return []
    size = ev.points if (ev.points is not None and ev.kind in BONUSES) else rule.points * ev.quantity
    size = abs(size)
    if ev.unit_id is not None:
        targets = [(ev.unit_id, Decimal(1))]
    elif task is not None:
        targets = _units(task, scheme, ev.kind)
    else:
        return []
    out = []
    for unit_id, factor in targets:
        pts = q(sign(ev.kind) * size * factor)
        if pts:
            out.append(
                Entry(unit_id, ev.task_id, ev.kind, ev.key, ev.on, pts, pts, ev.quantity, ev.label, ev.source)
            )
    return out


def _apply_caps(entries: list[Entry], scheme: SchemeData) -> list[Entry]:
    """Per rule, then per unit for all deductions and for all bonuses together, in date order."""
    order = sorted(entries, key=lambda e: (e.unit_id, e.on, e.kind, e.key))
    used: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    out: list[Entry] = []
    for e in order:
        rule = scheme.rules.get(e.kind)
        if rule is not None and rule.cap is not None and e.kind != RuleKind.TASK:
            e = _clip(e, rule.cap, used, (e.unit_id, e.kind))
        if e.kind in DEDUCTIONS and scheme.unit_deduction_cap is not None:
            e = _clip(e, scheme.unit_deduction_cap, used, (e.unit_id, "-"))
        if e.kind in BONUSES and scheme.unit_bonus_cap is not None:
            e = _clip(e, scheme.unit_bonus_cap, used, (e.unit_id, "+"))
        out.append(e)
    return out


def _clip(e: Entry, cap: Decimal, used: dict[tuple[int, str], Decimal], slot: tuple[int, str]) -> Entry:
    left = max(ZERO, cap - used[slot])
    size = min(abs(e.points), left)
    used[slot] += size
    points = size if e.points >= 0 else -size
    return e if points == e.points else replace(e, points=q(points) + ZERO)


def totals(entries: list[Entry]) -> dict[int, Decimal]:
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for e in entries:
        out[e.unit_id] += e.points
    return dict(out)
