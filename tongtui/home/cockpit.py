"""领导驾驶舱: the plan (or one leader's tasks) in SQL aggregates, a fixed number of queries whatever its size.

Every figure carries the URL of the filtered list behind it, for the charts' click handler and for the
plain tables shown without JavaScript.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tongtui.assessment.models import RankingPublication
from tongtui.assessment.ranking import period_ending
from tongtui.assessment.tables import ranked
from tongtui.core.piles import Pile
from tongtui.core.workdays import WorkCalendar
from tongtui.dispatch import waiting as dispatch_waiting
from tongtui.orgs.models import Unit
from tongtui.plans.filters import week_of
from tongtui.plans.models import Milestone, Plan, Task, TaskStatus
from tongtui.supervision.models import LightHistory, LightState, TaskLight
from tongtui.supervision.recompute import reason_text

LIGHTS = [LightState.RED, LightState.YELLOW, LightState.GREEN, LightState.GREY, LightState.BLUE]
COLOURS = {"red": "#d63333", "yellow": "#f0ad00", "green": "#2e9d4f", "grey": "#9aa0a6", "blue": "#3b6fd8"}
DONE = (TaskStatus.CLOSED, TaskStatus.CANCELLED)
TOP = 10
RED_FIRST = Case(
    When(light=LightState.RED, then=Value(0)),
    When(light=LightState.YELLOW, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def tasks_url(plan: Plan, leader_id: int | None = None, **params: Any) -> str:
    query = {"plan": plan.pk, "leader": leader_id, **params}
    return reverse("task-list") + "?" + urlencode({k: v for k, v in query.items() if v not in (None, "")})


@dataclass
class Cockpit:
    plan: Plan
    leader_id: int | None
    today: datetime.date
    lights: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    trend: dict[str, Any] = field(default_factory=dict)
    by_category: list[dict[str, Any]] = field(default_factory=list)
    by_unit: list[dict[str, Any]] = field(default_factory=list)
    by_leader: list[dict[str, Any]] = field(default_factory=list)
    milestones_week: list[Milestone] = field(default_factory=list)
    milestones_overdue: list[Milestone] = field(default_factory=list)
    milestone_counts: dict[str, int] = field(default_factory=dict)
    on_time: list[dict[str, Any]] = field(default_factory=list)
    escalated: Pile | None = None
    lagging: list[dict[str, Any]] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    ranking: dict[str, Any] = field(default_factory=dict)

    @property
    def exceptions(self) -> int:
        return sum(row["count"] for row in self.lights if row["light"] in ("red", "yellow"))

    def chart_data(self) -> dict[str, Any]:
        """What cockpit.js draws: every point names its URL."""
        return {
            "lights": [
                {"name": r["label"], "value": r["count"], "url": r["url"],
                 "itemStyle": {"color": COLOURS[r["light"]]}}
                for r in self.lights if r["count"]
            ],
            "trend": self.trend,
            "by_category": _bars(self.by_category),
            "by_unit": _bars(self.by_unit),
            "by_leader": _bars(self.by_leader),
            "on_time": {
                "names": [r["unit"] for r in self.on_time],
                "values": [{"value": r["rate"], "url": r["url"]} for r in self.on_time],
            },
            "labels": {"actual": _("Actual progress"), "planned": _("Planned progress"),
                       "rate": _("On-time rate (%)")},
        }  # fmt: skip


def _bars(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "names": [r["name"] for r in rows],
        "actual": [{"value": r["actual"], "url": r["url"]} for r in rows],
        "planned": [{"value": r["planned"], "url": r["url"]} for r in rows],
    }


def trend_days(year: int, today: datetime.date) -> list[datetime.date]:
    """Every seventh day of the plan year back from today (or from its last day), oldest first."""
    day = min(today, datetime.date(year, 12, 31))
    days = []
    while day.year == year:
        days.append(day)
        day -= datetime.timedelta(days=7)
    return days[::-1]


def scope(plan: Plan, leader_id: int | None) -> QuerySet[Task]:
    """The tasks the cockpit counts: the plan's leaf tasks (a parent is measured by its sub-tasks)."""
    tasks = Task.objects.filter(plan=plan).exclude(Exists(Task.objects.filter(parent=OuterRef("pk"))))
    if leader_id is not None:
        tasks = tasks.filter(leader_id=leader_id)
    return tasks


