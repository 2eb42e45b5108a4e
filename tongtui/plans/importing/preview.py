"""A preview row as plain strings, for the command's table and the preview page."""

from django.utils.translation import gettext as _

from tongtui.plans.importing.book import Row
from tongtui.plans.importing.people import PersonHit
from tongtui.plans.importing.units import UnitHit


def action_label(action: str) -> str:
    return {"create": _("new"), "update": _("update"), "unchanged": _("unchanged")}.get(action, action)


def unit_label(hit: UnitHit | None) -> str:
    if hit is None:
        return ""
    if hit.kind == "new":
        return _("%(name)s (new)") % {"name": hit.written}
    return hit.label or hit.written


def person_label(hit: PersonHit | None) -> str:
    if hit is None:
        return ""
    name = hit.name or hit.written
    return _("%(name)s (new)") % {"name": name} if hit.kind == "new" else name


def row_cells(row: Row) -> dict[str, str]:
    return {
        "action": action_label(row.action),
        "lead": unit_label(row.lead),
        "co": "、".join(unit_label(h) for h in row.co),
        "leader": person_label(row.leader),
        "owner": person_label(row.owner),
        "start": row.start.isoformat() if row.start else "",
        "due": row.due.isoformat() if row.due else (row.deadline_text or ""),
        "milestones": ";".join(
            f"{s.due:%m-%d} {s.title} ({s.planned_progress:g}%)" for s in row.milestones or []
        ),
    }
