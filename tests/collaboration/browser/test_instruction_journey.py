"""A leader on a phone writes an instruction on a red task; the lead unit's liaison replies; the leader reads the
reply and closes it; the office sees it closed — in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE, log_in
from tests.supervision.db.conftest import D
from tongtui.collaboration.models import Instruction, InstructionStatus
from tongtui.supervision.recompute import recompute_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_leader_instructs_on_a_red_task_from_the_phone_the_unit_replies_the_office_sees_it_closed(
    lights, open_page
):
    cast = lights.cast
    lights.report(cast.task_a, 9, 45, submitted=D(2026, 9, 24), accept=True)
    lights.report(cast.task_a, 10, 50, submitted=D(2026, 10, 24))
    recompute_plan(cast.plan)

    phone = open_page(viewport=PHONE)
    log_in(phone, "leader", next=f"/tasks/{cast.task_a.pk}/")
    expect(phone.locator("#task-light")).to_have_attribute("data-light", "red")
    phone.locator("#write-instruction").click()
    phone.fill("#id_text", "进度滞后,请倒排工期,3个工作日内报送赶进度措施。")
    expect(phone.locator(f'input[name="units"][value="{cast.unit_a.pk}"]')).to_be_checked()
    assert fits(phone)
    phone.locator("#send-instruction").click()
    phone.wait_for_url(f"**/tasks/{cast.task_a.pk}/")
    i = Instruction.objects.get()
    card = phone.locator(f'[data-instruction="{i.pk}"]')
    expect(card).to_have_attribute("data-status", "open")
    assert fits(phone)
    phone.screenshot(path="/tmp/collab_leader_phone.png", full_page=False)

    liaison = open_page(viewport=PHONE)
    log_in(liaison, "liaison_a", next="/")
    pile = liaison.locator("#pile-instructions")
    expect(pile).to_contain_text("1")
    liaison.goto(f"/instructions/{i.pk}/")
    liaison.fill("#id_text", "已制定赶进度计划,增加施工力量,月底前补齐滞后节点。")
    liaison.locator("#send-reply").click()
    expect(liaison.locator("#instruction-status")).to_have_attribute("data-status", "replied")
    expect(liaison.locator("[data-reply]")).to_have_count(1)
    assert fits(liaison)

    phone.goto("/")
    expect(phone.locator("#pile-instructions_replied")).to_be_visible()
    phone.goto(f"/instructions/{i.pk}/")
    expect(phone.locator("[data-reply]").first).to_contain_text("赶进度计划")
    phone.locator("#close-instruction").click()
    expect(phone.locator("#instruction-status")).to_have_attribute("data-status", "closed")

    office = open_page(viewport=DESKTOP)
    log_in(office, "office", next="/instructions/?tab=all")
    row = office.locator(f'#instruction-table tr[data-instruction="{i.pk}"]')
    expect(row).to_be_visible()
    office.goto(f"/instructions/{i.pk}/")
    expect(office.locator("#instruction-status")).to_have_attribute("data-status", "closed")
    office.screenshot(path="/tmp/collab_office_closed.png", full_page=True)
    i.refresh_from_db()
    assert i.status == InstructionStatus.CLOSED
