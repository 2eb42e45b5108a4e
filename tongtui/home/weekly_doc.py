"""The cockpit's weekly summary as a one-page .docx (GB/T 9704 layout from `core.gbt9704`)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tongtui.core.gbt9704 import HEAD_FONT, SIZE_4, SIZE_5, TABLE_FONT, TEXT_WIDTH, OfficialDocument, day
from tongtui.home.cockpit import Cockpit

ROWS = 5  # lagging tasks: with the milestones and rates the summary stays on one A4 page


def _heading(doc: OfficialDocument, value: str) -> None:
    """A section heading in 黑体 4号, smaller than a document's 3号 so that the summary fits one page."""
    doc.paragraph(value, HEAD_FONT, SIZE_4, indent=False)


def _late(n: int) -> str:
    return ngettext("%(n)s working day late", "%(n)s working days late", n) % {"n": n}


def _short(value: str, n: int) -> str:
    return value if len(value) <= n else value[: n - 1] + "…"


def filename(c: Cockpit) -> str:
    from urllib.parse import quote

    return quote(f"{c.plan.year}-{_('weekly-summary')}-{c.today.isoformat()}.docx")


def render(c: Cockpit, leader: Any = None) -> bytes:
    doc = OfficialDocument()
    doc.title(_("Weekly summary"), after_heading=False)
    scope = f"{c.plan.title or c.plan} · " + _("As of %(day)s") % {"day": day(c.today)}
    if leader is not None:
        scope += " · " + _("Tasks of %(name)s") % {"name": leader.name}
    lights = {row["light"]: row for row in c.lights}
    summary = _(
        "%(total)s tasks: %(red)s red, %(yellow)s yellow, %(green)s green, %(grey)s not started, "
        "%(blue)s closed. %(overdue)s milestones overdue, %(week)s due this week."
    ) % {
        "total": c.total, "red": lights["red"]["count"], "yellow": lights["yellow"]["count"],
        "green": lights["green"]["count"], "grey": lights["grey"]["count"], "blue": lights["blue"]["count"],
        "overdue": c.milestone_counts.get("overdue", 0), "week": c.milestone_counts.get("week", 0),
    }  # fmt: skip
    doc.paragraph(scope, TABLE_FONT, SIZE_4, indent=False)
    doc.paragraph(summary, TABLE_FONT, SIZE_4)
    _heading(doc, _("1. The most lagging tasks"))
    rows = [
        [
            row["task"].code,
            row["label"],
            row["task"].title,
            row["task"].lead_unit.label if row["task"].lead_unit else "—",
            _short(row["reasons"][0] if row["reasons"] else "", 24),
        ]
        for row in c.lagging[:ROWS]
    ] or [["", "", _("No red or yellow task."), "", ""]]
    doc.table(
        [_("Code"), _("Light"), _("Task"), _("Lead unit"), _("Why")],
        [13, 13, 44, 24, TEXT_WIDTH - 94],
        rows,
        centered=(0, 1),
        size=SIZE_5,
    )
    _heading(doc, _("2. Milestones overdue and due this week"))
    ms = [
        [m.task.code, m.title, m.task.lead_unit.label if m.task.lead_unit else "—",
         _late(getattr(m, "late", 0))]
        for m in c.milestones_overdue[:3]
    ] + [
        [m.task.code, m.title, m.task.lead_unit.label if m.task.lead_unit else "—", m.due.strftime("%m-%d")]
        for m in c.milestones_week[:3]
    ]  # fmt: skip
    doc.table(
        [_("Code"), _("Milestone"), _("Lead unit"), _("Due")],
        [13, 75, 32, TEXT_WIDTH - 120],
        ms[:4] or [["", _("None overdue, none due this week."), "", ""]],
        centered=(0, 3),
        size=SIZE_5,
    )
    _heading(doc, _("3. Reports filed on time, lowest"))
    doc.table(
        [_("Unit"), _("On time"), _("Filed"), _("Rate")],
        [60, 30, 30, TEXT_WIDTH - 120],
        [[r["unit"], r["on_time"], r["filed"], f"{r['rate']}%"] for r in c.on_time[:3]]
        or [[_("No report filed yet this year."), "", "", ""]],
        centered=(1, 2, 3),
        size=SIZE_5,
    )
    return doc.to_bytes()
