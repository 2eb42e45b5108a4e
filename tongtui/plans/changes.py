"""A task's history for people: who changed what and when, from simple_history rows.

Covers the task itself, its milestones and its co-units, merged into one list, newest first.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tongtui.core import choices
from tongtui.core.reasons import reason_text
from tongtui.core.system import display_name
from tongtui.orgs.models import Person, Unit
from tongtui.plans.models import Category, CoUnit, Milestone, Plan, Task

MAX_ROWS = 300
FK_MODELS: dict[str, type[models.Model]] = {
    "lead_unit": Unit,
    "unit": Unit,
    "leader": Person,
    "owner": Person,
    "acknowledged_by": Person,
    "category": Category,
    "plan": Plan,
    "parent": Task,
    "task": Task,
}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    subject: str  # "task", "milestone" or "co-unit"
    name: str  # what the entry is about, e.g. the milestone's title
    kind: str  # "+", "~" or "-"
    reason: str
    changes: list[Change] = field(default_factory=list)

    @property
    def verb(self) -> str:
        return {"+": _("created"), "-": _("removed")}.get(self.kind, _("changed"))


def _diffs(records: list[Any], key: str = "id") -> list[tuple[Any, list[Any]]]:
    """Pair every historical row (oldest first) with the changes since the previous row of the same object."""
    previous: dict[Any, Any] = {}
    result = []
    for record in records:
        before = previous.get(getattr(record, key))
        delta = (
            record.diff_against(before).changes if before is not None and record.history_type == "~" else []
        )
        result.append((record, delta))
        previous[getattr(record, key)] = record
    return result


class Names:
    """Turns foreign-key ids found in history rows into names, with one query per model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = {}
        self.found: dict[tuple[type[models.Model], Any], str] = {}

    def want(self, name: str, *values: Any) -> None:
        model = FK_MODELS.get(name)
        if model is not None:
            self.wanted.setdefault(model, set()).update(v for v in values if v is not None)

    def load(self) -> None:
        for model, ids in self.wanted.items():
            for obj in model._default_manager.filter(pk__in=ids):
                self.found[(model, obj.pk)] = getattr(obj, "label", None) or str(obj)

    def get(self, name: str, value: Any) -> str:
        model = FK_MODELS[name]
        return self.found.get((model, value), f"#{value}")


def show_value(model: type[models.Model], name: str, value: Any, names: Names) -> str:
    if value is None or value == "":
        return "—"
    if name in FK_MODELS:
        return names.get(name, value)
    model_field = model_field_of(model, name)
    if model_field.choices:
        return str(choices.labels(model, name).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def model_field_of(model: type[models.Model], name: str) -> models.Field:
    return cast(models.Field, model._meta.get_field(name))


def _label(model: type[models.Model], name: str) -> str:
    return capfirst(str(model_field_of(model, name).verbose_name))


def _newest(qs: Any) -> list[Any]:
    """The newest MAX_ROWS rows, oldest first."""
    # with the person behind each user (their name is shown): no query of its own
    rows = list(qs.select_related("history_user__person").order_by("-history_date", "-history_id")[:MAX_ROWS])
    rows.reverse()
    return rows


def task_history(task: Task) -> list[Entry]:
    tasks = _newest(task.history.all())
    milestones = _newest(Milestone.history.filter(task_id=task.pk))
    links = _newest(CoUnit.history.filter(task_id=task.pk))
    groups = [
        (Task, "task", _diffs(tasks)),
        (Milestone, "milestone", _diffs(milestones)),
        (CoUnit, "co-unit", _diffs(links)),
    ]
    names = Names()
    for _model, _subject, rows in groups:
        for _record, delta in rows:
            for change in delta:
                names.want(change.field, change.old, change.new)
    for record in links:
        names.want("unit", record.unit_id)
    names.load()
    entries: list[Entry] = []
    for model, subject, rows in groups:
        for record, delta in rows:
            user = record.history_user
            who = display_name(user) if user else _("System")
            if subject == "task":
                name = f"{record.code} {record.title}"
            elif subject == "milestone":
                name = record.title
            else:
                name = names.get("unit", record.unit_id)
            entries.append(
                Entry(
                    when=record.history_date,
                    who=who,
                    subject=subject,
                    name=name,
                    kind=record.history_type,
                    reason=reason_text(record.history_change_reason or ""),
                    changes=[
                        Change(
                            _label(model, c.field),
                            show_value(model, c.field, c.old, names),
                            show_value(model, c.field, c.new, names),
                        )
                        for c in delta
                    ],
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
