"""The rankings and a unit's breakdown as pages, the command and the API show them: ledger rows loaded in
one query, handed to the pure ranking, with the units' names attached."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

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


def rankings(
    plan: Plan, period: Period, as_of: datetime.date | None = None, scheme: SchemeData | None = None
) -> tuple[list[GroupTable], dict[int, Unit]]:
    scheme = scheme or scheme_of(plan)
    groups = groups_of(scheme)
    tables = [GroupTable(group_label(n), rows) for n, rows in rank_groups(lines(plan, as_of), groups, period,
                                                                          scheme.level_margin)]  # fmt: skip
    units = Unit.objects.in_bulk([u for _n, us in groups for u in us])
    return tables, units


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
