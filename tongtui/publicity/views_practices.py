"""典型经验 · 创新举措 pages: the library of published practices (search by words, kind, unit, category, year),
a unit's drafts and the office's review queue beside it, writing and editing one with photos, one practice as
a page with the steps the reader may take, and its photos."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.paging import Paginator
from tongtui.dispatch.evidence import CONTENT_TYPES
from tongtui.orgs.roles import roles_of
from tongtui.plans.access import tasks_visible_to
from tongtui.plans.views import current_plan
from tongtui.publicity import access_practices as access
from tongtui.publicity import actions_practices as actions
from tongtui.publicity.forms_practices import LibraryFilter, PracticeForm, ReasonForm
from tongtui.publicity.models import Practice, PracticePhoto, PracticeStatus

PER_PAGE = 12


def _with_cover(rows: QuerySet[Practice]) -> QuerySet[Practice]:
    return rows.select_related("unit", "plan").prefetch_related(
        Prefetch("photos", queryset=PracticePhoto.objects.order_by("uploaded_at", "pk").only("pk", "practice_id"))
    )


def search(rows: QuerySet[Practice], d: dict[str, Any]) -> QuerySet[Practice]:
    for word in (d.get("q") or "").split()[:8]:
        rows = rows.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word))
    if d.get("kind"):
        rows = rows.filter(kind=d["kind"])
    if d.get("unit"):
        rows = rows.filter(unit=d["unit"])
    if d.get("year"):
        rows = rows.filter(plan__year=d["year"])
    if d.get("category"):
        rows = rows.filter(pk__in=Practice.tasks.through.objects.filter(task__category=d["category"]).values("practice_id"))
    return rows


@login_required
def library(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    if not (roles.sees_all or roles.unit_ids):
        raise Http404("The library is for people of a unit")
    published = access.practices_visible_to(user).filter(status=PracticeStatus.PUBLISHED)
    facets = published.values_list("unit_id", "plan__year")
    form = LibraryFilter(request.GET or None, unit_ids=sorted({u for u, _y in facets}),
                         years=sorted({y for _u, y in facets}, reverse=True))  # fmt: skip
    rows = published
    if form.is_bound:
        rows = search(rows, form.cleaned_data) if form.is_valid() else rows.none()  # a unit with none published
    page = Paginator(_with_cover(rows).order_by("-published_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    working = access.practices_visible_to(user).exclude(status=PracticeStatus.PUBLISHED)
    if roles.is_office:
        working = working.filter(status__in=[PracticeStatus.SUBMITTED, PracticeStatus.SELECTED])
    else:
        working = working.filter(unit_id__in=roles.unit_ids)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "publicity/practices/library.html", {
        "nav": "practices", "form": form, "page": page, "query": query.urlencode(),
        "working": list(working.select_related("unit").order_by("-pk")[:50]),
        "may_write": bool(access.writer_units(user)), "is_office": roles.is_office,
    })  # fmt: skip


def _writer_units(request: HttpRequest) -> set[int]:
    units = access.writer_units(request.user)
    if not units:
        raise Http404("Only a unit's liaison or head writes practices")
    return units


def _error(request: HttpRequest, e: Exception) -> None:
    if isinstance(e, ValidationError):
        messages.error(request, " ".join(e.messages))
    else:
        messages.error(request, str(e))


@login_required
def new(request: HttpRequest) -> HttpResponse:
    units = _writer_units(request)
    form = PracticeForm(request.POST or None, unit_ids=units, plan=current_plan(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            p = actions.create_practice(by=request.user, unit=d["unit"], plan=d["plan"], kind=d["kind"],
                                        title=d["title"], summary=d["summary"], body=d["body"], tasks=d["tasks"])  # fmt: skip
        except (ActionError, Forbidden) as e:
            _error(request, e)
        else:
            messages.success(request, _("Draft saved. Add photos, then submit it to the office."))
            return redirect("publicity:practice", p.pk)
    return render(request, "publicity/practices/form.html", {"form": form, "nav": "practices"})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    p = access.get_practice_for(request.user, pk)
    if not (access.may_write(request.user, p) and p.is_editable):
        raise Http404("Not editable")
    initial = {"unit": p.unit_id, "plan": p.plan_id, "kind": p.kind, "title": p.title, "summary": p.summary,
               "body": p.body, "tasks": list(p.tasks.values_list("pk", flat=True)), "version": p.version}  # fmt: skip
    form = PracticeForm(request.POST or None, initial=initial, unit_ids={p.unit_id})
    form.fields["plan"].disabled = True
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.edit_practice(p, by=request.user, version=d["version"] or 0, kind=d["kind"], title=d["title"],
                                  summary=d["summary"], body=d["body"], tasks=d["tasks"])  # fmt: skip
        except (ActionError, Forbidden, Conflict) as e:
            _error(request, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("publicity:practice", p.pk)
    return render(request, "publicity/practices/form.html", {"form": form, "p": p, "nav": "practices"})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    p = access.get_practice_for(user, pk)
    tasks = list(p.tasks.select_related("plan").order_by("code_sort", "pk"))
    visible = set(tasks_visible_to(user).filter(pk__in=[t.pk for t in tasks]).values_list("pk", flat=True))
    writer = access.may_write(user, p)
    office = access.may_review(user)
    return render(request, "publicity/practices/detail.html", {
        "p": p, "tasks": [(t, t.pk in visible) for t in tasks], "photos": list(p.photos.all()),
        "writer": writer, "office": office, "insider": writer or office or p.unit_id in roles_of(user).unit_ids,
        "paragraphs": [line for line in p.body.splitlines() if line.strip()], "nav": "practices",
        "reason_form": ReasonForm(), "max_photos": actions.MAX_PHOTOS,
    })  # fmt: skip


STEPS = {
    "submit": (lambda p, by, reason: actions.submit(p, by=by), gettext_lazy("Submitted to the supervision office.")),
    "select": (lambda p, by, reason: actions.select(p, by=by), gettext_lazy("Selected: publish it when it is ready.")),
    "publish": (lambda p, by, reason: actions.publish(p, by=by),
                gettext_lazy("Published: in the library, on the home pages and in the next bulletins.")),
    "return": (lambda p, by, reason: actions.return_practice(p, by=by, reason=reason),
               gettext_lazy("Returned to the unit with your reason.")),
    "reject": (lambda p, by, reason: actions.reject(p, by=by, reason=reason), gettext_lazy("Marked as not adopted.")),
    "unpublish": (lambda p, by, reason: actions.unpublish(p, by=by, reason=reason),
                  gettext_lazy("Unpublished; the unit's bonus is withdrawn.")),
}


@login_required
@require_POST
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    p = access.get_practice_for(request.user, pk)
    if name not in STEPS:
        raise Http404("No such step")
    run, said = STEPS[name]
    try:
        run(p, request.user, request.POST.get("reason", ""))
    except (ActionError, Forbidden, Conflict) as e:
        _error(request, e)
    else:
        messages.success(request, str(said))
    return redirect("publicity:practice", p.pk)


@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    p = access.get_practice_for(request.user, pk)
    files = request.FILES.getlist("photos")
    if not files:
        messages.error(request, _("Choose a photo first."))
    added = 0
    for f in files:
        try:
            actions.add_photo(p, by=request.user, file=f)
        except (ValidationError, Forbidden, Conflict) as e:
            _error(request, e)
        else:
            added += 1
    if added:
        messages.success(request, _("Photos added: %(n)s.") % {"n": added})
    return redirect("publicity:practice", p.pk)


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    item = access.get_photo_for(request.user, pk)
    response = FileResponse(item.file.open("rb"), content_type=CONTENT_TYPES.get(item.kind, "application/octet-stream"))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_photo_for(request.user, pk)
    try:
        actions.remove_photo(item, by=request.user)
    except (ActionError, Forbidden, Conflict) as e:
        _error(request, e)
    else:
        messages.success(request, _("Photo removed."))
    return redirect("publicity:practice", item.practice_id)
