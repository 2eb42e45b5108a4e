"""The demo district's collaboration: instructions in every state (one 圈阅), requests, comments with mentions."""

from tongtui.collaboration.models import (
    Comment,
    CoordinationRequest,
    Instruction,
    InstructionKind,
    InstructionStatus,
    RequestStatus,
)
from tongtui.notify.models import Notification


def test_the_demo_holds_instructions_in_every_state(built, db):
    rows = Instruction.objects.all()
    assert rows.filter(kind=InstructionKind.READ).count() == 1
    statuses = set(rows.filter(kind=InstructionKind.INSTRUCTION).values_list("status", flat=True))
    assert statuses == {InstructionStatus.OPEN, InstructionStatus.REPLIED, InstructionStatus.CLOSED}
    assert rows.exclude(new_milestone=None).count() == 1
    assert Notification.objects.filter(kind="instruction_overdue").exists()


def test_the_demo_holds_requests_and_comments_with_mentions(built, db):
    statuses = set(CoordinationRequest.objects.values_list("status", flat=True))
    assert {RequestStatus.ANSWERED, RequestStatus.DECLINED, RequestStatus.PENDING} <= statuses
    assert CoordinationRequest.objects.exclude(related_task=None).exists()
    assert Comment.objects.filter(mentions__isnull=False).exists()
    assert Notification.objects.filter(kind="mention").exists()
