"""The office's writes for the public page (/public/): a task's public title and text (`PublicEntry`) and
whether the task is public at all (plans' own `Task.is_public`, changed through `plans.actions.update_task`).
The entry's number is the next in its plan, once; its edits claim the version the clerk saw."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from tongtui.core.claims import claim
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import save_with_history
from tongtui.orgs.roles import roles_of
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Task
from tongtui.plans.models.tasks import TaskStatus
from tongtui.publicity.models import PublicEntry

HIDDEN_STATES = (TaskStatus.DRAFT, TaskStatus.CANCELLED)  # never on the public page, marked or not


def _office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office decides what the public page says."))


def _stale(current: PublicEntry | None) -> str:
    return _("Someone else changed this public text meanwhile; reload the page to see it.")


def save_entry(task: Task, *, by: Any, title: str, text: str, show_milestones: bool = True,
               public: bool | None = None, version: int | None = None) -> PublicEntry:  # fmt: skip
    """Write the task's public title and text (the first time: number it) and, with `public`, mark the task
    public or not. `version` is the entry's version the clerk saw: a stale edit is refused."""
    _office(by)
    if not title.strip() or not text.strip():
        raise ActionError(_("The public page needs a title and a text."))
    try:
        with transaction.atomic():
            entry = PublicEntry.objects.filter(task=task).first()
            if entry is None:
                if version not in (None, 0):
                    raise Conflict(_stale(None), 0)
                last = PublicEntry.objects.filter(plan_id=task.plan_id).aggregate(n=Max("number"))["n"] or 0
                entry = PublicEntry(task=task, plan_id=task.plan_id, number=last + 1)
                entry.key = f"{task.plan.year}-{entry.number}"
                reason = _("public text written")
            else:
                where: dict[str, Any] = {"version": version} if version is not None else {}
                claim(entry, _stale, update={"version": F("version") + 1}, **where)
                reason = _("public text edited")
            entry.title, entry.text, entry.show_milestones = title.strip(), text.strip(), show_milestones
            save_with_history(entry, by=by, reason=reason)
            if public is not None and public != task.is_public:
                set_public(task, by=by, public=public)
    except (IntegrityError, ValidationError) as e:
        if isinstance(e, ActionError):
            raise
        raise Conflict(_("Another public text was written at the same moment; try again."), 0) from e
    return entry


@transaction.atomic
def set_public(task: Task, *, by: Any, public: bool) -> Task:
    """Mark a task public (民生实事) or not, through plans' own action; refused once it is so already."""
    _office(by)
    if public and not PublicEntry.objects.filter(task=task).exists():
        raise ActionError(_("Write the public text first: nothing goes on the public page without it."))
    fresh = Task.objects.get(pk=task.pk)  # the task as it is now: the save below writes every field
    if fresh.is_public == public:
        raise Conflict(_("The task is public already.") if public else _("The task is not public already."),
                       fresh.version)  # fmt: skip
    reason = _("shown on the public page") if public else _("taken off the public page")
    # the version just read: of two clicks at once, the second finds it moved on (a Conflict)
    plan_actions.update_task(fresh, by=by, version=fresh.version, is_public=public, reason=reason)
    task.is_public, task.version = fresh.is_public, fresh.version
    return fresh
