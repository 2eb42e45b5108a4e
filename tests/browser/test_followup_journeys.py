"""Assignment follow-through in a real browser: a town's liaison on a phone sees a task to acknowledge with
its deadline, acknowledges it and asks for a milestone's extension; the office approves it on a desktop;
the roadmap shows the new date beside the original one."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser_fixtures import PHONE, log_in
from tongtui.plans import actions
from tongtui.plans.models import ChangeRequest, Milestone, RequestStatus, Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def town_task(cast):
    """A task the office has just assigned to the subdistrict (unit B), with two milestones."""
    office = cast.user("office")
    task = actions.create_task(
        by=office,
        plan=cast.plan,
        code="7.1",
        title="老旧小区改造提升",
        lead_unit=cast.unit_b,
        leader=cast.leader,
        owner=cast.owner,
        start=days(-30),
        due=days(300),
    )
    first = actions.add_milestone(
        task, by=office, title="完成设计方案", due=days(20), planned_progress=Decimal(30)
    )
    actions.add_milestone(task, by=office, title="主体完工", due=days(200), planned_progress=Decimal(90))
    actions.assign_task(task, by=office)
    task.refresh_from_db()
    return task, first


def test_a_town_liaison_acknowledges_and_asks_for_an_extension_the_office_approves(
    cast, open_page, town_task
):
    task, milestone = town_task
    phone = open_page(viewport=PHONE)
    log_in(phone, "liaison_b")

    phone.goto("/acknowledge/")
    row = phone.locator(f'#ack-table tr[data-task="{task.pk}"][data-unit="{cast.unit_b.pk}"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text(f"{task.ack_due:%Y-%m-%d}")
    expect(row.locator("[data-deadline]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    row.locator("[data-acknowledge]").click()
    expect(phone.locator('[data-message-level="success"]')).to_be_visible()
    expect(phone.locator("#nothing-to-acknowledge")).to_be_visible()
    assert Task.objects.get(pk=task.pk).lead_acknowledged_at is not None

    phone.goto(f"/tasks/{task.pk}/")
    expect(phone.locator(f'#ack-units [data-unit="{cast.unit_b.pk}"]')).to_have_attribute(
        "data-acknowledged", "yes"
    )
    phone.click("#ask-extension")
    phone.select_option("#id_target", str(milestone.pk))
    phone.fill("#id_proposed_due", f"{days(35):%Y-%m-%d}")
    phone.fill("#id_reason", "设计方案需征求居民意见，增加一轮公示")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.click("#send-request")
    expect(phone.locator("#request-status")).to_have_attribute("data-status", "pending")
    expect(phone.locator("#proposed-due")).to_contain_text(f"{days(35):%Y-%m-%d}")
    change = ChangeRequest.objects.get()
    assert (change.milestone_id, change.unit_id) == (milestone.pk, cast.unit_b.pk)

    desk = open_page()
    log_in(desk, "office")
    desk.goto("/requests/")
    desk.locator(f'#request-table tr[data-request="{change.pk}"] a').click()
    expect(desk.locator("#approve-form")).to_be_visible()
    expect(desk.locator("#id_due")).to_have_value(f"{days(35):%Y-%m-%d}")
    desk.fill("#id_due", f"{days(30):%Y-%m-%d}")  # the office grants less than asked
    desk.fill("#id_note", "同意延期，请抓紧公示")
    desk.click("#approve")
    expect(desk.locator("#request-status")).to_have_attribute("data-status", "approved")

    desk.goto(f"/tasks/{task.pk}/")
    item = desk.locator(f'#task-roadmap li[data-milestone="{milestone.pk}"]')
    expect(item).to_contain_text(f"{days(30):%Y-%m-%d}")
    expect(item.locator("[data-original-due]")).to_contain_text(f"{days(20):%Y-%m-%d}")
    assert ChangeRequest.objects.get().status == RequestStatus.APPROVED
    assert Milestone.objects.get(pk=milestone.pk).original_due == days(20)

    phone.goto(f"/tasks/{task.pk}/")  # the liaison sees it too
    expect(
        phone.locator(f'#task-roadmap li[data-milestone="{milestone.pk}"] [data-original-due]')
    ).to_be_visible()
