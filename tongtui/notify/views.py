"""My notifications (list, open, mark read), my notification settings, and the office's delivery page."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.paging import Paginator
from tongtui.notify import access, actions
from tongtui.notify.delivery import addresses
from tongtui.notify.forms import PreferenceForm
from tongtui.notify.models import Delivery, Mode, Preference, Status


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    mine = access.notifications_of(request.user)
    unread_only = request.GET.get("unread") == "1"
    shown = mine.filter(read_at__isnull=True) if unread_only else mine
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    unread = mine.filter(read_at__isnull=True).count()
    context = {"page": page, "nav": "notifications", "unread": unread, "unread_only": unread_only}
    return render(request, "notify/notification_list.html", context)


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    note = access.get_notification_for(request.user, pk)
    actions.mark_read(request.user, note.pk)
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notify:list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = access.get_notification_for(request.user, pk)
    actions.mark_read(request.user, note.pk)
    return redirect("notify:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    actions.mark_all_read(request.user)
    messages.success(request, _("All notifications marked as read."))
    return redirect("notify:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    pref = Preference.objects.filter(user=user).first()
    initial = {"email": pref.email if pref else True, "mode": pref.mode if pref else Mode.IMMEDIATE}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.set_preference(
            request.user, email=form.cleaned_data["email"], mode=form.cleaned_data["mode"], by=request.user
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notify:preferences")
    cap = getattr(settings, "NOTIFY_DAILY_CAP", 20)
    context = {
        "form": form,
        "nav": "notifications",
        "has_email": bool(addresses([user]).get(user.pk)),
        "cap": cap,
    }
    return render(request, "notify/preferences.html", context, status=400 if form.errors else 200)


@login_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    rows = access.deliveries_for(request.user)
    status = request.GET.get("status", Status.FAILED)
    if status in Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    counts = {s: 0 for s in Status.values}
    for row in Delivery.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    tabs = [(value, label, counts[value]) for value, label in Status.choices]
    context = {"page": page, "status": status, "tabs": tabs, "nav": "setup"}
    return render(request, "notify/delivery_list.html", context)


@login_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(access.deliveries_for(request.user), pk=pk)
    try:
        done = actions.retry(delivery, by=request.user)
    except (ActionError, Forbidden) as exc:
        messages.error(request, str(exc))
        return redirect("notify:deliveries")
    if done:
        messages.success(request, _("The message will be sent again within a minute."))
    else:
        messages.info(request, _("This message is no longer failed; nothing to retry."))
    return redirect(reverse("notify:deliveries") + "?status=failed")
