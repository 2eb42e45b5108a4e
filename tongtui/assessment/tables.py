"""The rankings and a unit's breakdown as pages, the command and the API show them: ledger rows loaded in
one query, handed to the pure ranking, with the units' names attached."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from tongtui.assessment.ledger_db import groups_of, scheme_of
from tongtui.assessment.lists import RedBlack, red_and_black
from tongtui.assessment.models import ScoreEntry
from tongtui.assessment.ranking import LedgerLine, Period, Row, counts_in, rank_groups
from tongtui.assessment.rules_data import RuleKind, SchemeData
from tongtui.orgs.models import Unit
from tongtui.plans.models import Plan


@dataclass
class GroupTable:
    name: str
    rows: list[Row]


def group_label(name: str) -> str:
    from django.utils.translation import gettext as _

    return {
        "towns": _("Towns and subdistricts"),
        "departments": _("Departments"),
        "others": _("Other units"),
    }.get(name, name)


def lines(plan: Plan, as_of: datetime.date | None = None) -> list[LedgerLine]:
    rows = ScoreEntry.objects.filter(plan=plan)
    if as_of is not None:
        rows = rows.filter(on__lte=as_of)
    return [LedgerLine(u, k, on, p) for u, k, on, p in rows.values_list("unit_id", "kind", "on", "points")]


def summed_lines(plan: Plan, period: Period, as_of: datetime.date | None = None) -> list[LedgerLine]:
    """`ranking.summed(lines(plan, as_of), period)` with the sums done by the database: what ranking the period
    needs, in one grouped query (a province's ledger is 850,000 lines; this is a few per unit)."""
    prev = period.previous()
    task = Q(kind=RuleKind.TASK)
    parts: list[tuple[Q, datetime.date]] = [(~task & Q(on__gte=period.start), period.end)]
    if prev is None:
        parts.append((task, period.end))
    else:
        parts += [(task & Q(on__lte=prev.end), prev.end), (task & Q(on__gt=prev.end), period.end),
                  (~task & Q(on__gte=prev.start, on__lte=prev.end), prev.end)]  # fmt: skip
    rows = ScoreEntry.objects.filter(plan=plan, on__lte=period.end).filter(task | Q(on__gte=(prev or period).start))
    if as_of is not None:
        rows = rows.filter(on__lte=as_of)
    sums: dict[str, Any] = {}
    for i, (where, _on) in enumerate(parts):
        sums[f"p{i}"], sums[f"n{i}"] = Sum("points", filter=where), Count("pk", filter=where)
    cent = Decimal(1).scaleb(-ScoreEntry._meta.get_field("points").decimal_places)  # type: ignore[union-attr]
    out = []
    for row in rows.order_by().values("unit_id", "kind").annotate(**sums):
        # SQLite sums decimals as floats: back to the points' cents (exact on PostgreSQL already)
        out += [LedgerLine(row["unit_id"], row["kind"], on, Decimal(row[f"p{i}"]).quantize(cent))
                for i, (_where, on) in enumerate(parts) if row[f"n{i}"]]  # fmt: skip
    return out


def ranked(
    plan: Plan, period: Period, as_of: datetime.date | None = None, scheme: SchemeData | None = None
) -> list[GroupTable]:
    """Each group's table for the period from the stored ledger, best first."""
    scheme = scheme or scheme_of(plan)
    ledger = summed_lines(plan, period, as_of)
    return [GroupTable(group_label(n), rows)
            for n, rows in rank_groups(ledger, groups_of(scheme), period, scheme.level_margin)]  # fmt: skip


def rankings(
    plan: Plan, period: Period, as_of: datetime.date | None = None, scheme: SchemeData | None = None
) -> tuple[list[GroupTable], dict[int, Unit]]:
    """`ranked`, with every ranked unit by id."""
    tables = ranked(plan, period, as_of, scheme)
    return tables, Unit.objects.in_bulk([r.unit_id for t in tables for r in t.rows])


def lists_of(tables: list[GroupTable], scheme: SchemeData, period: Period) -> list[RedBlack]:
    """The red and black lists of each group table, by the scheme's list rule."""
    return [red_and_black(t.rows, scheme.lists, scheme.level_margin, group=t.name, period=period.key)
            for t in tables]  # fmt: skip


def red_black_lists(
    plan: Plan, period: Period, as_of: datetime.date | None = None
) -> tuple[list[RedBlack], dict[int, Unit]]:
    """Each group's red and black lists for the period from the stored ledger, with the units by id (for the
    bulletin: whether unit heads may see them is access.lists_published)."""
    scheme = scheme_of(plan)
    groups, units = rankings(plan, period, as_of, scheme=scheme)
    return lists_of(groups, scheme, period), units


def entries_of(plan: Plan, unit_id: int, period: Period) -> list[ScoreEntry]:
    rows = ScoreEntry.objects.filter(plan=plan, unit_id=unit_id, on__lte=period.end).select_related("task")
    return [
        e for e in rows.order_by("on", "kind", "key")
        if counts_in(LedgerLine(e.unit_id, e.kind, e.on, e.points), period)
    ]  # fmt: skip


def by_kind(entries: list[ScoreEntry]) -> list[tuple[str, str, Decimal, int]]:
    """(kind, label, points, number of entries) per rule, in the scheme's order."""
    sums: dict[str, tuple[Decimal, int]] = {}
    for e in entries:
        p, n = sums.get(e.kind, (Decimal(0), 0))
        sums[e.kind] = (p + e.points, n + 1)
    return [(k.value, str(k.label), *sums[k]) for k in RuleKind if k in sums]


def today() -> datetime.date:
    return timezone.localdate()
