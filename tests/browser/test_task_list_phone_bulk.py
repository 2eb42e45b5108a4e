"""The bulk-work bar of the task list on a phone: once a task is ticked the bar fits the screen (no strip of
buttons running past its right edge) and every operation can still be reached and is enabled; on a desktop
every operation stays on the bar, in view, without opening anything."""

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPS = ["assign", "leader", "owner", "category", "cycle", "ledger"]


def within(page, viewport, selector: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    box = page.locator(selector).bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box


def reachable(page, viewport, op: str) -> None:
    button = page.locator(f'#bulk-form button[name="op"][value="{op}"]')
    expect(button).to_have_count(1)
    if not button.is_visible():  # tucked into the "更多" menu on a phone
        page.locator("#bulk-more > summary").click()
    expect(button).to_be_visible()
    expect(button).to_be_enabled()
    within(page, viewport, f'#bulk-form button[name="op"][value="{op}"]')
    # The button itself is what a tap lands on, not something drawn over it.
    assert button.evaluate(
        """b => { const r = b.getBoundingClientRect();
                  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                  return hit === b || b.contains(hit); }"""
    ), op


def test_the_bulk_bar_fits_a_phone_and_every_operation_is_reachable(listed, open_page):
    cast = listed
    page = open_page(viewport=PHONE)
    log_in(page, "office")
    expect(page.locator("#task-table tbody tr")).to_have_count(5)
    page.check(f'input[name="task"][value="{cast.task_a.pk}"]')
    expect(page.locator("#bulk-count")).to_contain_text("1")
    expect(page.locator("#bulk-form")).to_be_visible()
    within(page, PHONE, "#bulk-form")
    within(page, PHONE, "#bulk-ops")
    for op in OPS:
        reachable(page, PHONE, op)
    within(page, PHONE, "#bulk-form")

    # A less common operation from the bar still posts the ticked task.
    page.locator('#bulk-form button[name="op"][value="cycle"]').click()
    page.wait_for_url("**/tasks/bulk/?*op=cycle*")
    assert f"task={cast.task_a.pk}" in page.url


def test_on_a_desktop_every_operation_is_on_the_bar(listed, open_page):
    page = open_page(viewport=DESKTOP)
    log_in(page, "office")
    page.check("#bulk-page")
    within(page, DESKTOP, "#bulk-form")
    tops = set()
    for op in OPS:
        button = page.locator(f'#bulk-form button[name="op"][value="{op}"]')
        expect(button).to_be_visible()  # no menu to open
        expect(button).to_be_enabled()
        tops.add(round(button.bounding_box()["y"]))
    assert len(tops) == 1  # one row of buttons
