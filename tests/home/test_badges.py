"""Menu badges: how much work waits for the person, loaded after the page in one request."""

import re

import pytest
from django.test import Client

from tests.home.test_home import more_tasks

URL = "/home/badges/"


def counts(cast, who) -> dict[str, int]:
    c = Client()
    c.force_login(cast.user(who))
    html = c.get(URL).content.decode()
    return {k: int(v) for k, v in re.findall(r'id="badge-(\w+)"[^>]*>(\d+)<', html)}


def test_anonymous_is_sent_to_log_in(cast):
    assert Client().get(URL).status_code == 302


def test_a_liaison_counts_overdue_and_returned_reports_acknowledgements_and_orders(h, returned, orders):
    mine = counts(h, "liaison_a")
    assert mine["reports"] >= 10  # January to November, none filed
    assert mine["acknowledge"] == 1
    assert mine["supervision"] == 2  # one order, one chase notice
    assert mine["assignment"] == 1 and "review" not in mine  # the office's menu item: not on a liaison's page
    assert mine["menu"] == mine["reports"] + mine["assignment"] + mine["supervision"]


def test_another_units_liaison_sees_none_of_it(h, returned, orders):
    mine = counts(h, "liaison_b")
    assert mine["acknowledge"] == 0 and mine["supervision"] == 0


def test_the_office_counts_its_review_queue_and_deadlines_passed(h, orders):
    mine = counts(h, "office")
    assert mine["supervision"] == 1  # the order past its deadline; the chase is not due yet
    assert mine["reports"] == 0


def test_a_zero_shows_no_badge(h):
    c = Client()
    c.force_login(h.user("leader"))
    html = c.get(URL).content.decode()
    assert re.search(r'id="badge-reports"[^>]*hidden', html)
    assert 'id="badge-review"' not in html  # the leader's menu has no review queue to swap it into


def test_every_page_asks_for_the_badges_after_loading(cast):
    html = cast.client("liaison_a").get("/tasks/").content.decode()
    assert 'hx-get="/home/badges/"' in html and 'id="badge-reports"' in html


# session, user, roles; reports due (tasks, co-units, cycles, the reports' keys, the returned report read whole,
# contributions, overrides), sign-off, acknowledgements, orders, chase notices
@pytest.mark.parametrize("n", [0, 8])
def test_the_badges_run_a_fixed_number_of_queries(h, returned, orders, n, django_assert_num_queries):
    more_tasks(h, n)
    c = Client()
    c.force_login(h.user("liaison_a"))
    c.get(URL)
    with django_assert_num_queries(13):
        c.get(URL)
