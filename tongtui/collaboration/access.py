"""Read scope. An instruction or a comment is seen by whoever sees what it is about (through that object's own
access module, `targets.visible_q`); a coordination request by the office and the leaders, the asking unit,
the unit or leader asked. Anything else is a 404, exactly like a missing row."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from tongtui.collaboration.models import (
    Comment,
    CoordinationRequest,
    Instruction,
    InstructionStatus,
    InstructionUnit,
)
from tongtui.collaboration.targets import visible_q
from tongtui.orgs.roles import roles_of


def instructions_visible_to(user: Any, qs: QuerySet[Instruction] | None = None) -> QuerySet[Instruction]:
    qs = Instruction.objects.all() if qs is None else qs
    return qs.filter(visible_q(user))


def get_instruction_for(user: Any, pk: Any) -> Instruction:
    try:
        return (
            instructions_visible_to(user)
            .select_related("task", "report__task", "problem__task", "bulletin__plan", "leader", "new_task",
                            "new_milestone")  # fmt: skip
            .get(pk=pk)
        )
    except (Instruction.DoesNotExist, ValueError, TypeError):
        raise Http404("No such instruction") from None


def requests_visible_to(
    user: Any, qs: QuerySet[CoordinationRequest] | None = None
) -> QuerySet[CoordinationRequest]:
    qs = CoordinationRequest.objects.all() if qs is None else qs
    roles = roles_of(user)
    if roles.sees_all:
        return qs
    if not user.is_authenticated:
        return qs.none()
    mine = Q(from_unit_id__in=roles.unit_ids) | Q(to_unit_id__in=roles.unit_ids)
    if roles.person_id is not None:
        mine |= Q(to_leader_id=roles.person_id)
    return qs.filter(mine)


def get_request_for(user: Any, pk: Any) -> CoordinationRequest:
    try:
        return (
            requests_visible_to(user)
            .select_related("task", "from_unit", "to_unit", "to_leader", "related_task")
            .get(pk=pk)
        )
    except (CoordinationRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request") from None


def comments_visible_to(user: Any, qs: QuerySet[Comment] | None = None) -> QuerySet[Comment]:
    qs = Comment.objects.all() if qs is None else qs
    return qs.filter(visible_q(user, bulletins=False))


def get_comment_for(user: Any, pk: Any) -> Comment:
    try:
        return comments_visible_to(user).select_related("task", "report__task", "problem__task").get(pk=pk)
    except (Comment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such comment") from None


# What waits for someone: one definition for the list tabs, the API's tabs and the home piles.


def owed_by(unit_ids: set[int]) -> QuerySet[Instruction]:
    """Open instructions these units still owe a reply to."""
    owed = InstructionUnit.objects.filter(instruction=OuterRef("pk"), unit_id__in=unit_ids, replied_at__isnull=True)
    return Instruction.objects.filter(Exists(owed), status=InstructionStatus.OPEN)


def replied_to(person_id: int | None) -> QuerySet[Instruction]:
    """A leader's instructions every unit has replied to, waiting for the leader's reading."""
    return Instruction.objects.filter(leader_id=person_id, status=InstructionStatus.REPLIED)


def asked_of_ids(unit_ids: set[int], person_id: int | None) -> QuerySet[CoordinationRequest]:
    """Coordination requests put to these units or to this leader."""
    q = Q(to_unit_id__in=unit_ids)
    if person_id is not None:
        q |= Q(to_leader_id=person_id)
    return CoordinationRequest.objects.filter(q)
