"""What the year-end review (年终评估) shows, loaded set-based: counts by outcome, the tasks with their outcomes,
the year results per group — the frozen rows once frozen, else today's ranking from the ledger."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from tongtui.assessment import tables
from tongtui.assessment.ledger_db import scheme_of
from tongtui.assessment.models import FrozenRow, RankingPublication, YearFreeze
from tongtui.assessment.ranking import parse_period
from tongtui.plans.models import Outcome, Plan, Task, TaskOutcome


@dataclass
class Summary:
    plan: Plan
    total: int
    by_outcome: dict[str, int]  # closed, carried_over, cancelled
    undecided: int
    undecided_by_status: dict[str, int]
    waiting: int  # carried over, not copied into the next year yet
    next_plan: Plan | None
    freeze: YearFreeze | None

    @property
    def decided(self) -> int:
        return sum(self.by_outcome.values())

    @property
    def may_freeze(self) -> bool:
        return self.freeze is None and self.undecided == 0 and self.total > 0


def summary(plan: Plan) -> Summary:
    by_status = dict(
        Task.objects.filter(plan=plan, outcome__isnull=True).order_by().values_list("status")
        .annotate(n=Count("pk")).values_list("status", "n")
    )  # fmt: skip
    by_outcome = {o: 0 for o in Outcome.values}
    by_outcome.update(
        TaskOutcome.objects.filter(plan=plan).order_by().values_list("outcome")
        .annotate(n=Count("pk")).values_list("outcome", "n")
    )  # fmt: skip
    waiting = TaskOutcome.objects.filter(
        plan=plan, outcome=Outcome.CARRIED_OVER, carried_to__isnull=True
    ).count()
    undecided = sum(by_status.values())
    return Summary(
        plan=plan, total=undecided + sum(by_outcome.values()), by_outcome=by_outcome, undecided=undecided,
        undecided_by_status=by_status, waiting=waiting, next_plan=Plan.objects.filter(year=plan.year + 1).first(),
        freeze=YearFreeze.objects.filter(plan=plan).select_related("frozen_by").first(),
    )  # fmt: skip


def outcome_rows(plan: Plan) -> QuerySet[TaskOutcome]:
    return (
        TaskOutcome.objects.filter(plan=plan)
        .select_related(
            "task", "task__category", "task__lead_unit", "carried_to", "carried_to__plan", "decided_by"
        )
        .order_by("task__code_sort", "task__code")
    )


@dataclass
class ResultRow:
    unit_id: int
    unit_name: str
    score: Decimal
    rank: int
    level: bool = False
    place: str = ""  # red, black or ""
    by_kind: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class ResultGroup:
    name: str
    rows: list[ResultRow]


def results(plan: Plan) -> tuple[list[ResultGroup], bool]:
    """The year ranking per group and whether it is the frozen one."""
    frozen = list(FrozenRow.objects.filter(plan=plan).order_by("group_order", "rank", "pk"))
    if frozen or YearFreeze.objects.filter(plan=plan).exists():
        groups: dict[tuple[int, str], list[ResultRow]] = {}
        for r in frozen:
            groups.setdefault((r.group_order, r.group), []).append(ResultRow(
                r.unit_id, r.unit_name, r.score, r.rank, r.level, r.place,
                {k: Decimal(v) for k, v in r.by_kind.items()}))  # fmt: skip
        return [ResultGroup(tables.group_label(name), rows) for (_o, name), rows in groups.items()], True
    scheme = scheme_of(plan)
    period = parse_period(str(plan.year))
    tables_, units = tables.rankings(plan, period, scheme=scheme)
    places: dict[int, str] = {}
    for rb in tables.lists_of(tables_, scheme, period):
        places.update({p.unit_id: "red" for p in rb.red})
        places.update({p.unit_id: "black" for p in rb.black})
    out = [ResultGroup(g.name, [ResultRow(r.unit_id, units[r.unit_id].name, r.score, r.rank, r.level,
                                          places.get(r.unit_id, ""), {k: v for k, v in r.by_kind.items() if v})
                                for r in g.rows]) for g in tables_]  # fmt: skip
    return out, False


def lists_published(plan: Plan) -> bool:
    """The year's red and black lists were published to the units (the report names them only then)."""
    return RankingPublication.objects.filter(plan=plan, period=str(plan.year), with_lists=True).exists()


def category_counts(plan: Plan) -> list[tuple[str, int, int]]:
    """(category, tasks, of them closed at the year end) in the plan's category order; no category last."""
    rows: Counter[tuple[Any, ...]] = Counter()
    closed: Counter[tuple[Any, ...]] = Counter()
    for order, name, outcome in Task.objects.filter(plan=plan).values_list(
        "category__order", "category__name", "outcome__outcome"
    ):
        key = (order is None, order or 0, name or "")
        rows[key] += 1
        if outcome == Outcome.CLOSED:
            closed[key] += 1
    return [(k[2], n, closed[k]) for k, n in sorted(rows.items())]
