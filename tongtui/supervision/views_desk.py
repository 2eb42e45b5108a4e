"""The office's supervision desk (督查工作台): lagging tasks, open orders, flags to verify and units that are
repeatedly late, each filterable and downloadable as .xlsx. The office and leaders only."""

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.dispatch.models import ProgressReport
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Category, Plan
from tongtui.plans.views import current_plan
from tongtui.supervision import access_orders as access
from tongtui.supervision import actions_spotchecks
from tongtui.supervision.exports import write_xlsx
from tongtui.supervision.forms_orders import DecideFlagForm
from tongtui.supervision.light_views import reason_texts, severity
from tongtui.supervision.models import (
    OPEN_CHASE,
    OPEN_ORDER,
    ChaseNotice,
    FlagKindChoice,
    FlagStatus,
    IntegrityFlag,
    LightState,
    RectificationOrder,
    TaskLight,
)
from tongtui.supervision.models.orders import WAITING_FOR_UNIT
from tongtui.supervision.views_orders import attempt

LISTS = ("lagging", "orders", "flags", "units")
ROWS = 100


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _plan(request: HttpRequest) -> Plan | None:
    year = _int(request.GET.get("plan"))
    if year:
        return Plan.objects.filter(year=year).first()
    return current_plan(request)


def lagging(plan: Plan, unit: int | None, category: int | None, light: str | None) -> QuerySet[TaskLight]:
    qs = TaskLight.objects.filter(task__plan=plan, light__in=(LightState.RED, LightState.YELLOW))
    if light in (LightState.RED, LightState.YELLOW):
        qs = qs.filter(light=light)
    if unit:
        qs = qs.filter(task__lead_unit_id=unit)
    if category:
        qs = qs.filter(task__category_id=category)
    return qs.select_related("task__lead_unit")


def worst_first(lights: QuerySet[TaskLight]) -> list[int]:
    """The keys of these lights, red before yellow, the most severe first (as the meeting agenda orders them),
    then codes in natural order.

    Severity is read from the stored reasons, so every red and yellow light of the filtered plan is read: as keys,
    reasons and codes only (a city's thousand lagging tasks as instances, each with its task and unit, took most
    of the desk's time); `in_order` reads the rows shown."""
    rows = list(lights.values_list("pk", "light", "reasons", "task__code_sort"))
    rows.sort(key=lambda row: row[3])
    rows.sort(key=lambda row: severity(row[1], row[2] or []), reverse=True)
    return [row[0] for row in rows]


def in_order(lights: QuerySet[TaskLight], keys: list[int]) -> list[TaskLight]:
    """These lights, with their tasks and lead units, in the order of `keys` (one gone since is left out)."""
    found = lights.in_bulk(keys)
    return [found[key] for key in keys if key in found]


def open_orders(plan: Plan, unit: int | None) -> QuerySet[RectificationOrder]:
    qs = RectificationOrder.objects.filter(plan=plan, status__in=OPEN_ORDER)
    if unit:
        qs = qs.filter(unit_id=unit)
    return qs.select_related("unit", "task").order_by("deadline", "pk")


def open_chases(plan: Plan, unit: int | None) -> QuerySet[ChaseNotice]:
    qs = ChaseNotice.objects.filter(plan=plan, status__in=OPEN_CHASE)
    if unit:
        qs = qs.filter(unit_id=unit)
    return qs.select_related("unit").order_by("reply_due", "pk")


def flags_to_verify(plan: Plan, unit: int | None, kind: str | None) -> QuerySet[IntegrityFlag]:
    qs = IntegrityFlag.objects.filter(plan=plan, status=FlagStatus.NEW)
    if unit:
        qs = qs.filter(unit_id=unit)
    if kind in FlagKindChoice.values:
        qs = qs.filter(kind=kind)
    return qs.select_related("task", "unit").order_by("-strength", "pk")


def late_units(plan: Plan, min_late: int = 2) -> list[dict[str, Any]]:
    """Units with at least `min_late` reports filed late this plan year, worst first."""
    rows = (
        ProgressReport.objects.filter(task__plan=plan, late_workdays__gt=0)
        .values("unit_id", "unit__name", "unit__short_name")
        .annotate(late=Count("pk"), days=Sum("late_workdays"), worst=Max("late_workdays"))
        .filter(late__gte=min_late)
        .order_by("-late", "-days", "unit__name")
    )
    return [
        {"unit_id": r["unit_id"], "unit": r["unit__short_name"] or r["unit__name"], "late": r["late"],
         "days": r["days"], "worst": r["worst"]}
        for r in rows
    ]  # fmt: skip


