"""Units (the tree, search, create, edit, aliases, deactivate), unit groups (members follow onto the tasks
that name the group) and posts (filled once, every task that names the post follows)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core.errors import Conflict
from tongtui.orgs import actions as org_actions
from tongtui.orgs.models import Post, Unit, UnitAlias, UnitGroup, UnitKind
from tongtui.plans import actions_groups
from tongtui.plans.views_units import _tree_order
from tongtui.setup import actions
from tongtui.setup.forms_org import AliasForm, FillPostForm, GroupForm, MembersForm, NewUnitForm, UnitForm
from tongtui.setup.views import REFUSED, attempt, error_text, office_only, to_form

TOWNS = (UnitKind.TOWN, UnitKind.SUBDISTRICT)
MAX_INDENT = 3  # the deepest indent site.css draws


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    office_only(request)
    q = request.GET.get("q", "").strip()
    show = request.GET.get("show", "active")
    units = Unit.objects.prefetch_related(Prefetch("aliases", queryset=UnitAlias.objects.order_by("name")))
    if show == "active":
        units = units.filter(is_active=True)
    elif show == "inactive":
        units = units.filter(is_active=False)
    if q:
        matches = Unit.objects.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(aliases__name__icontains=q)
        )
        units = units.filter(pk__in=matches.values("pk"))
    rows = [{"unit": u, "indent": min(depth, MAX_INDENT)} for u, depth in _tree_order(list(units))]
    context = {"nav": "setup", "rows": rows, "q": q, "show": show, "kinds": dict(UnitKind.choices)}
    return render(request, "setup/unit_list.html", context)


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    office_only(request)
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else {}
    form = NewUnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = org_actions.create_unit(by=request.user, **data)
        except REFUSED as exc:
            to_form(form, exc)
        else:
            messages.success(request, _("Unit “%(name)s” created.") % {"name": unit.name})
            return redirect("setup:unit-detail", unit.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "setup/unit_form.html", {"nav": "setup", "form": form}, status=status)


def _unit(request: HttpRequest, pk: int) -> Unit:
    office_only(request)
    return get_object_or_404(Unit.objects.select_related("parent"), pk=pk)


def _unit_page(
    request: HttpRequest, unit: Unit, form: UnitForm, alias_form: AliasForm, status: int
) -> HttpResponse:
    context = {
        "nav": "setup",
        "unit": unit,
        "form": form,
        "alias_form": alias_form,
        "aliases": list(unit.aliases.order_by("name")),
        "groups": list(unit.groups.order_by("name")),
        "open_tasks": actions.open_tasks_led_by(unit),
        "people": unit.people.count(),
    }
    return render(request, "setup/unit_detail.html", context, status=status)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    form = UnitForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            org_actions.update_unit(unit, by=request.user, **form.cleaned_data)
        except REFUSED as exc:
            to_form(form, exc)
            unit.refresh_from_db()
        else:
            messages.success(request, _("Unit “%(name)s” saved.") % {"name": unit.name})
            return redirect("setup:unit-detail", unit.pk)
    return _unit_page(request, unit, form, AliasForm(), 400 if form.errors else 200)


@login_required
@require_POST
def unit_alias_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    form = AliasForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["alias"]
        try:
            org_actions.add_alias(unit, name, by=request.user)
        except REFUSED as exc:
            to_form(form, exc)
        else:
            messages.success(request, _("Alias “%(alias)s” added.") % {"alias": name})
            return redirect("setup:unit-detail", unit.pk)
    return _unit_page(request, unit, UnitForm(unit=unit), form, 400)


@login_required
@require_POST
def unit_alias_remove(request: HttpRequest, pk: int) -> HttpResponse:
    office_only(request)
    alias = get_object_or_404(UnitAlias, pk=pk)
    attempt(request, lambda: org_actions.remove_alias(alias, by=request.user),
            _("Alias “%(alias)s” removed.") % {"alias": alias.name})  # fmt: skip
    return redirect("setup:unit-detail", alias.unit_id)


@login_required
@require_POST
def unit_active(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    unit = _unit(request, pk)
    reason = request.POST.get("reason", "")
    if step == "deactivate":
        attempt(request, lambda: actions.deactivate_unit(unit, by=request.user, reason=reason),
                _("Unit “%(name)s” deactivated.") % {"name": unit.name})  # fmt: skip
    elif step == "reactivate":
        attempt(request, lambda: actions.reactivate_unit(unit, by=request.user, reason=reason),
                _("Unit “%(name)s” reactivated.") % {"name": unit.name})  # fmt: skip
    else:
        raise Http404("No such step")
    return redirect("setup:unit-detail", unit.pk)


# Unit groups


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    office_only(request)
    groups = UnitGroup.objects.annotate(
        n_units=Count("units", filter=Q(units__is_active=True), distinct=True),
        n_tasks=Count("task_links", distinct=True),
    ).order_by("name")
    return render(request, "setup/group_list.html", {"nav": "setup", "groups": groups})


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    office_only(request)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = org_actions.create_group(by=request.user, units=[], **form.cleaned_data)
        except REFUSED as exc:
            to_form(form, exc)
        else:
            messages.success(
                request, _("Unit group “%(name)s” created. Now choose its members.") % {"name": group}
            )
            return redirect("setup:group-members", group.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "setup/group_form.html", {"nav": "setup", "form": form}, status=status)


def _group(request: HttpRequest, pk: int) -> UnitGroup:
    office_only(request)
    return get_object_or_404(UnitGroup, pk=pk)


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    initial = {"name": group.name, "aliases": group.aliases}
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            org_actions.update_group(group, by=request.user, **form.cleaned_data)
        except REFUSED as exc:
            to_form(form, exc)
            group.refresh_from_db()
        else:
            messages.success(request, _("Unit group “%(name)s” saved.") % {"name": group})
            return redirect("setup:group-list")
    context = {"nav": "setup", "form": form, "group": group}
    return render(request, "setup/group_form.html", context, status=400 if form.errors else 200)


def member_choices(chosen: set[int]) -> list[dict[str, Any]]:
    """Active units grouped by kind, each with whether it is chosen."""
    units = Unit.objects.filter(is_active=True).only("pk", "name", "short_name", "kind", "order")
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for unit in units:
        by_kind.setdefault(unit.kind, []).append({"unit": unit, "checked": unit.pk in chosen})
    return [{"kind": k, "label": label, "units": by_kind[k]} for k, label in UnitKind.choices if k in by_kind]


@login_required
def group_members(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    status = 200
    if request.method == "POST":
        form = MembersForm(request.POST)
        if form.is_valid():
            units = list(form.cleaned_data["units"])
            try:
                followed = actions_groups.set_group_members(group, units, by=request.user)
            except REFUSED as exc:
                messages.error(request, error_text(exc))
                status = 409 if isinstance(exc, Conflict) else 400
            else:
                messages.success(request, _("Members of “%(name)s” saved: %(count)s units.")
                                 % {"name": group, "count": len(units)})  # fmt: skip
                if followed:
                    messages.info(
                        request,
                        _("%(count)s open tasks that name the group follow.") % {"count": len(followed)},
                    )
                return redirect("setup:group-list")
            chosen = {u.pk for u in units}
        else:
            status = 400
            chosen = set()
    else:
        chosen = set(group.units.values_list("pk", flat=True))
    tasks = group.task_links.count()
    context = {"nav": "setup", "group": group, "kinds": member_choices(chosen), "chosen": len(chosen),
               "tasks": tasks, "towns": [str(k) for k in TOWNS]}  # fmt: skip
    return render(request, "setup/group_members.html", context, status=status)


# Posts


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    office_only(request)
    posts = (
        Post.objects.select_related("unit", "holder")
        .annotate(n_owner=Count("owner_tasks", distinct=True), n_leader=Count("leader_tasks", distinct=True))
        .order_by(F("holder").asc(nulls_first=True), "unit__order", "unit__name", "title")
    )
    return render(request, "setup/post_list.html", {"nav": "setup", "posts": posts})


@login_required
def post_fill(request: HttpRequest, pk: int) -> HttpResponse:
    office_only(request)
    post = get_object_or_404(Post.objects.select_related("unit", "holder"), pk=pk)
    form = FillPostForm(request.POST or None, post=post)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            filled = actions_groups.fill_post(post, person, by=request.user)
        except REFUSED as exc:
            to_form(form, exc)
        else:
            messages.success(request, _("Post “%(post)s” saved; %(count)s tasks filled.")
                             % {"post": post.label, "count": len(filled)})  # fmt: skip
            return redirect("setup:post-list")
    tasks = list(post.owner_tasks.select_related("plan").order_by("-plan__year", "code_sort", "code")[:20]) + list(
        post.leader_tasks.select_related("plan").order_by("-plan__year", "code_sort", "code")[:20]
    )
    context = {"nav": "setup", "post": post, "form": form, "tasks": tasks}
    return render(request, "setup/post_form.html", context, status=400 if form.errors else 200)
