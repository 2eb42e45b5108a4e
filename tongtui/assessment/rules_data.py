"""考核细则 as data: the kinds of rule, the scheme as the pure scoring sees it, and the DEFAULT scheme.

No Django models here (only translations), so the scoring and ranking functions can be tested without a
database. `SchemeData` is what `scoring.compute_ledger` reads; `models.Scheme.data()` builds one from the
office's rows, and `DEFAULT` is used for a plan whose office has configured nothing yet.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    TASK = "task", _("Task points (by weight and role)")
    LATE_REPORT = "late_report", _("Late report (per working day)")
    RETURNED_REPORT = "returned_report", _("Returned report")
    OVERDUE_MILESTONE = "overdue_milestone", _("Overdue milestone")
    ORDER_NOT_PASSED = "order_not_passed", _("Rectification order not passed")
    SPOT_NOT_CONFIRMED = "spot_not_confirmed", _("Spot check not confirmed")
    ADMONITION = "admonition", _("Admonition")
    PRACTICE = "practice", _("Exemplary practice adopted")
    INNOVATION = "innovation", _("Innovation recognised")
    COMMENDATION = "commendation", _("Leader's commendation")
    ADJUSTMENT = "adjustment", _("Office adjustment")


DEDUCTIONS = frozenset({
    RuleKind.LATE_REPORT, RuleKind.RETURNED_REPORT, RuleKind.OVERDUE_MILESTONE,
    RuleKind.ORDER_NOT_PASSED, RuleKind.SPOT_NOT_CONFIRMED, RuleKind.ADMONITION,
})  # fmt: skip
BONUSES = frozenset({RuleKind.PRACTICE, RuleKind.INNOVATION, RuleKind.COMMENDATION})
MANUAL = frozenset({*BONUSES, RuleKind.ADJUSTMENT})  # entered by the office, no source record elsewhere yet
# The kinds whose points also reach a task's co-units (times the co-unit factor); the others name one unit.
SHARED = frozenset({RuleKind.TASK, RuleKind.OVERDUE_MILESTONE})
RULE_ORDER = [k for k in RuleKind if k != RuleKind.ADJUSTMENT]


def sign(kind: str) -> int:
    return -1 if kind in DEDUCTIONS else 1


@dataclass(frozen=True)
class RuleData:
    kind: str
    points: Decimal  # the size, always >= 0; deductions are subtracted
    cap: Decimal | None = None  # most a unit gains or loses by this rule over the plan year; None: no cap
    co_factor: Decimal | None = None  # None: the scheme's co-unit factor (only for SHARED kinds)
    enabled: bool = True


class ListMode(models.TextChoices):
    RANK = "rank", _("Top and bottom places per group")
    SCORE = "score", _("Score thresholds")


@dataclass(frozen=True)
class ListRule:
    """How the red list (红榜) and black list (黑榜) of a group are drawn (see assessment.lists).

    RANK: the best `red_places` and the worst `black_places` of each group, widened past the edge to every unit
    tied or level (within the level margin) with it. SCORE: a score of at least `red_from` puts a unit on the
    red list, a score below `black_below` on the black list (None: no such list). Either way, with
    `black_needs_deduction` only a unit that lost points in the period can be on the black list.
    """

    mode: str = ListMode.RANK
    red_places: int = 3
    black_places: int = 2
    red_from: Decimal | None = None
    black_below: Decimal | None = None
    black_needs_deduction: bool = True


@dataclass(frozen=True)
class SchemeData:
    rules: dict[str, RuleData]
    co_unit_factor: Decimal = Decimal("0.5")
    unit_deduction_cap: Decimal | None = None  # most a unit loses over the year, all deductions together
    unit_bonus_cap: Decimal | None = None  # most a unit gains from bonuses over the year
    level_margin: Decimal = Decimal("0.5")  # scores closer than this are said to be level
    groups: tuple[tuple[int, str], ...] = field(default=())  # (UnitGroup id, name), ranked separately
    lists: ListRule = field(default=ListRule())  # red and black lists (红黑榜)

    def rule(self, kind: str) -> RuleData | None:
        r = self.rules.get(kind)
        return r if r is not None and r.enabled else None

    def factor(self, kind: str) -> Decimal:
        r = self.rules.get(kind)
        return r.co_factor if r is not None and r.co_factor is not None else self.co_unit_factor

    def with_rule(self, kind: str, **changes: object) -> "SchemeData":
        rules = dict(self.rules)
        rules[kind] = replace(rules[kind], **changes)  # type: ignore[arg-type]
        return replace(self, rules=rules)


D = Decimal
# The DEFAULT scheme (see docs/guide/assessment.md). Sizes follow the real schemes in
# shared/data/realworld_scoring.md: lead/co-unit pairs of about 2:1, late reports 0.1–1 a time, overdue items
# 1–5, 退办 2–3, commendation bonuses capped at 5 in all.
DEFAULT = SchemeData(
    rules={
        RuleKind.TASK: RuleData(RuleKind.TASK, D(10)),  # 10 × weight for the lead unit, 5 × weight a co-unit
        RuleKind.LATE_REPORT: RuleData(RuleKind.LATE_REPORT, D("0.2"), cap=D(5)),
        RuleKind.RETURNED_REPORT: RuleData(RuleKind.RETURNED_REPORT, D(1), cap=D(5)),
        RuleKind.OVERDUE_MILESTONE: RuleData(RuleKind.OVERDUE_MILESTONE, D(1), cap=D(10), co_factor=D(0)),
        RuleKind.ORDER_NOT_PASSED: RuleData(RuleKind.ORDER_NOT_PASSED, D(3)),
        RuleKind.SPOT_NOT_CONFIRMED: RuleData(RuleKind.SPOT_NOT_CONFIRMED, D(2)),
        RuleKind.ADMONITION: RuleData(RuleKind.ADMONITION, D(2)),
        RuleKind.PRACTICE: RuleData(RuleKind.PRACTICE, D(1), cap=D(3)),
        RuleKind.INNOVATION: RuleData(RuleKind.INNOVATION, D(2), cap=D(4)),
        RuleKind.COMMENDATION: RuleData(RuleKind.COMMENDATION, D(1), cap=D(3)),
    },
    co_unit_factor=D("0.5"),
    unit_deduction_cap=None,
    unit_bonus_cap=D(5),
    level_margin=D("0.5"),
    # 红黑榜: top 3 and bottom 2 of each group (竹山 2023; the synthesis in realworld_scoring.md), ties and
    # level units kept together (江门: "如遇排名并列则共同纳入榜单"), black only with a deduction (绵阳 2022).
    lists=ListRule(),
)

# Without groups configured, units are ranked in two sequences by their kind: 镇街 and 区直部门 (and the rest).
KIND_SEQUENCES = {"town": "towns", "subdistrict": "towns", "department": "departments"}
NOT_RANKED_KINDS = frozenset({"office", "district", "external"})
