"""Which report cycle applies to a task: its own, else its category's, else its plan's."""

from collections.abc import Iterable
from dataclasses import dataclass

from tongtui.dispatch.models import ReportCycle


@dataclass(frozen=True)
class TaskKey:
    task_id: int
    category_id: int | None
    plan_id: int


def resolve(keys: Iterable[TaskKey], cycles: Iterable[ReportCycle]) -> dict[int, ReportCycle]:
    """Map each task id to the most specific cycle among `cycles`; tasks without one are left out."""
    by_task: dict[int, ReportCycle] = {}
    by_category: dict[int, ReportCycle] = {}
    by_plan: dict[int, ReportCycle] = {}
    for cycle in cycles:
        if cycle.task_id:
            by_task[cycle.task_id] = cycle
        elif cycle.category_id:
            by_category[cycle.category_id] = cycle
        else:
            by_plan[cycle.plan_id] = cycle
    result: dict[int, ReportCycle] = {}
    for key in keys:
        found = by_task.get(key.task_id) or by_category.get(key.category_id or 0) or by_plan.get(key.plan_id)
        if found is not None:
            result[key.task_id] = found
    return result


def cycles_for(keys: Iterable[TaskKey]) -> dict[int, ReportCycle]:
    """One query for all the cycles of the plans these tasks belong to."""
    keys = list(keys)
    plan_ids = {k.plan_id for k in keys}
    # unordered: at most one cycle per plan, category and task (the model's ordering would join three tables)
    return resolve(keys, ReportCycle.objects.filter(plan_id__in=plan_ids).order_by())
