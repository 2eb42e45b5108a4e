"""RFC 5545 feeds of calendar entries, built with the icalendar library.

Dates are all-day events (DTSTART;VALUE=DATE, DTEND the next day); meetings start at their time in the
site's time zone, with its VTIMEZONE. Each open entry carries a VALARM the day before at 09:00. UIDs are the
entry's kind and id at the site's host, so a client updates an entry instead of adding a copy."""

import datetime
import zoneinfo
from urllib.parse import urlsplit

import icalendar

from tongtui.calendars.events import MEETING, Event

ALARM_TIME = datetime.time(9, 0)  # the day before, at this hour
MEETING_LENGTH = datetime.timedelta(hours=2)
REFRESH = datetime.timedelta(hours=1)


def alarm_trigger(event: Event) -> datetime.timedelta:
    """How long before the event's start its reminder goes off: the day before at ALARM_TIME.

    For an all-day event the start is midnight of its day, so the day before at 09:00 is 15 hours earlier.
    """
    start = datetime.datetime.combine(event.day, event.time or datetime.time(0))
    remind = datetime.datetime.combine(event.day - datetime.timedelta(days=1), ALARM_TIME)
    return remind - start


def summary(event: Event) -> str:
    mark = "✓ " if event.done else ""
    return f"{mark}[{event.kind_label}] {event.title}"


def build(
    events: list[Event],
    *,
    name: str,
    site_url: str,
    now: datetime.datetime,
    tz: str,
    today: datetime.date,
) -> bytes:
    host = urlsplit(site_url).hostname or "tongtui"
    base = site_url.rstrip("/")
    zone = zoneinfo.ZoneInfo(tz)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Tongtui//Calendar//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", tz)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    stamp = now.astimezone(datetime.UTC)
    for e in events:
        ev = icalendar.Event()
        ev.add("uid", f"{e.uid}@{host}")
        ev.add("dtstamp", stamp)
        ev.add("summary", summary(e))
        lines = [e.subject] + ([e.unit] if e.unit and e.unit not in e.subject else []) + [base + e.url]
        ev.add("description", "\n".join(lines))
        ev.add("url", base + e.url)
        ev.add("categories", [e.kind_label])
        if e.kind == MEETING and e.time is not None:
            start = datetime.datetime.combine(e.day, e.time, tzinfo=zone)
            ev.add("dtstart", start)
            ev.add("dtend", start + MEETING_LENGTH)
        else:
            ev.add("dtstart", e.day)
            ev.add("dtend", e.day + datetime.timedelta(days=1))
            ev.add("transp", "TRANSPARENT")
        if not e.done and e.day >= today:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary(e))
            alarm.add("trigger", alarm_trigger(e))
            ev.add_component(alarm)
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()
