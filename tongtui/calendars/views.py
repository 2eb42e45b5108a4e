"""Calendar pages (month, week, list; server-rendered, phone-first list), the user's feed addresses, and the
iCalendar feed itself. Reads through loader/access, writes through actions."""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.calendars import access, actions, days, ical, loader
from tongtui.calendars.events import KINDS, Event, by_day
from tongtui.calendars.forms import AUTO, LIST, MONTH, VIEWS, WEEK, CalendarFilter
from tongtui.calendars.models import CalendarFeed, FeedKind
from tongtui.core.errors import Conflict, Forbidden
from tongtui.core.models import WorkdayOverride
from tongtui.core.workdays import calendar
from tongtui.orgs.models import Person, Unit
from tongtui.orgs.roles import roles_of

FEED_DAYS_BEFORE = 92
FEED_DAYS_AFTER = 400
MAX_PER_CELL = 4  # entries a month cell shows before "N more"
MAX_PER_DAY = 200  # entries the list and the week show for one day; past that, a filter narrows the day


@dataclass
class Cell:
    day: days.Day
    events: list[Event]
    in_month: bool

    @property
    def shown(self) -> list[Event]:
        return self.events[:MAX_PER_CELL]

    @property
    def more(self) -> int:
        return max(0, len(self.events) - MAX_PER_CELL)

    @property
    def listed(self) -> list[Event]:
        return self.events[:MAX_PER_DAY]

    @property
    def unlisted(self) -> int:
        return max(0, len(self.events) - MAX_PER_DAY)


def _range(view: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    if view == WEEK:
        first = days.week_start(day)
        return first, first + datetime.timedelta(days=6)
    if view == LIST:
        return days.month_start(day), days.month_end(day)
    return days.month_grid(day)


def _link(query: dict[str, Any], **changes: Any) -> str:
    merged = {**query, **changes}
    pairs = [
        (k, v)
        for k, vs in merged.items()
        for v in (vs if isinstance(vs, list) else [vs])
        if v not in ("", None)
    ]
    return "?" + urlencode(pairs)


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    roles = roles_of(request.user)
    form = CalendarFilter(request.GET, roles)
    view, day = form.view_name(), form.day(today)
    sel = form.selection(access.mine(roles))
    first, last = _range(view, day)
    cal = calendar()
    events = loader.load(request.user, sel, first, last, today, cal)
    notes = dict(WorkdayOverride.objects.filter(date__range=(first, last)).values_list("date", "note"))
    described = days.describe(first, last, cal, notes)
    on_day = by_day(events)
    cells = [Cell(d, on_day.get(d.date, []), d.date.month == day.month) for d in described]
    month_first, month_last = days.month_start(day), days.month_end(day)
    listed = [c for c in cells if (view == WEEK or month_first <= c.day.date <= month_last)]
    query = {k: request.GET.getlist(k) for k in request.GET if k not in ("d", "view")}
    step_back, step_on = (
        (day - datetime.timedelta(days=7), day + datetime.timedelta(days=7))
        if view == WEEK
        else (days.add_months(day, -1), days.add_months(day, 1))
    )
    context = {
        "nav": "calendar",
        "form": form,
        "view": view,
        "views": VIEWS,
        "day": day,
        "today": today,
        "first": first,
        "last": last,
        "weeks": days.weeks(cells),
        "listed": [c for c in listed if c.events or c.day.is_holiday or c.day.is_adjusted_workday],
        "count": len(events),
        "weekdays": days.WEEKDAY_LABELS,
        "query": query,
        "view_links": [(v, label, _link(query, view=v, d=day.isoformat())) for v, label in VIEWS],
        "prev_link": _link(query, view=view, d=step_back.isoformat()),
        "next_link": _link(query, view=view, d=step_on.isoformat()),
        "today_link": _link(query, view=view),
        "list_base": _link(query, view=LIST, d=day.isoformat()),
        "filtered": any(form.value(k) for k in ("unit", "leader", "category", "mine"))
        or set(form.value("kind") or KINDS) != set(KINDS),
        "follow_unit": form.value("unit"),
        "follow_leader": form.value("leader"),
        "auto": view == AUTO,
        "month_view": view in (AUTO, MONTH),
    }
    return render(request, "calendars/calendar.html", context)


def feed_url(request: HttpRequest, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("calendars:ical", args=[feed.token]))


@login_required
def feed_list(request: HttpRequest) -> HttpResponse:
    feeds = actions.ensure_feeds(request.user)
    rows = []
    for f in feeds:
        url = feed_url(request, f)
        rows.append({"feed": f, "url": url, "webcal": "webcal://" + url.split("://", 1)[1]})
    roles = roles_of(request.user)
    context = {
        "nav": "calendar",
        "rows": rows,
        "sees_all": roles.sees_all,
        "units": Unit.objects.order_by("order", "name") if roles.sees_all else [],
        "leaders": Person.objects.filter(memberships__role="leader").distinct().order_by("name")
        if roles.sees_all
        else [],
    }
    return render(request, "calendars/feeds.html", context)


@login_required
@require_POST
def feed_add(request: HttpRequest) -> HttpResponse:
    unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
    leader = Person.objects.filter(pk=request.POST.get("leader") or 0).first()
    try:
        feed = actions.add_feed(request.user, unit=unit, leader=leader)
    except Forbidden:
        raise Http404("No such calendar") from None
    messages.success(request, _("Feed added: %(feed)s.") % {"feed": feed})
    return redirect(reverse("calendars:feeds") + f"#feed-{feed.pk}")


@login_required
@require_POST
def feed_reset(request: HttpRequest, pk: int) -> HttpResponse:
    feed = access.get_feed_for(request.user, pk)
    try:
        actions.reset_feed(feed, by=request.user)
    except Conflict as exc:
        messages.info(request, str(exc))
    else:
        messages.success(
            request, _("The address of %(feed)s is new; subscribe again with it. The old one no longer works.")
            % {"feed": feed},
        )  # fmt: skip
    return redirect(reverse("calendars:feeds") + f"#feed-{feed.pk}")


def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed, sel = access.feed_by_token(token)
    today = timezone.localdate()
    first, last = (
        today - datetime.timedelta(days=FEED_DAYS_BEFORE),
        today + datetime.timedelta(days=FEED_DAYS_AFTER),
    )
    events = loader.load(feed.user, sel, first, last, today)
    name = _("Tongtui · %(feed)s") % {"feed": _feed_name(feed)}
    body = ical.build(
        events, name=name, site_url=settings.SITE_URL, now=timezone.now(), tz=settings.TIME_ZONE, today=today
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tongtui.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def _feed_name(feed: CalendarFeed) -> str:
    if feed.kind == FeedKind.PERSON:
        person = getattr(feed.user, "person", None)
        return str(person.name if person else feed.user.get_username())
    return str(feed.unit or feed.leader)
