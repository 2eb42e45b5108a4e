"""The public page (/public/): the tasks marked public (民生实事) with the office's text, their progress and
milestones, for anyone without a login. No form, no cookie it needs, no link into the app: the pages are
the same for everyone, so a cache in front may keep them for a few minutes. And the office's small page that
writes each task's public text and marks it public or not."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from tongtui.core.errors import Conflict, Forbidden
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Task
from tongtui.plans.views import current_plan
from tongtui.publicity import actions_public, public
from tongtui.publicity.forms_practices import PublicEntryForm
from tongtui.publicity.models import PublicEntry

PUBLIC_CACHE = cache_control(public=True, max_age=300)


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


@require_safe
@PUBLIC_CACHE
def index(request: HttpRequest) -> HttpResponse:
    years = public.years()
    year = _year(request) or (years[0] if years else None)
    tasks = public.load(year=year) if year else []
    done = sum(1 for t in tasks if t.state == public.DONE)
    return render(request, "publicity/public/index.html", {
        "tasks": tasks, "years": years, "year": year, "done": done, "today": timezone.localdate(),
    })  # fmt: skip


@require_safe
@PUBLIC_CACHE
def task(request: HttpRequest, key: str) -> HttpResponse:
    found = public.load(key=key)
    if not found:
        raise Http404("No such public task")
    return render(request, "publicity/public/task.html", {"t": found[0], "today": timezone.localdate()})


def _office(request: HttpRequest) -> None:
    if not roles_of(request.user).is_office:
        raise Http404("The public texts are the office's")


@login_required
def entries(request: HttpRequest) -> HttpResponse:
    """The office's list: tasks on the public page, tasks marked public without a text yet, and a picker."""
    _office(request)
    plan = current_plan(request)
    has_entry = PublicEntry.objects.filter(task=OuterRef("pk"))
    rows = Task.objects.filter(plan=plan).annotate(has_entry=Exists(has_entry)).filter(
        is_public=True) if plan else Task.objects.none()  # fmt: skip
    written = list(PublicEntry.objects.filter(plan=plan).select_related("task").order_by("number")) if plan else []
    missing = [t for t in rows.order_by("code_sort", "pk") if not t.has_entry]  # type: ignore[attr-defined]
    others = (Task.objects.filter(plan=plan, parent=None, is_public=False).exclude(status__in=actions_public.HIDDEN_STATES)
              .exclude(pk__in=[e.task_id for e in written]).order_by("code_sort", "pk").only("pk", "code", "title")
              if plan else [])  # fmt: skip
    return render(request, "publicity/public/entries.html", {
        "nav": "public", "plan": plan, "written": written, "missing": missing, "others": others,
    })  # fmt: skip


@login_required
def entry(request: HttpRequest, task_pk: int) -> HttpResponse:
    _office(request)
    t = Task.objects.filter(pk=task_pk).select_related("plan").first()
    if t is None:
        raise Http404("No such task")
    current = PublicEntry.objects.filter(task=t).first()
    initial: dict[str, Any] = {"public": t.is_public or current is None, "version": current.version if current else 0}
    if current is None:
        initial |= {"title": t.title, "text": t.goal}
    form = PublicEntryForm(request.POST or None, instance=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions_public.save_entry(t, by=request.user, title=d["title"], text=d["text"],
                                      show_milestones=d["show_milestones"], public=d["public"],
                                      version=d["version"] if current else None)  # fmt: skip
        except (ValidationError, Forbidden, Conflict) as e:
            messages.error(request, " ".join(e.messages) if isinstance(e, ValidationError) else str(e))
        else:
            messages.success(request, _("Saved. The public page shows it within a few minutes."))
            return redirect("publicity:public-entries")
    return render(request, "publicity/public/entry.html", {"nav": "public", "t": t, "form": form, "entry": current})


