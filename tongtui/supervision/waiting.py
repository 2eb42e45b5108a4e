"""Supervision's piles for the home pages: rectification orders and chase notices to answer or past their
deadline, integrity flags to verify, a unit's red and yellow tasks. A fixed number of queries each."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tongtui.core.piles import TOP, Item, Pile
from tongtui.core.templatetags.tongtui_ui import light_class
from tongtui.core.workdays import WorkCalendar
from tongtui.dispatch.acknowledging import Deadline
from tongtui.plans.models import Task
from tongtui.supervision.access_chases import chases_visible_to
from tongtui.supervision.access_orders import flags_visible_to, orders_visible_to
from tongtui.supervision.models import ChaseStatus, FlagStatus, LightState
from tongtui.supervision.models.orders import WAITING_FOR_UNIT

DONE = ("closed", "cancelled")
RED_FIRST = Case(
    When(light_state__light=LightState.RED, then=Value(0)), default=Value(1), output_field=IntegerField()
)


def _url(name: str, **params: Any) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def orders_and_chases(
    user: Any, unit_ids: Iterable[int], today: datetime.date, cal: WorkCalendar
) -> tuple[Pile, Pile]:
    """Orders the units must rectify and chase notices they must reply to, soonest deadline first."""
    units = list(unit_ids)
    orders_qs = orders_visible_to(user).filter(unit_id__in=units, status__in=WAITING_FOR_UNIT)
    chases_qs = chases_visible_to(user).filter(unit_id__in=units, status=ChaseStatus.ISSUED)
    orders = list(orders_qs.select_related("unit").order_by("deadline", "pk")[: TOP + 1])
    chases = list(chases_qs.select_related("unit").order_by("reply_due", "pk")[: TOP + 1])
    order_items = [
        Item(
            label=o.problem[:60],
            url=reverse("supervision:order-detail", args=[o.pk]),
            detail=o.unit.label,
            deadline=Deadline.of(o.deadline, today, cal),
        )
        for o in orders[:TOP]
    ]
    chase_items = [
        Item(
            label=f"{c.number} {c.subject}",
            url=reverse("supervision:chase-detail", args=[c.pk]),
            detail=c.unit.label,
            deadline=Deadline.of(c.reply_due, today, cal),
            tag=c.get_level_display().replace("：", ":").split(":")[0],
            tag_css={"red": "text-bg-danger", "yellow": "text-bg-warning", "blue": "text-bg-primary"}.get(
                c.level, "text-bg-secondary"
            ),
        )
        for c in chases[:TOP]
    ]
    return (
        Pile(
            "orders", _("Rectification orders to answer"),
            len(orders) if len(orders) <= TOP else orders_qs.count(),
            _url("supervision:order-list", state="open"), order_items,
            urgent=sum(1 for i in order_items if i.deadline.passed),
        ),
        Pile(
            "chases", _("Chase notices to answer"),
            len(chases) if len(chases) <= TOP else chases_qs.count(),
            _url("supervision:chase-list", state=ChaseStatus.ISSUED), chase_items,
            urgent=sum(1 for i in chase_items if i.deadline.passed),
        ),
    )  # fmt: skip


def past_deadline(user: Any, today: datetime.date) -> Pile:
    """The office: orders and chase notices past their deadline, counted (one query each)."""
    orders = orders_visible_to(user).filter(status__in=WAITING_FOR_UNIT, deadline__lt=today).count()
    chases = chases_visible_to(user).filter(status=ChaseStatus.ISSUED, reply_due__lt=today).count()
    return Pile(
        "past_deadline",
        _("Orders and chase notices past their deadline"),
        orders + chases,
        _url("supervision:order-list", state="overdue"),
        rows=[
            {
                "unit": _("Rectification orders"),
                "count": orders,
                "url": _url("supervision:order-list", state="overdue"),
            },
            {
                "unit": _("Chase notices"),
                "count": chases,
                "url": _url("supervision:chase-list", state="overdue"),
            },
        ],  # fmt: skip
        urgent=orders + chases,
    )


def new_flags(user: Any, plan_id: int | None) -> Pile:
    """Integrity flags not yet verified, by kind (one query)."""
    qs = flags_visible_to(user).filter(status=FlagStatus.NEW)
    if plan_id is not None:
        qs = qs.filter(plan_id=plan_id)
    by_kind = list(qs.values("kind").annotate(n=Count("pk")).order_by("-n", "kind"))
    labels = dict(qs.model._meta.get_field("kind").choices or [])  # type: ignore[arg-type]
    return Pile(
        "flags",
        _("New integrity flags"),
        sum(r["n"] for r in by_kind),
        _url("supervision:desk", plan=plan_id) + "#flags",
        rows=[
            {
                "unit": str(labels.get(r["kind"], r["kind"])),
                "count": r["n"],
                "url": _url("supervision:desk", plan=plan_id, kind=r["kind"]) + "#flags",
            }
            for r in by_kind[:TOP]
        ],  # fmt: skip
    )


def unit_lights(unit_ids: Iterable[int], plan_id: int | None) -> Pile:
    """The units' red and yellow tasks (as lead unit), worst first, with their counts by light."""
    units = list(unit_ids)
    tasks = Task.objects.filter(lead_unit_id__in=units).exclude(status__in=DONE)
    if plan_id is not None:
        tasks = tasks.filter(plan_id=plan_id)
    bad = tasks.filter(light_state__light__in=[LightState.RED, LightState.YELLOW])
    counts = bad.aggregate(
        red=Count("pk", filter=Q(light_state__light=LightState.RED)),
        yellow=Count("pk", filter=Q(light_state__light=LightState.YELLOW)),
    )
    worst = list(
        bad.select_related("light_state", "lead_unit").order_by(
            RED_FIRST, F("light_state__forecast_slip").desc(nulls_last=True), "due", "pk"
        )[:TOP]
    )
    one = units[0] if len(units) == 1 else None
    return Pile(
        "lights",
        _("Red and yellow tasks"),
        counts["red"] + counts["yellow"],
        _url("task-list", plan=plan_id, lead_unit=one, light="red"),
        [
            Item(
                label=f"{t.code} {t.title}",
                url=reverse("task-detail", args=[t.pk]),
                detail=t.lead_unit.label if t.lead_unit else "",
                tag=t.light_state.get_light_display().replace("：", ":").split(":")[0],
                tag_css=light_class(t.light_state.light),
            )
            for t in worst
        ],
        rows=[
            {
                "unit": _("Red"),
                "count": counts["red"],
                "light": "red",
                "url": _url("task-list", plan=plan_id, lead_unit=one, light="red"),
            },
            {
                "unit": _("Yellow"),
                "count": counts["yellow"],
                "light": "yellow",
                "url": _url("task-list", plan=plan_id, lead_unit=one, light="yellow"),
            },
        ],  # fmt: skip
        urgent=counts["red"],
    )
