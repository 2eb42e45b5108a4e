"""Task-book import pages (office only; everyone else gets 404): upload -> preview -> confirm."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.orgs.models import Unit, UnitGroup
from tongtui.orgs.roles import roles_of
from tongtui.plans import rules
from tongtui.plans.forms_import import ImportForm
from tongtui.plans.importing import apply
from tongtui.plans.importing.book import Book
from tongtui.plans.importing.normalize import key
from tongtui.plans.importing.preview import row_cells
from tongtui.plans.importing.readers import UnreadableFile
from tongtui.plans.importing.suggest import Suggester
from tongtui.plans.importing.units import is_collective
from tongtui.plans.models import Plan, TaskImport

REFS_SHOWN = 12  # rows listed beside an unknown name; the rest are counted
ROWS_SHOWN = 300  # rows of a long book shown in the preview: these, and every row with an error


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
    """Every name the office can choose for: the unknown ones and the ones already chosen, each with ranked
    suggestions. One choice serves every row that uses the name."""
    mapping = staged.unit_mapping or {}
    names = {k: (u.name, u.collective, u.refs, u.as_lead) for k, u in book.unknown_units.items()}
    for k, (written, _choice, refs) in book.mapped.items():
        names.setdefault(k, (written, is_collective(written), refs, False))
    for k in mapping:
        names.setdefault(k, (k, is_collective(k), [], False))
    suggester = Suggester(book.directory) if book.directory is not None and names else None
    default = "create" if staged.create_units else ""  # the upload asked to create what matches nothing
    items = []
    for k, (name, collective, refs, as_lead) in names.items():
        value = mapping.get(k, default)
        items.append(
            {
                "key": k,
                "name": name,
                "collective": collective,
                "refs": refs[:REFS_SHOWN],
                "more": max(0, len(refs) - REFS_SHOWN),
                "as_lead": as_lead,
                "value": value,
                "may_skip": not collective and not as_lead,
                "suggestions": suggester.suggest(name) if suggester else [],
            }
        )
    return items


def _posts(book: Book) -> list[dict]:
    """The posts the book names instead of people: one line per post, with its rows."""
    found: dict[str, dict] = {}
    for row in book.rows:
        for hit in (row.leader, row.owner):
            if hit is None or hit.kind != "post":
                continue
            item = found.setdefault(
                hit.label or hit.written,
                {"label": hit.label or hit.written, "new": hit.post_id is None, "refs": []},
            )
            if row.ref not in item["refs"]:
                item["refs"].append(row.ref)
    return sorted(found.values(), key=lambda p: p["label"])


@login_required
def preview(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    staged = _staged(request, year, pk)
    try:
        book = apply.preview(staged)
    except UnreadableFile as exc:
        messages.error(request, str(exc))
        return redirect("task-import", year=year)
    shown = [row for i, row in enumerate(book.rows) if i < ROWS_SHOWN or row.errors][: ROWS_SHOWN * 3]
    rows = [{"row": row, "cells": row_cells(row)} for row in shown]
    mapping = _mapping_choices(staged, book)
    context = {
        "plan": staged.plan,
        "staged": staged,
        "book": book,
        "rows": rows,
        "hidden": len(book.rows) - len(shown),
        "nav": "import",
        "mapping": mapping,
        "unresolved": sum(1 for m in mapping if not m["value"]),
        "posts": _posts(book),
        "as_written": sum(
            1 for r in book.rows for h in (r.leader, r.owner) if h is not None and h.kind == "text"
        ),
        "assigning": sum(1 for r in book.rows if r.assign),
        "drafts": [r for r in book.rows if r.missing] if staged.assigned_on else [],
    }
    if mapping:
        units = Unit.objects.filter(is_active=True).order_by("order", "name").values_list("pk", "name")
        context["unit_options"] = [(f"unit:{pk}", name) for pk, name in units]
        context["group_options"] = [
            (f"group:{pk}", n) for pk, n in UnitGroup.objects.values_list("pk", "name")
        ]
    return render(request, "plans/import_preview.html", context)


def _posted_mapping(request: HttpRequest) -> dict[str, str]:
    units = set(Unit.objects.filter(is_active=True).values_list("pk", flat=True))
    groups = set(UnitGroup.objects.values_list("pk", flat=True))
    create_all = request.POST.get("step") == "create_all"
    mapping: dict[str, str] = {}
    for name_key, choice in zip(request.POST.getlist("map_key"), request.POST.getlist("map"), strict=False):
        name_key = key(name_key)
        kind, _sep, pk = choice.partition(":")
        if choice in ("create", "skip") or (
            pk.isdigit() and (kind == "unit" and int(pk) in units or kind == "group" and int(pk) in groups)
        ):
            mapping[name_key] = choice
        elif create_all and name_key:
            mapping[name_key] = "create"  # 创建其余全部: every name still without a choice
    return mapping


def _posted_day(request: HttpRequest) -> tuple[datetime.date | None, bool]:
    text = request.POST.get("assigned_on", "").strip()
    if not text:
        return None, True
    try:
        return datetime.date.fromisoformat(text), True
    except ValueError:
        return None, False


@login_required
@require_POST
def confirm(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    staged = _staged(request, year, pk)
    if "map_key" in request.POST or "assigned_on" in request.POST:
        day, understood = _posted_day(request)
        if not understood:
            messages.error(request, _("The day of the switch must be a date such as 2026-07-01."))
            return redirect("task-import-preview", year=year, pk=pk)
        if staged.applied_at is None:
            apply.set_mapping(staged, _posted_mapping(request), day)
    if request.POST.get("step") in ("refresh", "create_all"):
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
    if staged.assigned_on:
        messages.info(
            request,
            _(
                "%(assigned)d tasks assigned and acknowledged on %(day)s; %(drafts)d stay drafts until they are complete."
            )
            % {
                "assigned": result.assigned,
                "day": staged.assigned_on.isoformat(),
                "drafts": len(result.drafts),
            },
        )
    return redirect(_task_list(staged.plan))
