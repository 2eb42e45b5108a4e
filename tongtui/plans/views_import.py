"""Task-book import pages (office only; everyone else gets 404): upload -> preview -> confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans import rules
from tongtui.plans.forms_import import ImportForm
from tongtui.plans.importing import apply
from tongtui.plans.importing.book import Book
from tongtui.plans.importing.normalize import key
from tongtui.plans.importing.preview import row_cells
from tongtui.plans.importing.readers import UnreadableFile
from tongtui.plans.models import Plan, TaskImport


def _plan_for_office(request: HttpRequest, year: int) -> Plan:
    if not rules.may_manage(roles_of(request.user)):
        raise Http404("No such page")
    return get_object_or_404(Plan, year=year)


def _staged(request: HttpRequest, year: int, pk: int) -> TaskImport:
    plan = _plan_for_office(request, year)
    return get_object_or_404(TaskImport.objects.select_related("plan"), pk=pk, plan=plan)


def _task_list(plan: Plan) -> str:
    try:
        return reverse("task-list") + f"?plan={plan.pk}"
    except NoReverseMatch:  # the task pages are not installed
        return reverse("task-import", kwargs={"year": plan.year})


@login_required
def upload(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan_for_office(request, year)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        staged = apply.stage(
            plan=plan,
            by=request.user,
            filename=data["filename"],
            content=data["content"],
            pasted_text=data["text"],
            lead_rule=data["lead_rule"],
            create_units=data["create_units"],
            sheet=data.get("sheet") or "",
        )
        return redirect("task-import-preview", year=year, pk=staged.pk)
    return render(
        request,
        "plans/import_form.html",
        {"plan": plan, "form": form, "nav": "import"},
        status=400 if request.method == "POST" else 200,
    )


def _mapping_choices(staged: TaskImport, book: Book) -> list[dict]:
    """Every name the user can map: the unknown ones and the ones already mapped."""
    mapping = staged.unit_mapping or {}
    names = {k: (u.name, u.collective, u.refs, u.as_lead) for k, u in book.unknown_units.items()}
    for k in mapping:
        names.setdefault(k, (k, False, [], False))
    for k, name in book.new_units.items():
        names.setdefault(k, (name, False, [], False))
    default = "create" if staged.create_units else ""
    items = []
    for k, (name, collective, refs, as_lead) in names.items():
        value = mapping.get(k, "" if collective else default)
        unit_id = int(value[5:]) if value.startswith("unit:") and value[5:].isdigit() else None
        items.append(
            {
                "key": k,
                "name": name,
                "collective": collective,
                "refs": refs,
                "as_lead": as_lead,
                "value": value,
                "unit_id": unit_id,
            }
        )
    return items


@login_required
def preview(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    staged = _staged(request, year, pk)
    try:
        book = apply.preview(staged)
    except UnreadableFile as exc:
        messages.error(request, str(exc))
        return redirect("task-import", year=year)
    rows = [{"row": row, "cells": row_cells(row)} for row in book.rows]
    context = {
        "plan": staged.plan,
        "staged": staged,
        "book": book,
        "rows": rows,
        "nav": "import",
        "mapping": _mapping_choices(staged, book),
        "units": Unit.objects.filter(is_active=True).order_by("order", "name").only("pk", "name"),
    }
    return render(request, "plans/import_preview.html", context)


def _posted_mapping(request: HttpRequest) -> dict[str, str]:
    known = set(Unit.objects.values_list("pk", flat=True))
    mapping: dict[str, str] = {}
    for name_key, choice in zip(request.POST.getlist("map_key"), request.POST.getlist("map"), strict=False):
        name_key = key(name_key)
        if choice in ("create", "skip") or (
            choice.startswith("unit:") and choice[5:].isdigit() and int(choice[5:]) in known
        ):
            mapping[name_key] = choice
    return mapping


@login_required
@require_POST
def confirm(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    staged = _staged(request, year, pk)
    if "map_key" in request.POST:
        apply.set_mapping(staged, _posted_mapping(request))
    if request.POST.get("step") == "refresh":
        return redirect("task-import-preview", year=year, pk=pk)
    try:
        result = apply.confirm(staged, by=request.user)
    except UnreadableFile as exc:
        messages.error(request, str(exc))
        return redirect("task-import", year=year)
    except apply.ImportFailed as exc:
        messages.error(
            request, _("Nothing was imported: %(errors)s") % {"errors": " ".join(exc.messages[:5])}
        )
        return redirect("task-import-preview", year=year, pk=pk)
    messages.success(
        request,
        _("Imported %(file)s: %(created)d new tasks, %(updated)d updated, %(unchanged)d unchanged.")
        % {"file": staged.filename or _("pasted text"), **result.as_dict()},
    )
    return redirect(_task_list(staged.plan))
