"""Every write to leader instructions (批示, 圈阅): write, reply (threaded; the leader answers back and may ask
again), close, turn into a task or a milestone (through plans.actions, source 领导批示), and the sweep that
chases units past their reply date. One transaction each, history naming the actor; every state step claims
the instruction's row (`core.claims.claim` on status and version), so a double click runs once."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.collaboration import rules, targets
from tongtui.collaboration.models import (
    Instruction,
    InstructionKind,
    InstructionReply,
    InstructionStatus,
    InstructionUnit,
)
from tongtui.collaboration.targets import Target
from tongtui.core.claims import claim
from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.history import save_with_history
from tongtui.core.workdays import add_workdays
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Membership, Person, Role, Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Category, Milestone, Plan, Source, Task

DEFAULT_REPLY_WORKDAYS = 3
OPEN = (InstructionStatus.OPEN, InstructionStatus.REPLIED)


def url(instruction: Instruction) -> str:
    return reverse("collaboration:instruction-detail", args=[instruction.pk])


def office_users() -> list[Any]:
    rows = Membership.objects.filter(role=Role.OFFICE, person__user__isnull=False).select_related("person__user")
    return list({m.person.user for m in rows})


def _leader_person(by: Any) -> Person:
    roles = roles_of(by)
    if not rules.may_instruct(roles):
        raise Forbidden(_("Only a leader writes instructions."))
    return Person.objects.get(pk=roles.person_id or 0)


def _refusal(current: Instruction | None) -> str:
    if current is None:
        return _("This instruction no longer exists.")
    if current.status == InstructionStatus.CLOSED:
        return _("This instruction has just been closed.")
    return _("Someone replied to this instruction a moment ago. Reload the page to read it.")


def unit_ids(instruction: Instruction) -> set[int]:
    return set(InstructionUnit.objects.filter(instruction=instruction).values_list("unit_id", flat=True))


@transaction.atomic
def instruct(
    target: Target,
    *,
    by: Any,
    text: str,
    units: Iterable[Unit] | None = None,
    reply_within: int = DEFAULT_REPLY_WORKDAYS,
    today: datetime.date | None = None,
) -> Instruction:
    """批示: the leader writes on the target; the units concerned (the task's lead unit unless the leader
    chooses, e.g. adding co-units) reply within `reply_within` working days."""
    leader = _leader_person(by)
    if not targets.sees(by, target, active_only=False):
        raise Forbidden(_("You cannot see this."))
    if reply_within < 1 or reply_within > 60:
        raise ActionError(_("Give between 1 and 60 working days to reply."))
    chosen = {u.pk for u in units} if units is not None else targets.default_units(target)
    allowed = targets.units_that_see(target)
    if allowed is not None and chosen - allowed:
        raise ActionError(_("Ask only units that see what the instruction is about."))
    today = today or timezone.localdate()
    instruction = Instruction(
        **target.fields, kind=InstructionKind.INSTRUCTION, leader=leader, text=text.strip(),
        reply_by=add_workdays(today, reply_within), created_by=by,
    )  # fmt: skip
    save_with_history(instruction, by=by, reason=_("written"))
    for unit_id in sorted(chosen):
        save_with_history(InstructionUnit(instruction=instruction, unit_id=unit_id), by=by)
    people = targets.unit_people(chosen, *rules.UNIT_ACTORS) if chosen else office_users()
    send(
        Kind.INSTRUCTION,
        [u for u in people if u != by],
        _("%(leader)s's instruction on %(what)s: reply by %(day)s")
        % {"leader": leader.name, "what": target.label, "day": f"{instruction.reply_by:%Y-%m-%d}"},
        body=instruction.text,
        url=url(instruction),
        key=f"instruction:{instruction.pk}",
        unit=min(chosen) if len(chosen) == 1 else None,
        plan=target.plan_id,
    )
    return instruction


@transaction.atomic
def mark_read(target: Target, *, by: Any) -> Instruction:
    """圈阅: the leader marks the target read. No reply is asked; it shows on the target."""
    leader = _leader_person(by)
    if not targets.sees(by, target, active_only=False):
        raise Forbidden(_("You cannot see this."))
    kind_field = {k: v for k, v in target.fields.items() if k != "task"}
    already = Instruction.objects.filter(kind=InstructionKind.READ, leader=leader, **kind_field)
    if already.exists():
        raise ActionError(_("You marked this read already."))
    instruction = Instruction(
        **target.fields, kind=InstructionKind.READ, leader=leader, status=InstructionStatus.CLOSED,
        created_by=by, closed_at=timezone.now(), closed_by=by,
    )  # fmt: skip
    save_with_history(instruction, by=by, reason=_("marked read"))
    return instruction


@transaction.atomic
def reply(
    instruction: Instruction,
    *,
    by: Any,
    text: str,
    unit: Unit | None = None,
    ask_again_within: int | None = None,
    today: datetime.date | None = None,
) -> InstructionReply:
    """A message in the thread. A unit concerned replies (its first reply counts as the unit's answer; once
    every unit answered, the instruction waits for the leader's reading); the leader answers back, and may ask
    the units again with a new reply date; the office may write too."""
    roles = roles_of(by)
    units = unit_ids(instruction)
    if not rules.may_reply(roles, instruction, units):
        if instruction.status == InstructionStatus.CLOSED:
            raise ActionError(_("This instruction is closed."))
        raise Forbidden(_("Only the units concerned, the leader or the office reply to this instruction."))
    text = text.strip()
    if not text:
        raise ActionError(_("Write the reply."))
    last = instruction.replies.order_by("-created_at", "-pk").first()
    if last is not None and last.author_id == by.pk and last.text == text:
        raise ActionError(_("This reply has already been recorded."))  # a second click, seen
    mine = rules.replying_units(roles, units)
    if unit is not None:
        if unit.pk not in mine:
            raise Forbidden(_("You cannot reply for this unit."))
        mine = {unit.pk}
    as_leader = rules.is_author(roles, instruction)
    replying_unit = None if (as_leader or not mine) else (min(mine) if len(mine) > 1 else next(iter(mine)))
    again = as_leader and ask_again_within is not None
    if again and not 1 <= int(ask_again_within or 0) <= 60:
        raise ActionError(_("Give between 1 and 60 working days to reply."))
    claim(instruction, _refusal, update={"version": F("version") + 1}, status__in=OPEN,
          version=instruction.version)  # fmt: skip
    message = InstructionReply(instruction=instruction, unit_id=replying_unit, text=text, author=by)
    save_with_history(message, by=by)
    now = timezone.now()
    reason = _("replied")
    if replying_unit is not None:
        InstructionUnit.objects.filter(instruction=instruction, unit_id=replying_unit, replied_at__isnull=True)\
            .update(replied_at=now)  # fmt: skip
        waiting = InstructionUnit.objects.filter(instruction=instruction, replied_at__isnull=True).exists()
        if not waiting and instruction.status == InstructionStatus.OPEN:
            instruction.status = InstructionStatus.REPLIED
            reason = _("every unit replied")
    elif again:
        today = today or timezone.localdate()
        instruction.status = InstructionStatus.OPEN
        instruction.reply_by = add_workdays(today, int(ask_again_within or 0))
        InstructionUnit.objects.filter(instruction=instruction).update(replied_at=None, chased_on=None)
        reason = _("asked again")
    save_with_history(instruction, by=by, reason=reason)
    leader_user = instruction.leader.user
    if as_leader or roles.is_office and replying_unit is None:
        people = targets.unit_people(units, *rules.UNIT_ACTORS) if units else office_users()
        if not as_leader and leader_user is not None:
            people.append(leader_user)
    else:
        people = [leader_user] if leader_user is not None else []
    send(
        Kind.INSTRUCTION_REPLY,
        [u for u in people if u != by],
        _("Reply to the instruction on %(what)s") % {"what": targets.of_row(instruction).label},
        body=text,
        url=url(instruction),
        key=f"instruction-reply:{message.pk}",
        plan=targets.of_row(instruction).plan_id,
    )
    return message


@transaction.atomic
def close(instruction: Instruction, *, by: Any, note: str = "") -> Instruction:
    """办结: the leader who wrote it (or the office), satisfied with the replies, closes it."""
    roles = roles_of(by)
    if instruction.status == InstructionStatus.CLOSED:
        raise ActionError(_("This instruction is closed already."))
    if not rules.may_close(roles, instruction):
        raise Forbidden(_("Only the leader who wrote it or the office closes an instruction."))
    claim(instruction, _refusal, update={"status": InstructionStatus.CLOSED, "version": F("version") + 1},
          status__in=OPEN, version=instruction.version)  # fmt: skip
    instruction.closed_at = timezone.now()
    instruction.closed_by = by
    save_with_history(instruction, by=by, reason=note.strip() or _("closed"))
    return instruction


def _work_refusal(current: Instruction | None) -> str:
    if current is None:
        return _("This instruction no longer exists.")
    return _("New work was made from this instruction a moment ago.")


@transaction.atomic
def make_task(
    instruction: Instruction,
    *,
    by: Any,
    code: str,
    title: str,
    lead_unit: Unit | None,
    due: datetime.date | None = None,
    category: Category | None = None,
    co_units: Iterable[Unit] = (),
) -> Task:
    """The instruction asks for new work: a task of the plan (source 领导批示), the leader as its responsible
    leader, linked both ways (the instruction names the task; the task's page lists the instruction)."""
    if not rules.may_make_work(roles_of(by), instruction):
        raise Forbidden(_("Only the supervision office turns an instruction into a task."))
    if instruction.new_task_id or instruction.new_milestone_id:
        raise ActionError(_("New work was made from this instruction already."))
    target = targets.of_row(instruction)
    plan_id = target.plan_id
    if plan_id is None:
        raise ActionError(_("This instruction belongs to no plan."))
    claim(instruction, _work_refusal, update={"version": F("version") + 1},
          new_task__isnull=True, new_milestone__isnull=True)  # fmt: skip
    task = plan_actions.create_task(
        by=by, plan=Plan.objects.get(pk=plan_id), co_units=co_units,
        reason=_("from a leader's instruction"), code=code.strip(), title=title.strip(), lead_unit=lead_unit,
        due=due, category=category, leader=instruction.leader, source=Source.INSTRUCTION,
        goal=instruction.text,
    )  # fmt: skip
    instruction.new_task = task
    save_with_history(instruction, by=by, reason=_("made into a task"))
    return task


@transaction.atomic
def make_milestone(
    instruction: Instruction,
    *,
    by: Any,
    title: str,
    due: datetime.date,
    planned_progress: Decimal,
    task: Task | None = None,
) -> Milestone:
    """The instruction asks for a step on a task: a milestone on the task it is about (or another)."""
    if not rules.may_make_work(roles_of(by), instruction):
        raise Forbidden(_("Only the supervision office turns an instruction into a milestone."))
    if instruction.new_task_id or instruction.new_milestone_id:
        raise ActionError(_("New work was made from this instruction already."))
    task = task or instruction.task
    if task is None:
        raise ActionError(_("Choose the task the milestone belongs to."))
    claim(instruction, _work_refusal, update={"version": F("version") + 1},
          new_task__isnull=True, new_milestone__isnull=True)  # fmt: skip
    milestone = plan_actions.add_milestone(
        task, by=by, title=title.strip(), due=due, planned_progress=planned_progress,
        reason=_("from a leader's instruction"),
    )  # fmt: skip
    instruction.new_milestone = milestone
    save_with_history(instruction, by=by, reason=_("made into a milestone"))
    return milestone


def chase_overdue(today: datetime.date | None = None) -> int:
    """Chase each unit that has not replied past the reply date, once per reply date: its liaison and head,
    and the office. Each unit's row is claimed (chased_on IS NULL) and the event keyed, so reruns and
    parallel workers chase once. Returns how many units were chased."""
    today = today or timezone.localdate()
    rows = (
        InstructionUnit.objects.filter(
            instruction__status=InstructionStatus.OPEN, instruction__kind=InstructionKind.INSTRUCTION,
            instruction__reply_by__lt=today, replied_at__isnull=True, chased_on__isnull=True,
        )
        .select_related("instruction__leader", "unit")
        .order_by("pk")[:1000]
    )  # fmt: skip
    office = office_users()
    count = 0
    for link in rows:
        with transaction.atomic():
            if not InstructionUnit.objects.filter(pk=link.pk, chased_on__isnull=True).update(chased_on=today):
                continue
            instruction = link.instruction
            target = targets.of_row(instruction)
            send(
                Kind.INSTRUCTION_OVERDUE,
                [*targets.unit_people({link.unit_id}, *rules.UNIT_ACTORS), *office],
                _("%(unit)s has not replied to %(leader)s's instruction (due %(day)s): %(what)s")
                % {"unit": link.unit.label, "leader": instruction.leader.name,
                   "day": f"{instruction.reply_by:%Y-%m-%d}", "what": target.label},
                body=instruction.text,
                url=url(instruction),
                key=f"instruction-overdue:{instruction.pk}:{link.unit_id}:{instruction.reply_by:%Y%m%d}",
                unit=link.unit_id,
                plan=target.plan_id,
            )  # fmt: skip
            count += 1
    return count
