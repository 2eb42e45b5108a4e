"""我的账号: each person sees who they are to the platform and where their own settings live."""

import pytest
from django.test import Client

from tongtui.calendars import actions as calendar_actions
from tongtui.calendars.models import CalendarFeed
from tongtui.orgs.models import Person


def english(cast, who: str) -> Client:
    client = cast.client(who)
    client.cookies["django_language"] = "en"
    return client


def test_a_liaison_sees_their_unit_role_and_settings_and_their_own_calendar_addresses(cast):
    calendar_actions.ensure_feeds(cast.user("liaison_b"))  # someone else's addresses, never shown here
    page = english(cast, "liaison_a").get("/account/")
    assert page.status_code == 200
    text = page.text
    person = Person.objects.get(user=cast.user("liaison_a"))
    assert person.name in text and str(cast.unit_a) in text
    assert "/account/password/" in text and "/notifications/settings/" in text
    feeds = CalendarFeed.objects.filter(user=cast.user("liaison_a"))
    assert feeds.exists()
    for feed in feeds:
        assert feed.token in text  # the secret address, to paste into a calendar
    other = CalendarFeed.objects.exclude(user=cast.user("liaison_a")).values_list("token", flat=True)
    assert other
    assert not any(token in text for token in other)


def test_the_menu_leads_to_the_account_page(cast):
    assert 'id="nav-profile"' in english(cast, "office").get("/tasks/").text


@pytest.mark.parametrize("who", ["office", "leader", "head_a", "liaison_b"])
def test_every_role_has_an_account_page(cast, who):
    assert english(cast, who).get("/account/").status_code == 200


def test_anonymous_is_sent_to_log_in(cast):
    r = cast.client("anonymous").get("/account/")
    assert r.status_code == 302 and "/login" in r["Location"]
