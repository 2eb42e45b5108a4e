"""Keeping `Task.code_sort` right for whole plans: after a set-based write, an import, a renumbering."""

from collections.abc import Iterable

from tongtui.plans.codes import tree_keys
from tongtui.plans.models import Task


def refresh_code_sort(plan_ids: Iterable[int]) -> int:
    """Recompute the sort keys of the plans' tasks (one read per plan, one write per key that changed);
    the number of tasks rewritten."""
    changed = 0
    for plan_id in set(plan_ids):
        rows = list(Task.objects.filter(plan_id=plan_id).order_by().values_list("pk", "parent_id", "code", "code_sort"))
        keys = tree_keys([(pk, parent, code) for pk, parent, code, _old in rows])
        for pk, _parent, _code, old in rows:
            if keys[pk] != old:
                Task.objects.filter(pk=pk).update(code_sort=keys[pk])
                changed += 1
    return changed
