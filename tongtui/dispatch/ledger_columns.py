"""The ledger's 存在问题 and 下步计划 columns, filled from problems and reports (plans cannot import dispatch).

Each provider is set-based: given the task ids, one or two queries, whatever their number.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import OuterRef, Subquery

from tongtui.dispatch.access_problems import problems_visible_to
from tongtui.dispatch.models import FILED, Problem, ProblemStatus, ProgressReport, ReportStatus
from tongtui.plans.models import Task


def _latest(field: str, *statuses: str) -> Subquery:
    reports = ProgressReport.objects.filter(task=OuterRef("pk"), status__in=statuses).exclude(**{field: ""})
    return Subquery(reports.order_by("-period_end", "-pk").values(field)[:1])


def _numbered(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return "\n".join(f"{n}.{item}" for n, item in enumerate(items, start=1))


def problems(task_ids: Sequence[int], viewer: Any = None) -> dict[int, str]:
    """The task's open problems that the viewer may see (none without a viewer: a problem is not seen by
    everyone who sees its task), then what its latest filed report says of problems."""
    items: dict[int, list[str]] = {}
    if viewer is not None:
        qs = Problem.objects.filter(task_id__in=task_ids).exclude(status=ProblemStatus.RESOLVED)
        rows = problems_visible_to(viewer, qs).order_by("raised_at", "pk").values_list("task_id", "title")
        for task_id, title in rows:
            items.setdefault(task_id, []).append(title.strip())
    reported = Task.objects.filter(pk__in=task_ids).annotate(said=_latest("problems", *FILED))
    for task_id, said in reported.exclude(said=None).values_list("pk", "said"):
        text = said.strip()
        if text and text not in items.get(task_id, []):
            items.setdefault(task_id, []).append(text)
    return {task_id: _numbered(texts) for task_id, texts in items.items()}


def next_steps(task_ids: Sequence[int], viewer: Any = None) -> dict[int, str]:
    """The next steps of the task's latest accepted report."""
    rows = Task.objects.filter(pk__in=task_ids).annotate(steps=_latest("next_steps", ReportStatus.ACCEPTED))
    return {pk: steps.strip() for pk, steps in rows.exclude(steps=None).values_list("pk", "steps")}
