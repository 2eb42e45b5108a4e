"""Collaboration's piles for the home pages (as core.piles.Pile), set-based: a fixed number of queries each.

- a unit's liaison and head: instructions its units owe a reply to; coordination requests asked of them;
- the office: instructions past their reply date; coordination requests past theirs;
- a leader: their instructions whose replies wait for their reading (and requests asked of them).
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tongtui.collaboration import access, targets
from tongtui.collaboration.models import (
    CoordinationRequest,
    Instruction,
    InstructionKind,
    InstructionStatus,
    RequestStatus,
)
from tongtui.core.piles import TOP, Item, Pile
from tongtui.core.workdays import WorkCalendar
from tongtui.dispatch.acknowledging import Deadline


def _url(name: str, **params: Any) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _instructions(qs: QuerySet[Instruction]) -> list[Instruction]:
    return list(
        qs.select_related("task", "report__task", "problem", "bulletin__plan", "leader")
        .order_by("reply_by", "pk")[: TOP + 1]
    )


def _instruction_items(rows: list[Instruction], today: datetime.date, cal: WorkCalendar) -> list[Item]:
    return [
        Item(label=f"{i.leader.name}: {i.text[:40]}", url=reverse("collaboration:instruction-detail", args=[i.pk]),
             detail=targets.of_row(i).label[:60], deadline=Deadline.of(i.reply_by, today, cal))
        for i in rows[:TOP]
    ]  # fmt: skip


def _count(rows: list[Any], qs: QuerySet[Any]) -> int:
    return len(rows) if len(rows) <= TOP else qs.count()


def instructions_to_reply(unit_ids: set[int], today: datetime.date, cal: WorkCalendar) -> Pile:
    """Open instructions the units owe a reply to, the earliest reply date first."""
    qs = access.owed_by(unit_ids).filter(kind=InstructionKind.INSTRUCTION)
    rows = _instructions(qs)
    return Pile("instructions", _("Leader instructions to reply to"), _count(rows, qs),
                _url("collaboration:instruction-list", tab="to_reply"), _instruction_items(rows, today, cal),
                urgent=sum(1 for i in rows[:TOP] if i.reply_by and i.reply_by < today))  # fmt: skip


def instructions_overdue(today: datetime.date, cal: WorkCalendar) -> Pile:
    """For the office: instructions some unit has not replied to by the date."""
    qs = Instruction.objects.filter(status=InstructionStatus.OPEN, kind=InstructionKind.INSTRUCTION,
                                    reply_by__lt=today)  # fmt: skip
    rows = _instructions(qs)
    count = _count(rows, qs)
    return Pile("instructions_overdue", _("Instructions not replied to in time"), count,
                _url("collaboration:instruction-list", tab="all", overdue="true"),
                _instruction_items(rows, today, cal), urgent=count)  # fmt: skip


def replies_to_read(person_id: int | None, today: datetime.date, cal: WorkCalendar) -> Pile:
    """For a leader: their instructions every unit has replied to, waiting for their reading (and closing)."""
    qs = access.replied_to(person_id)
    rows = _instructions(qs)
    return Pile("instructions_replied", _("Replies to your instructions"), _count(rows, qs),
                _url("collaboration:instruction-list", tab="to_read"),
                [Item(label=f"{i.text[:40]}", url=reverse("collaboration:instruction-detail", args=[i.pk]),
                      detail=targets.of_row(i).label[:60], tag=_("Replied"), tag_css="text-bg-info")
                 for i in rows[:TOP]])  # fmt: skip


def _request_items(rows: list[CoordinationRequest], today: datetime.date, cal: WorkCalendar) -> list[Item]:
    return [
        Item(label=r.subject[:60], url=reverse("collaboration:request-detail", args=[r.pk]),
             detail=f"{r.from_unit.label} → {r.addressee_label} · {r.task.code}",
             deadline=Deadline.of(r.reply_by, today, cal))
        for r in rows[:TOP]
    ]  # fmt: skip


def _requests(qs: QuerySet[CoordinationRequest]) -> list[CoordinationRequest]:
    return list(qs.select_related("task", "from_unit", "to_unit", "to_leader").order_by("reply_by", "pk")[: TOP + 1])


def requests_asked_of(unit_ids: set[int], person_id: int | None, today: datetime.date, cal: WorkCalendar) -> Pile:
    """Coordination requests waiting for the units' (or the leader's) reply."""
    qs = access.asked_of_ids(unit_ids, person_id).filter(status=RequestStatus.PENDING)
    rows = _requests(qs)
    return Pile("coordination", _("Coordination requests asked of you"), _count(rows, qs),
                _url("collaboration:request-list", tab="to_me", status="pending"),
                _request_items(rows, today, cal),
                urgent=sum(1 for r in rows[:TOP] if r.reply_by < today))  # fmt: skip


def requests_overdue(today: datetime.date, cal: WorkCalendar) -> Pile:
    """For the office: requests waiting past their reply date."""
    qs = CoordinationRequest.objects.filter(status=RequestStatus.PENDING, reply_by__lt=today)
    rows = _requests(qs)
    count = _count(rows, qs)
    return Pile("coordination_overdue", _("Coordination requests past their reply date"), count,
                _url("collaboration:request-list", tab="all", overdue="true"), _request_items(rows, today, cal),
                urgent=count)  # fmt: skip


def unit_piles(unit_ids: set[int], person_id: int | None, today: datetime.date, cal: WorkCalendar) -> list[Pile]:
    return [instructions_to_reply(unit_ids, today, cal), requests_asked_of(unit_ids, person_id, today, cal)]


