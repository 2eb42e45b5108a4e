"""What each row of the task list shows, worked out in one pass over the page's tasks.

The template language spends about a thousand Python calls on a row when it works these out itself (a date
format, a join, three percentages, a link, two choice labels, a light's colour): half a list page's time at 50
rows. Here they are plain values; the template only writes them. Read the tasks with `category`, `lead_unit`,
`leader` and `light_state` joined and their co-unit and co-group links prefetched (`plans.views.task_list`).
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tongtui.core import choices
from tongtui.core.templatetags.tongtui_ui import light_class, pct, progress_class, status_class
from tongtui.plans.models import Task


def task_href() -> Callable[[int], str]:
    """A function from a task's key to its page's address: `reverse` once for the page, not once a row."""
    probe = reverse("task-detail", args=[0])
    if not probe.endswith("/0/"):
        return lambda pk: reverse("task-detail", args=[pk])
    head = probe[:-2]
    return lambda pk: f"{head}{pk}/"


def task_rows(tasks: Iterable[Task], today: datetime.date) -> list[dict[str, Any]]:
    href = task_href()
    pick = _("Select task %(code)s")
    rows = []
    for task in tasks:
        state = getattr(task, "light_state", None)
        light = state.light if state is not None else ""
        percent = pct(task.progress)
        rows.append(
            {
                "pk": str(task.pk),  # as text: a number would go through the locale's formatting
                "code": task.code,
                "title": task.title,
                "href": href(task.pk),
                "pick": pick % {"code": task.code},
                "category": (task.category.name if task.category_id else "") or "—",  # type: ignore[union-attr]
                "lead_unit": task.lead_unit.label if task.lead_unit_id else "",  # type: ignore[union-attr]
                "lead_text": task.lead_text,
                "co": "、".join(task.co_units_written()) or "—",
                "leader": (task.leader.name if task.leader_id else "") or "—",  # type: ignore[union-attr]
                "due": task.due.isoformat() if task.due else (task.deadline_text or "—"),
                "late": bool(task.is_open and task.due and task.due < today),
                "pct": percent,
                "progress_class": progress_class(task.progress),
                "status": choices.shown(task, "status"),
                "status_class": status_class(task.status),
                "has_light": state is not None,
                "light": light,
                "light_label": choices.shown(state, "light") if state is not None else "",
                "light_class": light_class(light),
            }
        )
    return rows
