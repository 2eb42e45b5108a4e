"""Task pages: the filtered list and the detail page (charter, roadmap, history, actions)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, F, IntegerField, Prefetch, Value, When, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from tongtui.core.paging import Paginator
from tongtui.orgs.models import Person, Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans import changes
from tongtui.plans.access import get_task_for, tasks_visible_to
from tongtui.plans.filters import TaskFilter
from tongtui.plans.models import Category, CoGroup, CoUnit, Milestone, Plan, Task, TaskOutcome, TaskStatus
from tongtui.plans.rows import task_rows
from tongtui.plans.views_actions import action_forms, available_actions

PAGE_SIZES = (20, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
SORTS: dict[str, list[Any]] = {
    # Codes in natural order (1.2 before 1.10, sub-tasks under their parent): Task.code_sort.
    "code": ["code_sort", "code", "pk"],
    "-code": ["-code_sort", "-code", "-pk"],
    "due": [F("due").asc(nulls_last=True), "code_sort", "code"],
    "-due": [F("due").desc(nulls_last=True), "code_sort", "code"],
    "progress": ["progress", "code_sort", "code"],
    "-progress": ["-progress", "code_sort", "code"],
}


def current_plan(request: HttpRequest | None = None) -> Plan | None:
    """This year's plan if there is one, else the newest; looked up once per request."""
    if request is not None and hasattr(request, "_tongtui_current_plan"):
        return request._tongtui_current_plan  # type: ignore[attr-defined]
    this_year = timezone.localdate().year
    first = Case(When(year=this_year, then=Value(0)), default=Value(1), output_field=IntegerField())
    plan = Plan.objects.order_by(first, "-year").first()
    if request is not None:
        request._tongtui_current_plan = plan  # type: ignore[attr-defined]
    return plan


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _page_size(request: HttpRequest) -> int:
    size = _int_or_none(request.GET.get("per_page"))
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def _wants_partial(request: HttpRequest, target: str) -> bool:
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and not headers.get("HX-History-Restore-Request")
        and headers.get("HX-Target", target) == target
    )


def task_filter_for(request: HttpRequest, *, listed: bool = False) -> tuple[TaskFilter, QueryDict]:
    """The list's FilterSet over what the user may see, defaulting to the current plan year.

    `listed`: the page draws the filter bar, so its selects' options are read here, once, and a choice made
    from them is checked against them (`ListedChoiceField`) instead of asking the database again: the plans
    (the current one among them), the plan's categories and leaders. The units are listed by `unit_box`."""
    data = request.GET.copy()
    plans = list(Plan.objects.order_by("-year")) if listed else None
    if plans is not None and not hasattr(request, "_tongtui_current_plan"):
        this_year = timezone.localdate().year  # as `current_plan`: this year's, else the newest
        current = next((p for p in plans if p.year == this_year), plans[0] if plans else None)
        request._tongtui_current_plan = current  # type: ignore[attr-defined]
    if not data.get("plan"):
        plan = current_plan(request)
        if plan is not None:
            data["plan"] = str(plan.pk)
    plan_id = _int_or_none(data.get("plan")) or 0
    visible = tasks_visible_to(request.user, Task.objects.with_related())
    filterset = TaskFilter(data, queryset=visible, request=request)
    fields = filterset.form.fields
    # one plan's categories in their order (the model's ordering starts with the plan: a join for nothing)
    categories = Category.objects.filter(plan_id=plan_id).order_by("order", "name")
    fields["category"].queryset = categories  # type: ignore[attr-defined]
    leaders_ids = tasks_visible_to(request.user).filter(plan_id=plan_id).values("leader_id")
    leaders = Person.objects.filter(pk__in=leaders_ids).order_by("name")
    fields["leader"].queryset = leaders  # type: ignore[attr-defined]
    fields["unit"].queryset = Unit.objects.filter(is_active=True)  # type: ignore[attr-defined]
    if plans is not None:
        fields["plan"].listed = plans  # type: ignore[attr-defined]
        fields["category"].listed = list(categories)  # type: ignore[attr-defined]
        fields["leader"].listed = list(leaders)  # type: ignore[attr-defined]
    return filterset, data


# Above this many units the list's unit filter is a box that suggests units as one types (plans.views_units.
# unit_suggest) instead of a drop-down: a province's 10,000 options took most of the page's half second.
UNIT_SELECT_MAX = 500


def unit_box(filterset: TaskFilter, query: QueryDict) -> dict[str, Any]:
    """How the list's unit filter is shown: `unit_search` when the units are too many for a drop-down, with the
    unit chosen (if any)."""
    field = filterset.form.fields["unit"]
    options = list(field.queryset[: UNIT_SELECT_MAX + 1])  # type: ignore[attr-defined]
    if len(options) <= UNIT_SELECT_MAX:
        field.listed = options  # type: ignore[attr-defined]  # all of them: a unit chosen is checked among them
        return {"unit_search": False, "unit_options": options}
    chosen = _int_or_none(query.get("unit"))
    unit = Unit.objects.filter(pk=chosen).first() if chosen else None
    return {"unit_search": True, "unit_chosen": unit}


