"""我的账号: who the signed-in person is to the platform, and where each of their own settings lives — the
password, notifications, calendar subscriptions (their secret addresses are listed here too).

The page only reads; every change is made on the page that owns it, through that app's actions.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongtui.calendars import actions as calendar_actions
from tongtui.calendars.views import feed_url
from tongtui.notify.models import Mode, Preference
from tongtui.orgs.models import Membership, Person


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    person = Person.objects.filter(user=user).select_related("unit").first()
    memberships = (
        Membership.objects.filter(person=person)
        .select_related("unit")
        .order_by("unit__order", "unit__name", "role")
        if person
        else Membership.objects.none()
    )
    pref = Preference.objects.filter(user=user).first()
    feeds = []
    for feed in calendar_actions.ensure_feeds(user):
        url = feed_url(request, feed)
        feeds.append({"feed": feed, "url": url, "webcal": "webcal://" + url.split("://", 1)[1]})
    context = {
        "person": person,
        "memberships": memberships,
        "email_on": pref.email if pref else True,
        "digest": bool(pref and pref.mode == Mode.DIGEST),
        "rows": feeds,
    }
    return render(request, "home/profile.html", context)
