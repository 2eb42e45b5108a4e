"""iCalendar feeds: found on the subscriptions page and through the API, opened by their token alone,
valid RFC 5545 (parsed back with the icalendar library), reset to a new address that retires the old one."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from tongtui.calendars import actions
from tongtui.calendars.models import CalendarFeed, FeedKind
from tongtui.orgs.models import Membership
from tongtui.plans.models import Milestone
from tongtui.supervision import actions_orders


@pytest.fixture
def soon(cast):
    """Entries near today (feeds show from three months back to a year ahead): a milestone of task_a in ten
    days, one done last week, and an order to unit B due in a few working days."""
    today = timezone.localdate()
    cast.m_open = Milestone.objects.create(
        task=cast.task_a, title="开工建设", due=today + datetime.timedelta(days=10), planned_progress=30
    )
    cast.m_done = Milestone.objects.create(
        task=cast.task_a, title="完成立项", due=today - datetime.timedelta(days=7), planned_progress=10,
        done_on=today - datetime.timedelta(days=8),
    )  # fmt: skip
    cast.order = actions_orders.issue_order(
        by=cast.user("office"), plan=cast.plan, unit=cast.unit_b, problem="台账不全",
        requirement="补齐台账", workdays=5, issued_on=today,
    )  # fmt: skip
    return cast


def feed_of(cast, who, kind=FeedKind.PERSON):
    actions.ensure_feeds(cast.user(who))
    return CalendarFeed.objects.get(user=cast.user(who), kind=kind)


def fetch(client, feed_or_token):
    token = feed_or_token if isinstance(feed_or_token, str) else feed_or_token.token
    return client.get(reverse("calendars:ical", args=[token]))


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def vevents(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_a_persons_feed_is_valid_icalendar_with_reminders(soon, client):
    feed = feed_of(soon, "liaison_a")
    cal = parse(fetch(client, feed))  # no login: the token is the key
    assert str(cal["VERSION"]) == "2.0" and "PRODID" in cal
    found = vevents(cal)
    host = "127.0.0.1"
    open_one = found[f"milestone-{soon.m_open.pk}@{host}"]
    assert open_one["DTSTART"].dt == soon.m_open.due  # an all-day event: a date, not a time
    assert isinstance(open_one["DTSTART"].dt, datetime.date) and not isinstance(
        open_one["DTSTART"].dt, datetime.datetime
    )
    assert open_one["DTEND"].dt == soon.m_open.due + datetime.timedelta(days=1)
    assert "DTSTAMP" in open_one and str(open_one["URL"]).endswith(
        reverse("task-detail", args=[soon.task_a.pk]) + "#roadmap"
    )
    (alarm,) = open_one.walk("VALARM")
    assert alarm["TRIGGER"].dt == -datetime.timedelta(hours=15)  # the day before at 09:00
    assert str(alarm["ACTION"]) == "DISPLAY"
    done = found[f"milestone-{soon.m_done.pk}@{host}"]
    assert done.walk("VALARM") == [] and str(done["SUMMARY"]).startswith("✓")
    assert f"order-{soon.order.pk}@{host}" not in found  # unit B's order is not unit A's business


def test_uids_stay_the_same_from_one_fetch_to_the_next(soon, client):
    feed = feed_of(soon, "office")
    first = set(vevents(parse(fetch(client, feed))))
    assert first == set(vevents(parse(fetch(client, feed))))
    assert f"order-{soon.order.pk}@127.0.0.1" in first


def test_a_meeting_has_its_time_in_the_sites_time_zone(cast, client):
    from tongtui.dispatch import actions_meetings

    day = timezone.localdate() + datetime.timedelta(days=3)
    meeting = actions_meetings.create_meeting(
        by=cast.user("office"),
        plan=cast.plan,
        date=day,
        time=datetime.time(15, 0),
        title="专题调度会",
        chair=cast.leader,
    )
    cal = parse(fetch(client, feed_of(cast, "leader")))
    event = vevents(cal)[f"meeting-{meeting.pk}@127.0.0.1"]
    start = event["DTSTART"].dt
    assert start.hour == 15 and str(start.tzinfo) == "Asia/Shanghai"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    (alarm,) = event.walk("VALARM")
    assert alarm["TRIGGER"].dt == -datetime.timedelta(hours=30)  # 15:00 → the day before at 09:00


def test_a_unit_feed_and_a_leader_feed(soon, client):
    unit_feed = feed_of(soon, "liaison_b", FeedKind.UNIT)
    assert unit_feed.unit == soon.unit_b
    assert set(vevents(parse(fetch(client, unit_feed)))) == {f"order-{soon.order.pk}@127.0.0.1"}
    leader_feed = feed_of(soon, "leader", FeedKind.LEADER)
    found = set(vevents(parse(fetch(client, leader_feed))))
    assert (
        f"milestone-{soon.m_open.pk}@127.0.0.1" in found and f"order-{soon.order.pk}@127.0.0.1" not in found
    )


@pytest.mark.django_db
def test_a_feed_address_without_its_token_is_a_404(client):
    assert client.get("/calendar/ical/").status_code == 404
    assert client.get("/calendar/ical/.ics").status_code == 404
    assert fetch(client, "x" * 32).status_code == 404


def test_a_reset_address_is_a_404_and_the_new_one_works(soon, client):
    feed = feed_of(soon, "liaison_a")
    old = feed.token
    response = soon.client("liaison_a").post(reverse("calendars:feed-reset", args=[feed.pk]))
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.token != old and feed.reset_at is not None
    assert fetch(client, old).status_code == 404
    assert fetch(client, feed).status_code == 200
    assert feed.history.first().history_user == soon.user("liaison_a")  # who reset it, not the token


def test_someone_elses_feed_cannot_be_reset(soon):
    feed = feed_of(soon, "liaison_a")
    assert soon.client("liaison_b").post(reverse("calendars:feed-reset", args=[feed.pk])).status_code == 404
    assert soon.client("anonymous").post(reverse("calendars:feed-reset", args=[feed.pk])).status_code == 302
    assert CalendarFeed.objects.get(pk=feed.pk).token == feed.token


def test_a_feed_of_someone_who_left_is_a_404(soon, client):
    unit_feed = feed_of(soon, "liaison_b", FeedKind.UNIT)
    person_feed = CalendarFeed.objects.get(user=soon.user("liaison_b"), kind=FeedKind.PERSON)
    Membership.objects.filter(person=soon.liaison_b).delete()
    soon.user("liaison_b").__dict__.pop("_tongtui_roles", None)
    assert fetch(client, unit_feed).status_code == 404
    assert vevents(parse(fetch(client, person_feed))) == {}  # no unit any more: nothing to show
    user = soon.user("liaison_b")
    user.is_active = False
    user.save()
    assert fetch(client, person_feed).status_code == 404


def test_the_subscriptions_page_lists_ones_feeds_and_nobody_elses(soon):
    response = soon.client("liaison_a").get(reverse("calendars:feeds"))
    assert response.status_code == 200
    mine = CalendarFeed.objects.filter(user=soon.user("liaison_a"))
    assert {f.kind for f in mine} == {FeedKind.PERSON, FeedKind.UNIT}
    body = response.content.decode()
    assert all(f"/calendar/ical/{f.token}.ics" in body for f in mine)
    assert "webcal://" in body
    other = feed_of(soon, "liaison_b")
    assert other.token not in body
    assert soon.client("anonymous").get(reverse("calendars:feeds")).status_code == 302


def test_following_a_unit_one_may_not_see_is_a_404(soon):
    url = reverse("calendars:feed-add")
    assert soon.client("liaison_a").post(url, {"unit": soon.unit_b.pk}).status_code == 404
    assert soon.client("liaison_a").post(url, {"leader": soon.leader.pk}).status_code == 404
    assert not CalendarFeed.objects.filter(user=soon.user("liaison_a"), unit=soon.unit_b).exists()
    assert soon.client("office").post(url, {"unit": soon.unit_b.pk}).status_code == 302
    assert soon.client("office").post(url, {"unit": soon.unit_b.pk}).status_code == 302  # twice: still one
    assert CalendarFeed.objects.filter(user=soon.user("office"), unit=soon.unit_b).count() == 1


def test_the_api_lists_ones_own_feed_addresses(soon):
    response = soon.client("leader").get("/api/calendar/feeds/")
    assert response.status_code == 200
    rows = response.json()
    assert {r["kind"] for r in rows} == {"person", "leader"}
    feed = CalendarFeed.objects.get(user=soon.user("leader"), kind=FeedKind.LEADER)
    row = next(r for r in rows if r["kind"] == "leader")
    assert row["url"] == f"http://testserver/calendar/ical/{feed.token}.ics"
    assert row["webcal"].startswith("webcal://testserver/") and row["leader"] == soon.leader.pk


def test_the_api_resets_and_hides_other_peoples_feeds(soon, client):
    feed = feed_of(soon, "liaison_a")
    assert soon.client("liaison_b").post(f"/api/calendar/feeds/{feed.pk}/reset/").status_code == 404
    assert soon.client("liaison_b").get(f"/api/calendar/feeds/{feed.pk}/").status_code == 404
    assert soon.client("anonymous").get("/api/calendar/feeds/").status_code in (401, 403)
    response = soon.client("liaison_a").post(f"/api/calendar/feeds/{feed.pk}/reset/")
    assert response.status_code == 200
    assert fetch(client, feed).status_code == 404
    assert response.json()["url"].endswith(CalendarFeed.objects.get(pk=feed.pk).token + ".ics")
