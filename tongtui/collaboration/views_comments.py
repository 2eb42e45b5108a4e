"""Comments: write one on a task, a report or a problem; edit or delete one's own; the names an @ may
complete to (people who can log in, by the start of their name)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.collaboration import access, actions_comments, targets
from tongtui.collaboration.forms import CommentForm
from tongtui.collaboration.views_instructions import error_text, next_or
from tongtui.core.errors import ActionError, Forbidden
from tongtui.orgs.models import Person
from tongtui.orgs.roles import roles_of


@login_required
@require_POST
def comment_new(request: HttpRequest) -> HttpResponse:
    target = targets.resolve(request.user, request.POST.get("kind", ""), request.POST.get("id"))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            c = actions_comments.write(target, by=request.user, text=form.cleaned_data["text"])
        except (ActionError, Forbidden) as e:
            messages.error(request, error_text(e))
        else:
            return redirect(f"{next_or(request, target.url)}#comment-{c.pk}")
    else:
        messages.error(request, _("Write the comment."))
    return redirect(next_or(request, target.url))


@login_required
@require_POST
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    c = access.get_comment_for(request.user, pk)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionError(_("Write the comment."))
        actions_comments.edit(c, by=request.user, text=form.cleaned_data["text"])
    except (ActionError, Forbidden) as e:
        messages.error(request, error_text(e))
    return redirect(f"{next_or(request, targets.of_row(c).url)}#comment-{c.pk}")


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    c = access.get_comment_for(request.user, pk)
    try:
        actions_comments.delete(c, by=request.user)
    except (ActionError, Forbidden) as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("Comment deleted."))
    return redirect(next_or(request, targets.of_row(c).url))


@login_required
def mention_names(request: HttpRequest) -> JsonResponse:
    """Names starting with `q`, for the @ autocomplete: names only (no unit, no title), at most ten, and only
    for people with a role somewhere."""
    q = (request.GET.get("q") or "").strip()[:20]
    if not q or not roles_of(request.user).person_id and not request.user.is_superuser:
        return JsonResponse({"names": []})
    names = (Person.objects.filter(name__startswith=q, user__isnull=False, user__is_active=True)
             .values_list("name", flat=True).distinct().order_by("name")[:10])  # fmt: skip
    return JsonResponse({"names": list(names)})
