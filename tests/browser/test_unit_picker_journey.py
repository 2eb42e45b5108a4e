"""With thousands of units the task list's unit filter is a box that suggests as one types: chosen with the keys on
a desktop, with a tap on a phone; emptying the box shows every unit's tasks again."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import PHONE, log_in
from tongtui.plans import views

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def many_units(monkeypatch):
    monkeypatch.setattr(views, "UNIT_SELECT_MAX", 2)  # the cast's three units count as "too many"


def test_the_office_finds_a_unit_by_typing_and_chooses_it_with_the_keys(cast, open_page, many_units):
    page = open_page()
    log_in(page, "office")
    rows = page.locator("#task-table tbody tr")
    expect(rows).to_have_count(2)
    page.fill("#id_unit_search", "发改")
    options = page.locator("#unit-suggestions [data-unit]")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text(cast.unit_a.label)
    expect(rows).to_have_count(2)  # typing alone does not filter
    if os.environ.get("TT_SHOTS"):
        page.screenshot(path=os.environ["TT_SHOTS"] + "/unit-picker-desktop.png")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-task", str(cast.task_a.pk))
    assert f"unit={cast.unit_a.pk}" in page.url
    expect(page.locator("#unit-suggestions")).to_be_hidden()

    page.reload()  # the address keeps the unit, and the box shows it by name
    expect(page.locator("#id_unit_search")).to_have_value(cast.unit_a.label)
    page.fill("#id_unit_search", "")
    expect(rows).to_have_count(2)
    assert f"unit={cast.unit_a.pk}" not in page.url

    page.fill("#id_unit_search", "没有这个单位")
    expect(page.locator("#unit-suggestions")).to_contain_text("没有这个名称的单位")


def test_a_phone_chooses_a_unit_with_a_tap(cast, open_page, many_units):
    page = open_page(viewport=PHONE)
    log_in(page, "office")
    page.click("#filter-toggle")
    page.fill("#id_unit_search", "城关")
    option = page.locator("#unit-suggestions [data-unit]").first
    expect(option).to_have_text(cast.unit_b.label)
    if os.environ.get("TT_SHOTS"):
        page.screenshot(path=os.environ["TT_SHOTS"] + "/unit-picker-phone.png")
    option.click()
    expect(page.locator("#no-tasks")).to_be_visible()  # 城关街道 leads and shares no task
    assert f"unit={cast.unit_b.pk}" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
