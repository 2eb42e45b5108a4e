"""通报 pages: the archive by year, the office's generate form, a bulletin as a page, the office's edit of a
draft, publishing, and the .docx."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.publicity import access, actions
from tongtui.publicity.docx import HEADINGS, bulletin_docx, filename
from tongtui.publicity.forms import EditForm, GenerateForm
from tongtui.publicity.models import Bulletin

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    rows = list(access.visible_to(request.user).order_by("-plan__year", "-as_of", "-pk"))
    years = [(year, list(items)) for year, items in groupby(rows, key=lambda b: b.plan.year)]
    year = request.GET.get("year", "")
    if year.isdigit():
        years = [(y, items) for y, items in years if y == int(year)]
    office = access.may_edit(request.user)
    form = GenerateForm(today=timezone.localdate()) if office else None
    return render(request, "publicity/list.html", {"years": years, "form": form, "nav": "bulletins"})


@login_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    access.require_office(request.user)
    form = GenerateForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            b = actions.generate(
                d["plan"], by=request.user, start=d["period_start"], as_of=d["as_of"], scope=d["scope"],
                category=d["category"], leader=d["leader"], ranking_period=d["ranking_period"].strip() or None,
            )  # fmt: skip
        except ActionError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Draft generated: check and edit the text, then publish it."))
            return redirect("publicity:edit", pk=b.pk)
    else:
        messages.error(request, _("Please correct the form: %(e)s") % {"e": form.errors.as_text()})
    return redirect("publicity:list")


def _sections(b: Bulletin) -> list[tuple[str, list[str]]]:
    out = []
    for name, heading in HEADINGS:
        lines = [line for line in (getattr(b, name, "") or "").splitlines() if line.strip()]
        if lines:
            out.append((heading, lines))
    return out


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    b = access.get_for(request.user, pk)
    return render(request, "publicity/detail.html", {
        "b": b, "sections": _sections(b), "may_edit": access.may_edit(request.user), "nav": "bulletins",
    })  # fmt: skip


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_office(request.user)
    b = access.get_for(request.user, pk)
    if b.is_published:
        return redirect("publicity:detail", pk=b.pk)
    form = EditForm(instance=b, initial={"version": b.version})
    if request.method == "POST":
        form = EditForm(request.POST, instance=Bulletin.objects.get(pk=b.pk))
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.edit(b, by=request.user, version=d["version"], title=d["title"], texts=d)
            except (ActionError, Conflict, Forbidden) as e:
                messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
            else:
                messages.success(request, _("Saved."))
                return redirect("publicity:detail", pk=b.pk)
    return render(request, "publicity/edit.html", {"b": b, "form": form, "nav": "bulletins"})


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_office(request.user)
    b = access.get_for(request.user, pk)
    try:
        actions.publish(b, by=request.user)
    except Conflict as e:
        messages.warning(request, str(e))
    else:
        messages.success(request, _("Published: every unit now sees this bulletin."))
    return redirect("publicity:detail", pk=b.pk)


@login_required
def docx(request: HttpRequest, pk: int) -> FileResponse:
    b = access.get_for(request.user, pk)
    return FileResponse(
        ContentFile(bulletin_docx(b)), as_attachment=True, filename=filename(b), content_type=DOCX
    )
