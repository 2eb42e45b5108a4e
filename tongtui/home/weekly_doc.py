"""The cockpit's weekly summary as a one-page .docx (GB/T 9704 layout from `core.gbt9704`)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tongtui.core.gbt9704 import SIZE_4, SIZE_5, TABLE_FONT, TEXT_WIDTH, OfficialDocument, day
from tongtui.home.cockpit import Cockpit


def filename(c: Cockpit) -> str:
    from urllib.parse import quote

    return quote(f"{c.plan.year}-{_('weekly-summary')}-{c.today.isoformat()}.docx")


def render(c: Cockpit, leader: Any = None) -> bytes:
    doc = OfficialDocument()
    doc.title(f"{c.plan.title or c.plan} · {_('Weekly summary')}", after_heading=False)
    scope = _("As of %(day)s") % {"day": day(c.today)}
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
    doc.heading(_("1. The most lagging tasks"))
    rows = [
        [
            row["task"].code,
            row["label"],
            row["task"].title,
            row["task"].lead_unit.label if row["task"].lead_unit else "—",
            "；".join(row["reasons"][:2]),
        ]
        for row in c.lagging[:8]
    ] or [["", "", _("No red or yellow task."), "", ""]]
    doc.table(
        [_("Code"), _("Light"), _("Task"), _("Lead unit"), _("Why")],
        [14, 14, 50, 26, TEXT_WIDTH - 104],
        rows,
        centered=(0, 1),
        size=SIZE_5,
    )
    doc.heading(_("2. Milestones overdue and due this week"))
    ms = [
        [m.task.code, m.title, m.task.lead_unit.label if m.task.lead_unit else "—",
         ngettext("%(n)s working day late", "%(n)s working days late", m.late) % {"n": m.late}]
        for m in c.milestones_overdue[:6]
    ] + [
        [m.task.code, m.title, m.task.lead_unit.label if m.task.lead_unit else "—", m.due.strftime("%m-%d")]
        for m in c.milestones_week[:6]
    ]  # fmt: skip
    doc.table(
        [_("Code"), _("Milestone"), _("Lead unit"), _("Due")],
        [14, 80, 32, TEXT_WIDTH - 126],
        ms or [["", _("None overdue, none due this week."), "", ""]],
        centered=(0, 3),
        size=SIZE_5,
    )
    doc.heading(_("3. Reports filed on time, lowest"))
    doc.table(
        [_("Unit"), _("On time"), _("Filed"), _("Rate")],
        [60, 30, 30, TEXT_WIDTH - 120],
        [[r["unit"], r["on_time"], r["filed"], f"{r['rate']}%"] for r in c.on_time[:6]]
        or [[_("No report filed yet this year."), "", "", ""]],
        centered=(1, 2, 3),
        size=SIZE_5,
    )
    return doc.to_bytes()