def sort_links(query: QueryDict, keys: tuple[str, ...]) -> dict[str, str]:
    """Each sortable column's two links (`due`, `due_desc`): the query as it is, sorted so, on its first page.
    Worked out once for the page's headers, as `{% querystring query sort=… page=None %}` writes them."""
    params = query.copy()
    params.pop("page", None)
    links = {}
    for key in keys:
        for name, value in ((key, key), (f"{key}_desc", f"-{key}")):
            params["sort"] = value
            links[name] = f"?{params.urlencode()}"
    return links


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    partial = _wants_partial(request, "task-results")
    filterset, query = task_filter_for(request, listed=not partial)
    box = {} if partial else unit_box(filterset, query)  # before the filter runs: it checks the unit among these
    sort = request.GET.get("sort", "code")
    if sort not in SORTS:
        sort = "code"
    # only the relations a row shows: each join more costs PostgreSQL planning time on every page (without the plan,
    # owner and parent joins of `with_related`, planning the page's query went from 7.5 ms to 0.7 ms)
    shown = filterset.qs.select_related(None).select_related("category", "lead_unit", "leader", "light_state")
    tasks = shown.order_by(*SORTS[sort]).prefetch_related(None).prefetch_related(
        Prefetch("co_unit_links", queryset=CoUnit.objects.select_related("unit")),
        Prefetch("co_group_links", queryset=CoGroup.objects.select_related("group").order_by("pk")),
    )
    page = Paginator(tasks, _page_size(request)).get_page(request.GET.get("page"))
    today = timezone.localdate()
    export_query = query.copy()
    for key in ("page", "per_page", "sort"):
        export_query.pop(key, None)
    context = {
        "nav": "tasks",
        "filter": filterset,
        "form": filterset.form,
        "plan": filterset.form.cleaned_data.get("plan") if filterset.is_valid() else None,
        "query": query,
        "export_query": export_query.urlencode(),
        "bulk_query": export_query,  # the filter, carried by the bulk form for "all tasks matching it"
        "page": page,
        "rows": task_rows(page.object_list, today),
        "sort": sort,
        "sort_links": sort_links(query, ("code", "due", "progress")),
        "per_page": page.paginator.per_page,
        "page_sizes": PAGE_SIZES,
        "statuses": TaskStatus.choices,
        "selected_statuses": query.getlist("status"),
        "active_filters": sum(1 for key in ("category", "unit", "leader", "status") if query.get(key)),
        "today": today,
        "may_manage": roles_of(request.user).is_office,
    }
    if not partial:  # the filter form is drawn only with the whole page
        fields = filterset.form.fields
        context.update(box, plan_options=fields["plan"].listed, category_options=fields["category"].listed,
                       leader_options=fields["leader"].listed)  # type: ignore[attr-defined]  # fmt: skip
    if partial:
        response = render(request, "plans/_task_results.html", context)
    else:
        response = render(request, "plans/task_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def detail_context(request: HttpRequest, task: Task, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the detail page shows; `bound` replaces action forms after a failed submission."""
    user = request.user
    roles = roles_of(user)
    today = timezone.localdate()
    # into the task's own links, so that what the page's panels ask of its co-units (Task.co_unit_ids) is read once
    # (the milestones too: the problems panel's verified progress reads them)
    prefetch_related_objects([task], Prefetch("co_unit_links", CoUnit.objects.select_related(
        "unit", "acknowledged_by").order_by("unit__order", "unit__name")),
        Prefetch("milestones", Milestone.objects.order_by("due", "seq")))  # fmt: skip
    links = list(task.co_unit_links.all())
    visible = tasks_visible_to(user)
    children = list(visible.filter(parent=task).select_related("lead_unit").order_by("code_sort", "code"))
    parent = visible.filter(pk=task.parent_id).first() if task.parent_id else None
    milestones = list(task.milestones.all())
    indicators = list(task.indicators.prefetch_related("values"))
    for indicator in indicators:
        values = list(indicator.values.all())
        indicator.latest = values[-1] if values else None  # type: ignore[attr-defined]
    allowed = available_actions(roles, task, links)
    # 年终评估: the task's conclusion and the copy it was carried to (one query; its link checks its own access)
    outcome = TaskOutcome.objects.filter(task=task).select_related("carried_to__plan").first()
    return {
        "outcome": outcome,
        "carried_to": outcome.carried_to if outcome is not None else None,
        "carried_from": (
            visible.filter(pk=task.carried_from_id).select_related("plan").first() if task.carried_from_id else None
        ),
        "nav": "tasks",
        "task": task,
        "co_links": links,
        "co_groups": list(task.co_group_links.select_related("group").annotate(members=Count("group__units"))),
        "children": children,
        "parent": parent,
        "roadmap": roadmap(milestones, today),
        "indicators": indicators,
        "history": changes.task_history(task),
        "actions": allowed,
        "forms": action_forms(task, allowed, bound or {}),
        "today": today,
        "overdue": task.is_open and task.due is not None and task.due < today,
    }


def roadmap(milestones: list[Any], today: Any) -> list[dict[str, Any]]:
    """The milestones in date order with done/overdue marks and a 'today' marker in its place."""
    items: list[dict[str, Any]] = []
    placed = False
    for milestone in milestones:
        if not placed and milestone.due > today:
            items.append({"today": True, "date": today})
            placed = True
        items.append(
            {
                "today": False,
                "milestone": milestone,
                "done": milestone.done_on is not None,
                "overdue": milestone.done_on is None and milestone.due < today,
            }
        )
    if milestones and not placed:
        items.append({"today": True, "date": today})
    return items


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk)
    return render(request, "plans/task_detail.html", detail_context(request, task))
