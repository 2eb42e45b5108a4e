"""The scores of a plan period as a workbook: one row per unit (group, unit, score, rank, red or black list,
points per rule)."""

import datetime
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from tongtui.assessment.ledger_db import compute, groups_of, scheme_of
from tongtui.assessment.lists import red_and_black
from tongtui.assessment.ranking import LedgerLine, Period, rank_groups
from tongtui.assessment.rules_data import RULE_ORDER, RuleKind
from tongtui.assessment.tables import group_label, summed_lines
from tongtui.core.officefiles import append_row, sheet_title
from tongtui.orgs.models import Unit
from tongtui.plans.models import Plan

KINDS = [*RULE_ORDER, RuleKind.ADJUSTMENT]


def score_rows(plan: Plan, period: Period, as_of: datetime.date | None = None) -> list[list[object]]:
    """With `as_of`, the ledger as the facts known that day make it (computed, not stored); else the stored one."""
    scheme = scheme_of(plan)
    if as_of is None:
        ledger = summed_lines(plan, period)
    else:
        ledger = [LedgerLine(e.unit_id, e.kind, e.on, e.points) for e in compute(plan, as_of, scheme=scheme)]
    groups = groups_of(scheme)
    units = Unit.objects.in_bulk([u for _n, us in groups for u in us])
    out: list[list[object]] = []
    labels = {"red": _("Red list"), "black": _("Black list")}
    for name, rows in rank_groups(ledger, groups, period, scheme.level_margin):
        lists = red_and_black(rows, scheme.lists, scheme.level_margin)
        for r in rows:
            level = "≈" if r.level else ""
            place = lists.place_of(r.unit_id)
            out.append([group_label(name), units[r.unit_id].name, r.score, f"{r.rank}{level}",
                        labels[place] if place else None, *(r.by_kind.get(k, None) for k in KINDS)])  # fmt: skip
    return out


def write_scores(plan: Plan, period: Period, as_of: datetime.date | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_title(f"{plan.year} {period.key}")
    append_row(ws, [_("Group"), _("Unit"), _("Score"), _("Rank"), _("Red and black lists"),
                    *(str(RuleKind(k).label) for k in KINDS)])  # fmt: skip
    for row in score_rows(plan, period, as_of):
        append_row(ws, row)
    ws.freeze_panes = "C2"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
