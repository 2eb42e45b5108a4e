"""In the browser, on a phone: a liaison whose report was returned sees the unread count on the bell beside the
menu button and in the menu; opening the notification lands on the report, marks it read, and the count drops."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE, log_in
from tongtui.dispatch import actions, actions_cycles, assigned
from tongtui.dispatch.due import due_for
from tongtui.notify.kinds import Kind
from tongtui.notify.models import Notification
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JANUARY = datetime.datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def returned(cast):
    """Task A assigned (its 交办 notice swept out), then liaison_a's report returned by the office: two unread."""
    office, liaison = cast.user("office"), cast.user("liaison_a")
    plan_actions.assign_task(cast.task_a, by=office)
    assert assigned.sweep() == 1
    Task.objects.filter(pk=cast.task_a.pk).update(assigned_at=JANUARY)
    cast.task_a.refresh_from_db()
    actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
    item = next(i for i in due_for(liaison) if i.task.pk == cast.task_a.pk)
    report = actions.start_or_get_draft(cast.task_a, item.period, by=liaison)
    actions.save_draft(report, by=liaison, version=None, progress=30, done="完成前期手续")
    actions.submit_report(report, by=liaison)
    actions.sign_off(report, by=cast.user("head_a"))
    actions.return_report(report, by=office, reason="请补充施工许可证编号")
    cast.report = report
    cast.note = Notification.objects.get(recipient=liaison, kind=Kind.REPORT_RETURNED)
    assert Notification.objects.filter(recipient=liaison, read_at__isnull=True).count() == 2
    return cast


def beside(bell, toggler) -> bool:
    """The bell sits on the toggler's row, to its left."""
    b, t = bell.bounding_box(), toggler.bounding_box()
    assert b is not None and t is not None
    middle = b["y"] + b["height"] / 2
    return t["y"] <= middle <= t["y"] + t["height"] and b["x"] + b["width"] <= t["x"]


def test_a_liaison_on_a_phone_opens_the_returned_report_from_the_bell(returned, open_page, tmp_path):
    cast = returned
    page = open_page(PHONE, locale="en-US")
    log_in(page, "liaison_a", next="/")
    bell, toggler = page.locator("#nav-unread-phone"), page.locator(".navbar-toggler")
    expect(bell).to_be_visible()
    expect(bell.locator(".tt-unread")).to_have_text("2")
    page.wait_for_load_state("networkidle")  # the menu badges arrive after the page and widen the toggler
    assert beside(bell, toggler)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "home-390.png"))

    toggler.click()
    expect(page.locator("#tt-navbar")).to_have_class(re.compile(r"\bshow\b"))  # opened, not still sliding
    in_menu = page.locator("#nav-unread")
    expect(in_menu).to_be_visible()
    expect(in_menu).to_have_text("2")
    page.screenshot(path=str(tmp_path / "menu-390.png"))
    toggler.click()
    expect(page.locator("#tt-navbar")).not_to_have_class(re.compile(r"\bshow\b"))

    bell.click()
    page.wait_for_url("**/notifications/?unread=1")
    rows = page.locator("#notifications [data-unread='1']")
    expect(rows).to_have_count(2)
    expect(page.locator("#unread-count")).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "unread-390.png"), full_page=True)

    page.locator(f'#notifications a[href="/notifications/{cast.note.pk}/"]').click()
    page.wait_for_url(f"**/reports/{cast.report.pk}/")
    expect(page.locator("#report-status")).to_have_attribute("data-status", "returned")
    expect(page.locator("#nav-unread-phone .tt-unread")).to_have_text("1")
    page.screenshot(path=str(tmp_path / "report-390.png"))
    cast.note.refresh_from_db()
    assert cast.note.read_at is not None

    page.goto("/notifications/")
    expect(page.locator("#notifications [data-unread='1']")).to_have_count(1)
    expect(page.locator("#notifications [data-unread='0'] a")).to_have_attribute(
        "href", f"/notifications/{cast.note.pk}/"
    )
    expect(page.locator("#unread-count")).to_have_text("1")


def test_on_a_desktop_the_count_is_on_the_bell_in_the_menu_bar(returned, open_page, tmp_path):
    page = open_page(DESKTOP, locale="en-US")
    log_in(page, "liaison_a", next="/notifications/")
    expect(page.locator("#nav-unread-phone")).to_be_hidden()
    expect(page.locator("#nav-unread")).to_have_text("2")
    page.screenshot(path=str(tmp_path / "notifications-1280.png"))
    page.locator("#mark-read").click()
    expect(page.locator("#nav-unread")).to_have_count(0)
    expect(page.locator("#notifications [data-unread='1']")).to_have_count(0)
