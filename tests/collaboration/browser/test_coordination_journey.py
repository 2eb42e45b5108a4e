"""On a phone: a unit's liaison asks another unit for coordination from its task; the other unit's liaison
accepts naming its related task; each task's page shows the other's progress; the office filters the list."""

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE, log_in
from tests.collaboration.conftest import instruct
from tongtui.collaboration.models import CoordinationRequest, RequestStatus
from tongtui.dispatch import actions_cycles
from tongtui.orgs.models import Membership, Person, Role
from tongtui.plans import actions as plan_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_unit_asks_another_on_a_phone_and_the_linked_tasks_show_each_other(cast, open_page):
    from django.contrib.auth import get_user_model

    office = cast.user("office")
    for task in (cast.task_a, cast.task_c):
        plan_actions.assign_task(task, by=office)
    actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
    user = get_user_model().objects.create_user("liaison_c", password="pw-liaison_c")
    person = Person.objects.create(user=user, name="钱联络", unit=cast.unit_c)
    Membership.objects.create(person=person, unit=cast.unit_c, role=Role.LIAISON)
    instruct(cast)

    phone = open_page(viewport=PHONE)
    log_in(phone, "liaison_a", next=f"/tasks/{cast.task_a.pk}/")
    phone.locator("#ask-coordination").click()
    phone.select_option("#id_to_unit", str(cast.unit_c.pk))
    phone.fill("#id_subject", "请提供土地出让收入测算数据")
    phone.fill("#id_body", "用于测算年度财政收入目标完成情况。")
    assert fits(phone)
    phone.screenshot(path="/tmp/collab_request_form_phone.png")
    phone.locator("#send-request").click()
    expect(phone.locator("#request-status")).to_have_attribute("data-status", "pending")
    req = CoordinationRequest.objects.get()

    other = open_page(viewport=PHONE)
    log_in(other, "liaison_c", next="/")
    expect(other.locator("#pile-coordination")).to_be_visible()
    other.goto(f"/coordination/{req.pk}/")
    other.select_option("#id_related_task", str(cast.task_c.pk))
    other.locator("#accept").click()
    expect(other.locator("#request-status")).to_have_attribute("data-status", "accepted")
    assert fits(other)
    other.screenshot(path="/tmp/collab_request_detail_phone.png", full_page=True)

    phone.goto(f"/tasks/{cast.task_a.pk}/")
    expect(phone.locator(f'[data-coordination="{req.pk}"] [data-linked-task]')).to_contain_text(cast.task_c.title)
    phone.locator("#collaboration-panel").screenshot(path="/tmp/collab_panel_phone.png")
    other.goto(f"/tasks/{cast.task_c.pk}/")
    expect(other.locator(f'[data-coordination="{req.pk}"] [data-linked-task]')).to_contain_text(cast.task_a.title)

    desk = open_page(viewport=DESKTOP)
    log_in(desk, "office", next="/coordination/?tab=all")
    expect(desk.locator(f'#request-table tr[data-request="{req.pk}"]')).to_be_visible()
    desk.screenshot(path="/tmp/collab_request_list.png", full_page=True)
    desk.goto("/instructions/?tab=all")
    desk.screenshot(path="/tmp/collab_instruction_list.png", full_page=True)
    phone.goto("/instructions/")
    assert fits(phone)
    phone.screenshot(path="/tmp/collab_instruction_list_phone.png", full_page=True)
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED and req.related_task == cast.task_c
