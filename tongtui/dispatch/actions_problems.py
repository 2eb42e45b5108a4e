"""Every write to problems (问题/困难): raise, answer, resolve, reopen, and the escalation of overdue ones.

Life: open → answered → resolved; an answered or resolved problem can be reopened. An open problem past
its requested answer date is escalated once (to the office and the task's leader) by the periodic sweep.
"""

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.claims import claim, same_as_seen
from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.history import save_with_history
from tongtui.dispatch.models import AddressedTo, Problem, ProblemAnswer, ProblemStatus, ProgressReport
from tongtui.dispatch.rules import UNIT_ACTORS
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Person, Role, Unit
from tongtui.orgs.recipients import office_users, users_with
from tongtui.orgs.roles import Roles, roles_of
from tongtui.plans.models import Task


def raising_units(roles: Roles, task: Task) -> set[int]:
    """The units on whose behalf the user may raise a problem on the task: its lead or co-units, or the office."""
    task_units = {task.lead_unit_id, *task.co_unit_ids()}
    units = roles.units_with(*UNIT_ACTORS) & task_units
    if roles.is_office:
        units |= roles.units_with(Role.OFFICE)
    return units


def may_answer(roles: Roles, problem: Problem) -> bool:
    """The office always; otherwise the addressee: the addressed unit's liaison or head, or the leader."""
    if roles.is_office:
        return True
    if problem.addressed_to == AddressedTo.UNIT:
        return roles.has(problem.addressed_unit_id, *UNIT_ACTORS)
    if problem.addressed_to == AddressedTo.LEADER:
        return roles.person_id is not None and roles.person_id == problem.addressed_leader_id
    return False


def may_close(roles: Roles, problem: Problem) -> bool:
    """Resolve or reopen: the unit that raised it, or the office."""
    return roles.is_office or roles.has(problem.unit_id, *UNIT_ACTORS)


def _url(problem: Problem) -> str:
    return reverse("dispatch:problem-detail", args=[problem.pk])


def _refusal(problem: Problem | None) -> str:
    """What the loser of a race is told: what happened to the problem meanwhile."""
    if problem is None:
        return _("This problem no longer exists. Reload the page.")
    said: dict[str, str] = {
        ProblemStatus.OPEN: _("This problem has just been reopened. Reload the page to see it."),
        ProblemStatus.ANSWERED: _("This problem has just been answered. Reload the page to read the answer."),
        ProblemStatus.RESOLVED: _(
            "This problem has already been marked resolved. Reload the page to see it."
        ),
    }
    return said.get(problem.status, _("Someone else changed this problem a moment ago. Reload the page."))


def addressees(problem: Problem) -> list[Any]:
    if problem.addressed_to == AddressedTo.UNIT:
        return users_with(*UNIT_ACTORS, units=[problem.addressed_unit_id])
    if problem.addressed_to == AddressedTo.LEADER:
        leader = problem.addressed_leader
        return [leader.user] if leader is not None and leader.user_id else []
    return office_users()


@transaction.atomic
def raise_problem(
    task: Task,
    *,
    by: Any,
    title: str,
    addressed_to: str,
    answer_by: datetime.date,
    description: str = "",
    report: ProgressReport | None = None,
    unit: Unit | None = None,
    addressed_unit: Unit | None = None,
) -> Problem:
    """提出问题: a unit of the task (or the office) raises a blocker, addressed to a leader, the office or a unit."""
    allowed = raising_units(roles_of(by), task)
    if unit is not None and unit.pk not in allowed:
        raise Forbidden(_("You cannot raise a problem for this unit."))
    if not allowed:
        raise Forbidden(_("Only the task's units or the supervision office can raise a problem on it."))
    unit_id = (
        unit.pk if unit is not None else (task.lead_unit_id if task.lead_unit_id in allowed else min(allowed))
    )
    if report is not None and report.task_id != task.pk:
        raise ActionError(_("The report is about another task."))
    if not title.strip():
        raise ActionError(_("Say what the problem is."))
    if addressed_to not in AddressedTo.values:
        raise ActionError(_("Choose to whom the problem is addressed."))
    leader: Person | None = task.leader if addressed_to == AddressedTo.LEADER else None
    problem = Problem(
        task=task,
        report=report,
        unit_id=unit_id,
        title=title.strip(),
        description=description.strip(),
        addressed_to=addressed_to,
        addressed_unit=addressed_unit if addressed_to == AddressedTo.UNIT else None,
        addressed_leader=leader,
        answer_by=answer_by,
        raised_by=by,
    )
    save_with_history(problem, by=by, reason=_("raised"))
    send(
        Kind.PROBLEM,
        addressees(problem),
        _("A problem waits for your answer by %(day)s: %(title)s")
        % {"day": f"{answer_by:%Y-%m-%d}", "title": problem.title},
        body=problem.description,
        url=_url(problem),
        unit=problem.addressed_unit_id,
        plan=problem.task.plan_id,
    )
    return problem


