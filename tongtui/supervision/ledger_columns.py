"""The ledger's 亮灯 and 亮灯原因 columns: each task's stored traffic light as its word on its colour, and the
reasons of that same light (plans cannot import supervision)."""

from collections.abc import Sequence
from typing import Any

from tongtui.plans.ledger import Shaded
from tongtui.supervision.export import FILLS
from tongtui.supervision.light_views import stored_lights

WORDS = {"red": "红", "yellow": "黄", "green": "绿", "blue": "蓝", "grey": "灰"}


def lights(task_ids: Sequence[int], viewer: Any = None) -> dict[int, Shaded]:
    """One query: the light of every task that has one; a task without a computed light stays blank."""
    views = stored_lights(task_ids)
    return {
        task_id: Shaded(WORDS[v.light], FILLS[v.light]) for task_id, v in views.items() if v.light in WORDS
    }


def light_reasons(task_ids: Sequence[int], viewer: Any = None) -> dict[int, str]:
    """One query: the reasons of each task's light, in the words the desk, the task page and the meeting pack use
    (the ledger is a Chinese document whatever the reader's language)."""
    views = stored_lights(task_ids, "zh-hans")
    out = {}
    for task_id, v in views.items():
        if v.reasons:
            out[task_id] = (
                v.reasons[0]
                if len(v.reasons) == 1
                else "\n".join(f"{n}.{text}" for n, text in enumerate(v.reasons, start=1))
            )
    return out
