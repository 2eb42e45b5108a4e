"""A preview row as plain strings, for the command's table and the preview page."""

from django.utils.translation import gettext as _

from tongtui.plans.importing.book import Row
from tongtui.plans.importing.normalize import key
from tongtui.plans.importing.people import PersonHit
from tongtui.plans.importing.units import UnitHit


def action_label(action: str) -> str:
    return {"create": _("new"), "update": _("update"), "unchanged": _("unchanged")}.get(action, action)


def unit_label(hit: UnitHit | None) -> str:
    if hit is None:
        return ""
    if hit.kind == "new":
        return _("%(name)s (new)") % {"name": hit.written}
    if hit.kind == "newgroup":
        return _("%(name)s (new unit group)") % {"name": hit.written}
    if hit.kind == "group" and hit.label and key(hit.label) != key(hit.written):
        return _("%(written)s (unit group %(name)s)") % {"written": hit.written, "name": hit.label}
    return hit.label or hit.written


def lead_label(row: Row) -> str:
    if row.lead is None and row.lead_text:
        return _("%(name)s (as written, no lead unit)") % {"name": row.lead_text}
    return unit_label(row.lead)


def person_label(hit: PersonHit | None) -> str:
    if hit is None:
        return ""
    if hit.kind == "post":
        if hit.post_id is None:
            return _("%(post)s (post to record)") % {"post": hit.label or hit.written}
        return _("%(post)s (post, nobody named yet)") % {"post": hit.label or hit.written}
    if hit.kind == "text":
        return _("%(name)s (as written)") % {"name": hit.written}
    name = hit.name or hit.written
    if hit.kind == "new":
        return _("%(name)s (new)") % {"name": name}
    if hit.label:  # found through the post the book named
        return _("%(name)s (%(post)s)") % {"name": name, "post": hit.label}
    return name


def row_cells(row: Row) -> dict[str, str]:
    return {
        "action": action_label(row.action),
        "lead": lead_label(row),
        "co": "、".join(unit_label(h) for h in row.co),
        "leader": person_label(row.leader),
        "owner": person_label(row.owner),
        "start": row.start.isoformat() if row.start else "",
        "due": row.due.isoformat() if row.due else (row.deadline_text or ""),
        "milestones": ";".join(
            f"{s.due:%m-%d} {s.title} ({s.planned_progress:g}%)" for s in row.milestones or []
        ),
    }