@transaction.atomic
def answer_problem(problem: Problem, *, by: Any, text: str) -> ProblemAnswer:
    """答复: the addressee (or the office) answers; the problem becomes answered. Later answers are added."""
    if not may_answer(roles_of(by), problem):
        raise Forbidden(_("Only the addressee or the supervision office can answer this problem."))
    if problem.status == ProblemStatus.RESOLVED:
        raise ActionError(_("The problem is resolved. Reopen it first."))
    if not text.strip():
        raise ActionError(_("Write the answer."))
    last = problem.answers.order_by("-answered_at", "-pk").first()
    if last is not None and last.text == text.strip() and problem.status == ProblemStatus.ANSWERED:
        raise ActionError(_("This answer has already been recorded."))  # a second click, seen
    # Later answers are added, but only by someone who has read the last one: the claim holds while the
    # problem is as the user loaded it (same status, same time of the last answer).
    now = timezone.now()
    claim(
        problem,
        _refusal,
        update={"status": ProblemStatus.ANSWERED, "answered_at": now},
        status__in=(ProblemStatus.OPEN, ProblemStatus.ANSWERED),
        **same_as_seen(problem, "status", "answered_at"),
    )
    answer = ProblemAnswer(problem=problem, text=text.strip(), answered_by=by)
    save_with_history(answer, by=by)
    save_with_history(problem, by=by, reason=_("answered"))
    raisers = {problem.raised_by, *users_with(*UNIT_ACTORS, units=[problem.unit_id])}
    send(
        Kind.PROBLEM_ANSWERED,
        [u for u in raisers if u != by],
        _("Your problem was answered: %(title)s") % {"title": problem.title},
        body=answer.text,
        url=_url(problem),
        key=f"problem-answered:{answer.pk}",
        unit=problem.unit_id,
        plan=problem.task.plan_id,
    )
    return answer


@transaction.atomic
def resolve_problem(problem: Problem, *, by: Any, note: str = "") -> Problem:
    """解决: the raising unit (or the office) says the problem is solved."""
    if not may_close(roles_of(by), problem):
        raise Forbidden(_("Only the unit that raised the problem or the supervision office can resolve it."))
    if problem.status == ProblemStatus.RESOLVED:
        raise ActionError(_("The problem is already resolved."))
    claim(  # as the user saw it: a problem reopened or answered a moment ago is read before it is resolved
        problem,
        _refusal,
        update={"status": ProblemStatus.RESOLVED},
        status__in=(ProblemStatus.OPEN, ProblemStatus.ANSWERED),
        **same_as_seen(problem, "status"),
    )
    problem.resolved_at = timezone.now()
    save_with_history(problem, by=by, reason=note.strip() or _("resolved"))
    return problem


@transaction.atomic
def reopen_problem(
    problem: Problem, *, by: Any, reason: str, answer_by: datetime.date | None = None
) -> Problem:
    """重新打开: not solved after all. With a new requested date, it may be escalated again once past it."""
    if not may_close(roles_of(by), problem):
        raise Forbidden(_("Only the unit that raised the problem or the supervision office can reopen it."))
    if problem.status == ProblemStatus.OPEN:
        raise ActionError(_("The problem is open already."))
    if not reason.strip():
        raise ActionError(_("Say why the problem is reopened."))
    claim(  # as the user saw it: a problem resolved a moment ago is not reopened over it unseen
        problem,
        _refusal,
        update={"status": ProblemStatus.OPEN},
        status__in=(ProblemStatus.ANSWERED, ProblemStatus.RESOLVED),
        **same_as_seen(problem, "status"),
    )
    problem.resolved_at = None
    if answer_by is not None and answer_by != problem.answer_by:
        problem.answer_by, problem.escalated_at = answer_by, None
    save_with_history(problem, by=by, reason=reason.strip())
    send(
        Kind.PROBLEM,
        addressees(problem),
        _("A problem was reopened: %(title)s") % {"title": problem.title},
        body=reason.strip(),
        url=_url(problem),
        unit=problem.addressed_unit_id,
        plan=problem.task.plan_id,
    )
    return problem


def escalate_overdue(now: datetime.datetime | None = None) -> int:
    """Tell the office and the task's leader, once, about each open problem past its requested date.

    Each problem is claimed with a conditional UPDATE (escalated_at IS NULL), so two workers, or a rerun,
    never escalate it twice. Returns how many were escalated.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Problem.objects.filter(
        status=ProblemStatus.OPEN, answer_by__lt=today, escalated_at__isnull=True
    ).select_related("task__leader__user")
    office = office_users()
    count = 0
    for problem in due.order_by("pk")[:1000]:
        with transaction.atomic():
            claimed = Problem.objects.filter(
                pk=problem.pk, status=ProblemStatus.OPEN, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            leader = problem.task.leader
            users = {*office, leader.user if leader is not None and leader.user_id else None}
            send(
                Kind.PROBLEM_OVERDUE,
                users,
                _("A problem is past its requested answer date (%(day)s): %(title)s")
                % {"day": f"{problem.answer_by:%Y-%m-%d}", "title": problem.title},
                body=f"{problem.task.code} {problem.task.title} · {problem.addressee_label}",
                url=_url(problem),
                key=f"problem-overdue:{problem.pk}",
            )
            count += 1
    return count
