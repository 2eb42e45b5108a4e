"""Unit pages. Units are visible to every logged-in user; the tasks shown inside stay scoped by access.

These views live in plans, not orgs, because they show tasks: orgs stands below plans and must not import it.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from tongtui.orgs.models import Membership, Role, Unit, UnitAlias, UnitKind
from tongtui.orgs.roles import roles_of
from tongtui.plans.access import tasks_visible_to
from tongtui.plans.models import CoUnit, Plan, TaskStatus
from tongtui.plans.views import current_plan

TASK_LIMIT = 100
ROLE_ORDER = Case(
    *(When(role=r, then=Value(i)) for i, r in enumerate(Role.values)), output_field=IntegerField()
)


def _plan_from(request: HttpRequest) -> Plan | None:
    plan_id = request.GET.get("plan", "")
    if plan_id.isdigit():
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is not None:
            return plan
    return current_plan(request)


def _tree_order(units: list[Unit]) -> list[tuple[Unit, int]]:
    """Units in depth-first order of the tree, each with its depth."""
    children: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    ordered: list[tuple[Unit, int]] = []
    stack = [(u, 0) for u in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        ordered.append((unit, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(unit.pk, [])))
    return ordered


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    plan = _plan_from(request)
    visible = tasks_visible_to(request.user).filter(plan=plan)
    led = dict(visible.order_by().values("lead_unit").annotate(n=Count("pk")).values_list("lead_unit", "n"))
    co = dict(
        CoUnit.objects.filter(task__in=visible.values("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    units = list(
        Unit.objects.filter(is_active=True).only("pk", "name", "short_name", "kind", "parent_id", "order")
    )
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for unit, depth in _tree_order(units):
        by_kind.setdefault(unit.kind, []).append(
            {"unit": unit, "depth": depth, "led": led.get(unit.pk, 0), "co": co.get(unit.pk, 0)}
        )
    groups = []
    for kind, label in UnitKind.choices:
        rows = by_kind.get(kind)
        if rows:
            top = min(r["depth"] for r in rows)
            for row in rows:
                row["indent"] = min(row["depth"] - top, 3)
            groups.append({"kind": kind, "label": label, "rows": rows})
    context = {"nav": "units", "groups": groups, "plan": plan, "plans": Plan.objects.all()}
    return render(request, "orgs/unit_list.html", context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    roles = roles_of(request.user)
    plan = _plan_from(request)
    visible = tasks_visible_to(request.user).filter(plan=plan)
    led = visible.filter(lead_unit=unit)
    co = visible.filter(co_unit_links__unit=unit)
    may_see_members = roles.sees_all or unit.pk in roles.unit_ids
    members = (
        list(
            Membership.objects.filter(unit=unit).select_related("person").order_by(ROLE_ORDER, "person__name")
        )
        if may_see_members
        else None
    )
    labels = dict(TaskStatus.choices)

    def counts(qs: Any) -> dict[str, int]:
        return dict(qs.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))

    led_counts, co_counts = counts(led), counts(co)
    status_rows = [
        {"status": s, "label": labels[s], "led": led_counts.get(s, 0), "co": co_counts.get(s, 0)}
        for s in TaskStatus.values
        if led_counts.get(s) or co_counts.get(s)
    ]
    order = ("code_sort", "code")
    context = {
        "nav": "units",
        "unit": unit,
        "aliases": list(unit.aliases.all()),
        "groups": list(unit.groups.all()),
        "children": list(unit.children.filter(is_active=True)),
        "members": members,
        "plan": plan,
        "plans": Plan.objects.all(),
        "led_tasks": list(led.select_related("lead_unit", "leader").order_by(*order)[:TASK_LIMIT]),
        "co_tasks": list(co.select_related("lead_unit", "leader").order_by(*order)[:TASK_LIMIT]),
        "led_total": sum(led_counts.values()),
        "co_total": sum(co_counts.values()),
        "status_rows": status_rows,
        "limit": TASK_LIMIT,
    }
    return render(request, "orgs/unit_detail.html", context)


SUGGESTED = 20


@login_required
def unit_suggest(request: HttpRequest) -> JsonResponse:
    """Active units whose name, short name or another written name holds `q`, for the unit box of a list whose
    units are too many for a drop-down: at most SUGGESTED, those whose name starts with `q` first."""
    q = " ".join((request.GET.get("q") or "").split())[:50]
    if not q:
        return JsonResponse({"units": []})
    written = UnitAlias.objects.filter(name__icontains=q).values("unit_id")
    found = Unit.objects.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(pk__in=written), is_active=True)
    starts = Case(When(Q(name__istartswith=q) | Q(short_name__istartswith=q), then=Value(0)), default=Value(1),
                  output_field=IntegerField())  # fmt: skip
    units = found.order_by(starts, "order", "name").only("pk", "name", "short_name")[:SUGGESTED]
    return JsonResponse({"units": [{"id": u.pk, "label": u.label, "name": u.name} for u in units]})
