"""What the public page shows, loaded set-based (two queries for any number of tasks): the tasks marked public
whose public text the office wrote, with the office's title and text, the category, the lead unit, the
progress and the milestones. Deliberately nothing else: no person, no problem, no report text, no score, no
light, no database id — the public key (2026-3) is the only handle, and it opens nothing in the app."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from tongtui.plans.models import Milestone
from tongtui.plans.models.tasks import TaskStatus
from tongtui.publicity.actions_public import HIDDEN_STATES
from tongtui.publicity.models import PublicEntry

DONE, UNDER_WAY, PAUSED = "done", "under_way", "paused"


@dataclass(frozen=True)
class PublicMilestone:
    title: str
    due: datetime.date
    done: bool


@dataclass
class PublicTask:
    key: str
    year: int
    number: int
    title: str
    text: str
    category: str
    lead_unit: str
    state: str  # done, under_way, paused
    progress: int  # 0–100
    as_of: datetime.date | None
    due: datetime.date | None
    milestones: list[PublicMilestone] = field(default_factory=list)

    @property
    def milestones_done(self) -> int:
        return sum(1 for m in self.milestones if m.done)


def state_of(status: str, progress: Decimal) -> str:
    """In public words: done once closed, paused while suspended, else under way."""
    if status == TaskStatus.CLOSED:
        return DONE
    if status == TaskStatus.SUSPENDED:
        return PAUSED
    return UNDER_WAY


def entries() -> QuerySet[PublicEntry]:
    return PublicEntry.objects.filter(task__is_public=True).exclude(task__status__in=HIDDEN_STATES)


def load(*, year: int | None = None, key: str | None = None) -> list[PublicTask]:
    rows = entries()
    if year is not None:
        rows = rows.filter(plan__year=year)
    if key is not None:
        rows = rows.filter(key=key)
    values = rows.order_by("-plan__year", "number").values(
        "key", "number", "title", "text", "show_milestones", "plan__year", "task_id", "task__status",
        "task__progress", "task__progress_on", "task__due", "task__category__name", "task__lead_unit__name",
    )  # fmt: skip
    out: dict[int, PublicTask] = {}
    shown: set[int] = set()
    for r in values:
        out[r["task_id"]] = PublicTask(
            key=r["key"], year=r["plan__year"], number=r["number"], title=r["title"], text=r["text"],
            category=r["task__category__name"] or "", lead_unit=r["task__lead_unit__name"] or "",
            state=state_of(r["task__status"], r["task__progress"]),
            progress=100 if r["task__status"] == TaskStatus.CLOSED else int(r["task__progress"] or 0),
            as_of=r["task__progress_on"], due=r["task__due"],
        )  # fmt: skip
        if r["show_milestones"]:
            shown.add(r["task_id"])
    if shown:
        for task_id, title, due, done_on in Milestone.objects.filter(task_id__in=shown).order_by(
            "task_id", "due", "seq"
        ).values_list("task_id", "title", "due", "done_on"):
            out[task_id].milestones.append(PublicMilestone(title, due, done_on is not None))
    return list(out.values())


def years() -> list[int]:
    return sorted(set(entries().values_list("plan__year", flat=True)), reverse=True)
