"""Write the stored score ledger to match what `scoring.compute_ledger` says, by difference.

Rows are matched on (unit, kind, key): new facts are inserted, changed ones updated, vanished ones deleted,
and an unchanged ledger is not written at all, so recomputing is idempotent and cheap.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from tongtui.assessment.facts_db import load_facts
from tongtui.assessment.models import Scheme, ScoreEntry, YearFreeze
from tongtui.assessment.rules_data import DEFAULT, KIND_SEQUENCES, NOT_RANKED_KINDS, SchemeData
from tongtui.assessment.scoring import Entry, compute_ledger, totals
from tongtui.orgs.models import Unit, UnitGroup
from tongtui.plans.models import Plan

FIELDS = ["task_id", "on", "points", "nominal", "quantity", "label", "source_type_id", "source_id"]


def scheme_of(plan: Plan) -> SchemeData:
    """The plan's scheme as data, or the DEFAULT when the office has configured none."""
    scheme = Scheme.objects.filter(plan=plan).prefetch_related("rules", "groups").first()
    return scheme.data() if scheme is not None else DEFAULT


def groups_of(scheme: SchemeData) -> list[tuple[str, list[int]]]:
    """The sequences ranked separately, each with its units in display order. A unit in two groups counts in
    the first; without groups, towns and subdistricts go apart from departments (and the rest)."""
    units = list(Unit.objects.filter(is_active=True).exclude(kind__in=NOT_RANKED_KINDS)
                 .order_by("order", "name").values_list("pk", "kind"))  # fmt: skip
    if scheme.groups:
        members: dict[int, set[int]] = defaultdict(set)
        through = UnitGroup.units.through
        for gid, uid in through.objects.filter(unitgroup_id__in=[g for g, _n in scheme.groups]).values_list(
            "unitgroup_id", "unit_id"
        ):
            members[gid].add(uid)
        taken: set[int] = set()
        out = []
        for gid, name in scheme.groups:
            mine = [u for u, _k in units if u in members[gid] and u not in taken]
            taken.update(mine)
            out.append((name, mine))
        return out
    seqs: dict[str, list[int]] = {"towns": [], "departments": [], "others": []}
    for u, kind in units:
        seqs[KIND_SEQUENCES.get(kind, "others")].append(u)
    return [(name, us) for name, us in seqs.items() if us]


@dataclass(frozen=True)
class Written:
    created: int
    updated: int
    deleted: int


def _values(e: Entry, types: dict[str, int]) -> tuple[Any, ...]:
    return (e.task_id, e.on, e.points, e.nominal, e.quantity, e.label[:300],
            types[e.source[0]] if e.source else None, e.source[1] if e.source else None)  # fmt: skip


def _types(entries: Iterable[Entry]) -> dict[str, int]:
    labels = {e.source[0] for e in entries if e.source}
    out = {}
    for label in labels:
        app, model = label.split(".")
        out[label] = ContentType.objects.get_by_natural_key(app, model).pk
    return out


def compute(plan: Plan, as_of: datetime.date | None = None, units: Iterable[int] | None = None,
            scheme: SchemeData | None = None) -> list[Entry]:  # fmt: skip
    as_of = as_of or timezone.localdate()
    unit_set = None if units is None else set(units)
    entries = compute_ledger(load_facts(plan, as_of, unit_set), scheme or scheme_of(plan))
    return entries if unit_set is None else [e for e in entries if e.unit_id in unit_set]


def is_frozen(plan: Plan) -> bool:
    return YearFreeze.objects.filter(plan_id=plan.pk).exists()


@transaction.atomic
def recompute(plan: Plan, units: Iterable[int] | None = None, as_of: datetime.date | None = None) -> Written:
    """Bring the stored ledger of the plan (or of these units) to what the facts and the scheme say today.
    A plan whose year scores are frozen (YearFreeze) is never rewritten: nothing is computed or written."""
    if is_frozen(plan):
        return Written(0, 0, 0)
    unit_set = None if units is None else set(units)
    entries = compute(plan, as_of, unit_set)
    types = _types(entries)
    want = {(e.unit_id, e.kind, e.key): (e, _values(e, types)) for e in entries}
    stored = ScoreEntry.objects.filter(plan=plan)
    if unit_set is not None:
        stored = stored.filter(unit_id__in=unit_set)
    have = {
        (r[0], r[1], r[2]): (r[3], tuple(r[4:]))
        for r in stored.values_list("unit_id", "kind", "key", "pk", *FIELDS)
    }
    create, update, delete = [], [], []
    for k, (e, values) in want.items():
        old = have.get(k)
        if old is None:
            create.append(ScoreEntry(plan=plan, unit_id=e.unit_id, kind=e.kind, key=e.key,
                                     **dict(zip(FIELDS, values, strict=True))))  # fmt: skip
        elif _differs(old[1], values):
            row = ScoreEntry(pk=old[0], plan=plan, unit_id=e.unit_id, kind=e.kind, key=e.key,
                             **dict(zip(FIELDS, values, strict=True)))  # fmt: skip
            update.append(row)
    delete = [pk for k, (pk, _v) in have.items() if k not in want]
    ScoreEntry.objects.bulk_create(create, batch_size=2000)
    ScoreEntry.objects.bulk_update(update, FIELDS, batch_size=2000)
    for i in range(0, len(delete), 2000):
        ScoreEntry.objects.filter(pk__in=delete[i : i + 2000]).delete()
    return Written(len(create), len(update), len(delete))


def _differs(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    return any(_norm(a) != _norm(b) for a, b in zip(old, new, strict=True))


def _norm(v: Any) -> Any:
    return Decimal(v) if isinstance(v, Decimal | int) and not isinstance(v, bool) else v


@dataclass(frozen=True)
class UnitDiff:
    unit_id: int
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


def preview(plan: Plan, proposed: SchemeData) -> list[UnitDiff]:
    """What each unit's year score would become under the proposed scheme, against the stored ledger; only
    the units whose score changes, biggest change first."""
    before: dict[int, Decimal] = defaultdict(Decimal)
    for unit_id, points in ScoreEntry.objects.filter(plan=plan).values_list("unit_id", "points"):
        before[unit_id] += points
    after = totals(compute(plan, scheme=proposed))
    diffs = [
        UnitDiff(u, before.get(u, Decimal(0)), after.get(u, Decimal(0))) for u in set(before) | set(after)
    ]
    return sorted((d for d in diffs if d.change), key=lambda d: (-abs(d.change), d.unit_id))