@login_required
def desk(request: HttpRequest) -> HttpResponseBase:
    if not roles_of(request.user).sees_all:
        raise Http404("The desk is for the office and leaders")
    plan = _plan(request)
    if plan is None:
        raise Http404("No plan")
    unit, category = _int(request.GET.get("unit")), _int(request.GET.get("category"))
    light, kind = request.GET.get("light") or None, request.GET.get("kind") or None
    lights = lagging(plan, unit, category, light)
    order = worst_first(lights)
    orders = open_orders(plan, unit)
    flags = flags_to_verify(plan, unit, kind)
    units = late_units(plan)
    export = request.GET.get("export")
    if export is not None:
        if export not in LISTS:
            raise Http404("No such list")
        return _export(export, plan, in_order(lights, order), orders, flags, units)
    lang = translation.get_language() or "zh-hans"
    lagging_rows = [(tl, reason_texts(tl.reasons or [], lang)) for tl in in_order(lights, order[:ROWS])]
    return render(
        request,
        "supervision/desk.html",
        {
            "plan": plan, "plans": Plan.objects.order_by("-year"), "nav": "desk", "today": timezone.localdate(),
            "units_all": Unit.objects.order_by("order", "name"), "categories": Category.objects.filter(plan=plan),
            "kinds": FlagKindChoice.choices, "filters": {"unit": unit, "category": category, "light": light, "kind": kind},
            "lagging": lagging_rows, "lagging_count": len(order),
            "orders": list(orders[:ROWS]), "orders_count": orders.count(),
            "overdue_count": orders.filter(status__in=WAITING_FOR_UNIT, deadline__lt=timezone.localdate()).count(),
            "chases": list(open_chases(plan, unit)[:ROWS]),
            "flags": list(flags[:ROWS]), "flags_count": flags.count(), "lang": lang,
            "late_units": units, "office": roles_of(request.user).is_office, "decide_form": DecideFlagForm(),
            "query": request.GET.urlencode(),
        },
    )  # fmt: skip


def _export(name: str, plan: Plan, lights: Any, orders: Any, flags: Any, units: Any) -> FileResponse:
    out = io.BytesIO()
    today = timezone.localdate()
    if name == "lagging":
        headers = ["任务编号", "任务名称", "牵头单位", "灯", "原因", "预计完成"]
        rows: Any = (
            (tl.task.code, tl.task.title, tl.task.lead_unit.label if tl.task.lead_unit else "",
             tl.get_light_display(), "\n".join(reason_texts(tl.reasons or [])), tl.forecast_finish)
            for tl in lights
        )  # fmt: skip
    elif name == "orders":
        headers = ["单位", "任务编号", "问题", "整改要求", "下达日期", "整改时限", "状态", "是否逾期"]
        rows = (
            (o.unit.label, o.task.code if o.task else "", o.problem, o.requirement, o.issued_on, o.deadline,
             o.get_status_display(), "是" if o.is_overdue(today) else "")
            for o in orders.iterator()
        )  # fmt: skip
    elif name == "flags":
        headers = ["任务编号", "单位", "期间", "类型", "强度", "原因"]
        rows = (
            (f.task.code, f.unit.label if f.unit else "", f.period, f.get_kind_display(), f.strength, f.reason)
            for f in flags.iterator()
        )  # fmt: skip
    else:
        headers = ["单位", "迟报次数", "迟报工作日合计", "最长迟报工作日"]
        rows = ((u["unit"], u["late"], u["days"], u["worst"]) for u in units)
    with translation.override("zh-hans"):
        write_xlsx(out, name, headers, list(rows))
    out.seek(0)
    filename = f"{plan.year}-{name}-{today:%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename)


@login_required
@require_POST
def flag_decide(request: HttpRequest, pk: int) -> HttpResponse:
    flag = access.get_or_404(access.flags_visible_to(request.user), pk)
    if not roles_of(request.user).is_office:
        raise Http404("Only the office decides on flags")
    form = DecideFlagForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: actions_spotchecks.decide_flag(flag, by=request.user, **form.cleaned_data),
            _("Flag updated."),
        )
    return redirect("supervision:desk")
