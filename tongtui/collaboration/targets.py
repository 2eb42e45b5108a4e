"""What an instruction or a comment is about, seen through the owning app's access module: a task
(plans.access), a progress report (dispatch.access), a problem (dispatch.access_problems), a bulletin
(publicity.access). One cannot see the target: 404, exactly as on the target's own page."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from tongtui.collaboration.models import TARGET_FIELDS, TargetKind
from tongtui.dispatch import access as report_access
from tongtui.dispatch import access_problems
from tongtui.dispatch.models import Problem, ProgressReport
from tongtui.orgs.models import Membership
from tongtui.orgs.roles import roles_of
from tongtui.plans.access import get_task_for, tasks_visible_to
from tongtui.plans.models import Task
from tongtui.publicity import access as bulletin_access
from tongtui.publicity.models import Bulletin, BulletinStatus


@dataclass
class Target:
    kind: str
    obj: Any
    task: Task | None  # the task it is about (none for a bulletin)

    @property
    def label(self) -> str:
        return label_of(self.kind, self.obj)

    @property
    def url(self) -> str:
        return url_of(self.kind, self.obj.pk)

    @property
    def fields(self) -> dict[str, Any]:
        """The keys of a row about this target."""
        out: dict[str, Any] = {"target_kind": self.kind, TARGET_FIELDS[TargetKind(self.kind)]: self.obj}
        if self.task is not None:
            out["task"] = self.task
        return out

    @property
    def plan_id(self) -> int | None:
        if self.task is not None:
            return self.task.plan_id
        return getattr(self.obj, "plan_id", None)


def url_of(kind: str, pk: int) -> str:
    return {
        TargetKind.TASK: lambda: reverse("task-detail", args=[pk]),
        TargetKind.REPORT: lambda: reverse("dispatch:report-detail", args=[pk]),
        TargetKind.PROBLEM: lambda: reverse("dispatch:problem-detail", args=[pk]),
        TargetKind.BULLETIN: lambda: reverse("publicity:detail", args=[pk]),
    }[TargetKind(kind)]()


def label_of(kind: str, obj: Any) -> str:
    if kind == TargetKind.TASK:
        return f"{obj.code} {obj.title}"
    if kind == TargetKind.REPORT:
        return f"{obj.task.code} {obj.task.title} · {obj.period_start:%Y-%m-%d}"
    if kind == TargetKind.PROBLEM:
        return obj.title
    return obj.document_number or obj.title


def resolve(user: Any, kind: str, pk: Any) -> Target:
    """The target if the user may see it, else 404."""
    if kind == TargetKind.TASK:
        task = get_task_for(user, pk)
        return Target(kind, task, task)
    if kind == TargetKind.REPORT:
        report = report_access.get_report_for(user, pk)
        return Target(kind, report, report.task)
    if kind == TargetKind.PROBLEM:
        problem = access_problems.get_problem_for(user, pk)
        return Target(kind, problem, problem.task)
    if kind == TargetKind.BULLETIN:
        try:
            bulletin = bulletin_access.get_for(user, int(pk))
        except (TypeError, ValueError):
            raise Http404("No such bulletin") from None
        return Target(kind, bulletin, None)
    raise Http404("Nothing of that kind")


def of_row(row: Any) -> Target:
    """The target of a stored instruction or comment (no access check: the row was found in scope)."""
    obj = row.target
    return Target(row.target_kind, obj, row.task if row.target_kind != TargetKind.BULLETIN else None)


def visible_q(user: Any, *, bulletins: bool = True) -> Q:
    """Rows (instructions, comments) about targets the user can see, as one filter: kind by kind, each
    through the target's own access module."""
    if roles_of(user).sees_all:
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(target_kind=TargetKind.TASK, task__in=tasks_visible_to(user).values("pk"))
    q |= Q(
        target_kind=TargetKind.REPORT,
        report__in=report_access.reports_visible_to(user).values("pk"),
    )
    q |= Q(
        target_kind=TargetKind.PROBLEM,
        problem__in=access_problems.problems_visible_to(user).values("pk"),
    )
    if bulletins:
        q |= Q(target_kind=TargetKind.BULLETIN, bulletin__in=bulletin_access.visible_to(user).values("pk"))
    return q


def sees(user: Any, target: Target, *, active_only: bool = True) -> bool:
    """Whether this user (someone mentioned, say) can see the target: the same access modules. An actor may be
    an inactive account (commands act as the system account); someone to notify must be able to log in."""
    if user is None or (active_only and not user.is_active):
        return False
    model = type(target.obj)
    if model is Task:
        qs: QuerySet[Any] = tasks_visible_to(user)
    elif model is ProgressReport:
        qs = report_access.reports_visible_to(user)
    elif model is Problem:
        qs = access_problems.problems_visible_to(user)
    elif model is Bulletin:
        qs = bulletin_access.visible_to(user)
    else:
        return False
    return qs.filter(pk=target.obj.pk).exists()


def units_that_see(target: Target) -> set[int] | None:
    """The units whose people see the target (None: every unit). The units an instruction concerns come from
    these, so that nobody is asked to reply about something they cannot open."""
    if target.kind in (TargetKind.TASK, TargetKind.REPORT):
        task = target.task
        assert task is not None
        units = task.co_unit_ids()
        if task.lead_unit_id:
            units.add(task.lead_unit_id)
        return units
    if target.kind == TargetKind.PROBLEM:
        p = target.obj
        return {u for u in (p.unit_id, p.addressed_unit_id) if u}
    if target.obj.status == BulletinStatus.PUBLISHED:
        return None
    return set()


def default_units(target: Target) -> set[int]:
    """Who replies unless the leader says otherwise: the task's lead unit; the report's unit; the unit that
    raised the problem."""
    if target.kind == TargetKind.TASK:
        return {target.task.lead_unit_id} if target.task and target.task.lead_unit_id else set()
    if target.kind == TargetKind.REPORT:
        return {target.obj.unit_id}
    if target.kind == TargetKind.PROBLEM:
        return {target.obj.unit_id}
    return set()


def unit_people(unit_ids: set[int], *roles: str) -> list[Any]:
    rows = Membership.objects.filter(unit_id__in=unit_ids, role__in=roles, person__user__isnull=False)
    return list({m.person.user for m in rows.select_related("person__user")})
