"""API for bulk work on tasks (office only): 交办, the responsible leader, the responsible person, the category
and a report cycle of their own for many tasks at once, and their ledger (台账).

The same batch actions and rules as the task list's bulk pages. The selection is a list of task ids or the
task list's filters (run on the server, as GET /api/tasks/ would); `dry_run` says what would happen and
writes nothing. Every answer lists the tasks done, those already so, and those refused with the reason.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api.schema import CONFLICT
from tongtui.api.views import ApiViewSet
from tongtui.dispatch.actions_batch import (
    check_rule,
    complete_rule,
    plan_cycles,
    set_report_cycles,
    task_cycles,
)
from tongtui.dispatch.serializers_bulk import (
    CategoryBodySerializer,
    CycleBodySerializer,
    LeaderBodySerializer,
    OutcomeSerializer,
    OwnerBodySerializer,
    SelectionSerializer,
    filter_query,
)
from tongtui.plans.access import tasks_visible_to
from tongtui.plans.actions_batch import (
    Outcome,
    assign_tasks,
    load,
    plan_assignment,
    plan_field,
    set_field,
)
from tongtui.plans.filters import TaskFilter
from tongtui.plans.models import Plan, Task
from tongtui.plans.views_ledger import XLSX, ledger_file


def bulk(summary: str, body: type[serializers.Serializer], *, conflict: bool = False) -> Any:
    responses: dict[int, Any] = {200: OutcomeSerializer}
    if conflict:  # tasks found assigned under the batch's own lock: not expected, but answered, not hidden
        responses[409] = CONFLICT
    return extend_schema(summary=summary, request=body, responses=responses, tags=["bulk"])


class TaskBulkViewSet(ApiViewSet):
    """Bulk work on key tasks (重点工作) for the supervision office."""

    office_actions = ("assign", "set_leader", "set_owner", "set_category", "set_report_cycle", "ledger")
    bodies: dict[str, type[serializers.Serializer]] = {
        "set_leader": LeaderBodySerializer,
        "set_owner": OwnerBodySerializer,
        "set_category": CategoryBodySerializer,
        "set_report_cycle": CycleBodySerializer,
    }

    def get_serializer_class(self) -> Any:
        return self.bodies.get(self.action, SelectionSerializer)

    def get_queryset(self) -> QuerySet[Task]:
        return tasks_visible_to(self.request.user)

    def selection(self, body: dict[str, Any]) -> tuple[QuerySet[Task], Plan | None]:
        """The selected tasks the user may see, and the plan year the filter names."""
        visible = self.get_queryset()
        if "tasks" in body:
            ids = set(body["tasks"])
            found = set(visible.filter(pk__in=ids).values_list("pk", flat=True))
            missing = sorted(ids - found)
            if missing:
                raise ValidationError(
                    {"tasks": [_("No such task: %(ids)s.") % {"ids": ", ".join(map(str, missing[:20]))}]}
                )
            return visible.filter(pk__in=ids), None
        filterset = TaskFilter(filter_query(body["filter"]), queryset=visible, request=self.request)
        if not filterset.is_valid():
            raise ValidationError({"filter": filterset.errors})
        return filterset.qs, filterset.form.cleaned_data.get("plan")

    def answer(self, op: str, body: dict[str, Any], selected: int, outcome: Outcome) -> Response:
        data = {
            "operation": op,
            "dry_run": body["dry_run"],
            "selected": selected,
            "done": [t.pk for t in outcome.done],
            "unchanged": [t.pk for t in outcome.unchanged],
            "refused": [
                {"task": t.pk, "code": t.code, "status": t.status, "reason": why} for t, why in outcome.refused
            ],
        }
        return Response(OutcomeSerializer(data).data)

    def run(self, request: Request, op: str) -> Response:
        body_serializer = self.get_serializer(data=request.data)
        body_serializer.is_valid(raise_exception=True)
        body = body_serializer.validated_data
        tasks, _plan = self.selection(body)
        by, reason = request.user, body.get("reason", "")
        if body["dry_run"]:
            rows = load(tasks)
            return self.answer(op, body, len(rows), preview(op, rows, body))
        selected = tasks.count()
        if op == "assign":
            outcome = assign_tasks(tasks, by=by, reason=reason)
        elif op == "cycle":
            outcome = set_report_cycles(tasks, by=by, reason=reason, **body["cycle"])
        else:
            outcome = set_field(tasks, op, body[op], by=by, reason=reason)
        return self.answer(op, body, selected, outcome)

    @bulk(
        "Assign (交办) the selected tasks that are in draft and have what assigning needs",
        SelectionSerializer,
        conflict=True,
    )
    @action(detail=False, methods=["post"])
    def assign(self, request: Request) -> Response:
        return self.run(request, "assign")

    @bulk("Set the responsible leader of the selected open tasks", LeaderBodySerializer)
    @action(detail=False, methods=["post"], url_path="set-leader")
    def set_leader(self, request: Request) -> Response:
        return self.run(request, "leader")

    @bulk("Set the responsible person of the selected open tasks", OwnerBodySerializer)
    @action(detail=False, methods=["post"], url_path="set-owner")
    def set_owner(self, request: Request) -> Response:
        return self.run(request, "owner")

    @bulk("Set the category of the selected open tasks", CategoryBodySerializer)
    @action(detail=False, methods=["post"], url_path="set-category")
    def set_category(self, request: Request) -> Response:
        return self.run(request, "category")

    @bulk("Give the selected open tasks a report cycle (报送周期) of their own", CycleBodySerializer)
    @action(detail=False, methods=["post"], url_path="set-report-cycle")
    def set_report_cycle(self, request: Request) -> Response:
        return self.run(request, "cycle")

    @extend_schema(
        summary="The ledger (台账) of the selected tasks, as .xlsx (tasks of one plan year)",
        request=SelectionSerializer,
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The ledger file.")},
        tags=["bulk"],
    )
    @action(detail=False, methods=["post"])
    def ledger(self, request: Request) -> HttpResponseBase:
        body_serializer = self.get_serializer(data=request.data)
        body_serializer.is_valid(raise_exception=True)
        tasks, plan = self.selection(body_serializer.validated_data)
        if plan is None:
            years = list(tasks.order_by().values_list("plan", flat=True).distinct()[:2])
            if len(years) != 1:
                raise ValidationError(
                    {"tasks": [_("Select tasks of one plan year to download their ledger.")]}
                )
            plan = Plan.objects.get(pk=years[0])
        return ledger_file(plan, tasks, request.user)


def preview(op: str, rows: list[Task], body: dict[str, Any]) -> Outcome:
    """What the operation would do, checked as the run would check it (a cycle's rule included)."""
    if op == "assign":
        return plan_assignment(rows)
    if op == "cycle":
        rule = complete_rule(body["cycle"])
        check_rule(rule)
        return plan_cycles(rows, task_cycles(t.pk for t in rows), rule)
    return plan_field(rows, op, body[op])


routes = [("bulk/tasks", TaskBulkViewSet, "task-bulk")]
