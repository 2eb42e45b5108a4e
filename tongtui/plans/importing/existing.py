"""The plan's tasks as a preview compares them: loaded once, in four queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class Existing:
    """A task already in the plan, as much as a row can change of it."""

    id: int
    version: int
    values: dict[str, Any]
    co_ids: set[int] = field(default_factory=set)  # co-units named on their own, not brought by a group
    groups: dict[int, str] = field(default_factory=dict)  # unit group -> as written
    milestones: list[tuple[str, datetime.date, Decimal]] = field(default_factory=list)


def load_existing(plan: Any) -> dict[str, Existing]:
    from tongtui.plans.models import CoGroup, CoUnit, Milestone, Task

    if plan is None or plan.pk is None:
        return {}
    found: dict[str, Existing] = {}
    by_id: dict[int, Existing] = {}
    rows = Task.objects.filter(plan=plan).values(
        "pk",
        "version",
        "code",
        "title",
        "category__name",
        "goal",
        "measures",
        "deliverables",
        "note",
        "lead_unit_id",
        "lead_text",
        "leader_id",
        "owner_id",
        "leader_post_id",
        "owner_post_id",
        "leader_text",
        "owner_text",
        "status",
        "start",
        "due",
        "deadline_text",
        "weight",
        "source",
        "is_public",
        "parent__code",
    )
    for row in rows:
        values = dict(row)
        values["category"] = values.pop("category__name") or ""
        values["parent"] = values.pop("parent__code") or ""
        item = Existing(values.pop("pk"), values.pop("version"), values)
        found[values["code"]] = by_id[item.id] = item
    # The reads below are separate statements: a task another import commits in between (two people confirming
    # at once) has links here but no row above. It is not "existing" for this preview; the import's claim
    # decides which confirmation writes.
    missing = Existing(0, 0, {})
    links = CoUnit.objects.filter(task__plan=plan, via_group__isnull=True).values_list("task_id", "unit_id")
    for task_id, unit_id in links:
        by_id.get(task_id, missing).co_ids.add(unit_id)
    for task_id, group_id, written in CoGroup.objects.filter(task__plan=plan).values_list(
        "task_id", "group_id", "written"
    ):
        by_id.get(task_id, missing).groups[group_id] = written
    for task_id, title, due, planned in (
        Milestone.objects.filter(task__plan=plan)
        .order_by("task_id", "seq", "due", "pk")
        .values_list("task_id", "title", "due", "planned_progress")
    ):
        by_id.get(task_id, missing).milestones.append((title, due, planned))
    return found
