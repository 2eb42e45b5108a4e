"""The ledger's 亮灯 column: each task's stored traffic light as its word on its colour (plans cannot import
supervision)."""

from collections.abc import Sequence
from typing import Any

from tongtui.plans.ledger import Shaded
from tongtui.supervision.export import FILLS
from tongtui.supervision.models import TaskLight

WORDS = {"red": "红", "yellow": "黄", "green": "绿", "blue": "蓝", "grey": "灰"}


def lights(task_ids: Sequence[int], viewer: Any = None) -> dict[int, Shaded]:
    """One query: the light of every task that has one; a task without a computed light stays blank."""
    rows = TaskLight.objects.filter(task_id__in=task_ids).values_list("task_id", "light")
    return {task_id: Shaded(WORDS[light], FILLS[light]) for task_id, light in rows if light in WORDS}