def build(
    user: Any, plan: Plan, today: datetime.date, cal: WorkCalendar, leader_id: int | None = None
) -> Cockpit:
    c = Cockpit(plan=plan, leader_id=leader_id, today=today)
    tasks = scope(plan, leader_id)
    ids = tasks.values("pk")
    link = lambda **p: tasks_url(plan, leader_id, **p)  # noqa: E731

    # 1. Counts by light (tasks without a computed light count as grey).
    counts = dict(
        tasks.annotate(l=Coalesce(F("light_state__light"), Value(LightState.GREY.value)))
        .values_list("l")
        .annotate(n=Count("pk"))
        .order_by()
    )
    c.total = sum(counts.values())
    c.lights = [
        {"light": str(s.value), "label": str(s.label).replace("：", ":").split(":")[0], "count": counts.get(s.value, 0),
         "url": link(light=s.value)}
        for s in LIGHTS
    ]  # fmt: skip

    # 2. The trend over the year, a point a week back from today: one row per (day, light).
    rows = (
        LightHistory.objects.filter(task__in=ids, date__in=trend_days(plan.year, today))
        .values_list("date", "light")
        .annotate(n=Count("pk"))
        .order_by("date")
    )
    days: dict[datetime.date, dict[str, int]] = {}
    for day, light, n in rows:
        days.setdefault(day, {})[light] = n
    dates = sorted(days)
    c.trend = {
        "dates": [d.isoformat() for d in dates],
        "series": [
            {"light": str(s.value), "name": str(s.label).replace("：", ":").split(":")[0], "color": COLOURS[s.value],
             "url": link(light=s.value), "values": [days[d].get(s.value, 0) for d in dates]}
            for s in LIGHTS if s.value in ("red", "yellow", "green")
        ],
    }  # fmt: skip

    # 3. Progress against plan by category, lead unit and leader (stored light: actual and planned).
    def progress_by(
        key: str, name_fields: tuple[str, ...], param: str, limit: int | None
    ) -> list[dict[str, Any]]:
        qs = (
            TaskLight.objects.filter(task__in=ids)
            .exclude(task__status__in=DONE)
            .values(key, *name_fields)
            .annotate(actual=Avg("actual_progress"), planned=Avg("planned_progress"), n=Count("pk"),
                      red=Count("pk", filter=Q(light=LightState.RED)))
            .order_by()
        )  # fmt: skip
        out = []
        for r in qs:
            if r[key] is None:
                continue
            actual, planned = round(r["actual"] or 0, 1), round(r["planned"] or 0, 1)
            name = next((r[f] for f in name_fields if r[f]), "")
            out.append({"id": r[key], "name": name, "actual": actual, "planned": planned,
                        "gap": round(planned - actual, 1), "tasks": r["n"], "red": r["red"]})  # fmt: skip
        out.sort(key=lambda r: (-r["gap"], r["name"]))
        out = out[:limit] if limit else out
        for r in out:  # links for the rows shown only (a province has 10,000 lead units)
            r["url"] = link(**{param: r["id"]})
        return out

    c.by_category = progress_by("task__category_id", ("task__category__name",), "category", None)
    c.by_unit = progress_by("task__lead_unit_id", ("task__lead_unit__short_name", "task__lead_unit__name"),
                            "lead_unit", 15)  # fmt: skip
    c.by_leader = (
        progress_by("task__leader_id", ("task__leader__name",), "leader", None) if leader_id is None else []
    )

    # 4. Milestones due this week and overdue, not done.
    monday, sunday = week_of(today)
    open_ms = Milestone.objects.filter(task__in=ids, done_on__isnull=True).exclude(task__status__in=DONE)
    c.milestone_counts = open_ms.aggregate(
        week=Count("pk", filter=Q(due__gte=monday, due__lte=sunday)),
        overdue=Count("pk", filter=Q(due__lt=today)),
    )
    listed = list(
        open_ms.filter(due__lte=sunday).select_related("task__lead_unit").order_by("due", "pk")[: 2 * TOP]
    )
    c.milestones_overdue = [m for m in listed if m.due < today][:TOP]
    c.milestones_week = [m for m in listed if monday <= m.due <= sunday and m.due >= today][:TOP]
    for m in listed:
        m.late = cal.workdays_between(m.due, today) if m.due < today else 0  # type: ignore[attr-defined]
    c.links["milestones_week"] = link(milestone="week")
    c.links["milestones_overdue"] = link(milestone="overdue")
    c.links["overdue"] = link(overdue="true")

    # 5. Report on-time rate by lead unit (the worst first).
    rates = dispatch_waiting.on_time_rates(plan.pk, leader_id=leader_id)
    c.on_time = [{**r, "url": link(lead_unit=r["unit_id"])} for r in [r for r in rates if r["rate"] is not None][:15]]

    # 6. Problems put to the leader.
    c.escalated = (
        dispatch_waiting.escalated_pile(user, today, cal, leader_id=leader_id) if leader_id else None
    )

    # 7. The most lagging tasks, with their reasons.
    lang = translation.get_language() or "zh-hans"
    lagging = (
        TaskLight.objects.filter(task__in=ids, light__in=[LightState.RED, LightState.YELLOW])
        .select_related("task__lead_unit")
        .order_by(RED_FIRST, F("forecast_slip").desc(nulls_last=True), "task__due", "pk")[:TOP]
    )
    c.lagging = [
        {"task": tl.task, "light": tl.light, "label": tl.get_light_display().replace("：", ":").split(":")[0],
         "actual": tl.actual_progress, "planned": tl.planned_progress, "slip": tl.forecast_slip,
         "reasons": [reason_text(r, lang) for r in (tl.reasons or [])][:3],
         "url": reverse("task-detail", args=[tl.task_id])}
        for tl in lagging
    ]  # fmt: skip
    c.links["exceptions"] = link(light="red")

    # 8. The units' standing this quarter, each group's first and last places (assessment's ledger).
    c.ranking = standing(plan, today)
    return c


def ends_of(rows: list[Any], ends: int) -> list[Any]:
    """The first and last `ends` rows with None for the gap between them; all of them when few."""
    return rows if len(rows) <= 2 * ends else [*rows[:ends], None, *rows[-ends:]]


def standing(plan: Plan, today: datetime.date, ends: int = 3) -> dict[str, Any]:
    """This quarter's ranking per group as of today: the first and last `ends` places (all when few), with
    ties, level units and the change since last quarter exactly as the ranking page shows them."""
    day = min(max(today, datetime.date(plan.year, 1, 1)), datetime.date(plan.year, 12, 31))
    period = period_ending("quarter", day)
    tables = ranked(plan, period)  # the stored ledger, as the ranking page reads it
    shown = [ends_of(t.rows, ends) for t in tables]
    units = Unit.objects.in_bulk([r.unit_id for rows in shown for r in rows if r is not None])  # those shown only
    groups = [
        {"name": t.name, "size": len(t.rows),
         "rows": [None if r is None else {"row": r, "unit": units.get(r.unit_id)} for r in rows]}
        for t, rows in zip(tables, shown, strict=True)
    ]  # fmt: skip
    url = reverse("assessment:ranking", args=[plan.year]) + f"?period={period.key}"
    published = RankingPublication.objects.filter(plan=plan, period=period.key).exists()
    return {"period": period, "groups": groups, "url": url, "published": published}
