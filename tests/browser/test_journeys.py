"""Real browser journeys: the office assigns a task; a liaison on a phone acknowledges it and reports progress."""

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import PHONE, log_in
from tongtui.plans import actions
from tongtui.plans.models import TaskStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_filters_the_list_opens_a_task_and_assigns_it(cast, open_page):
    page = open_page()
    log_in(page, "office")
    rows = page.locator("#task-table tbody tr")
    expect(rows).to_have_count(2)

    page.select_option("#id_unit", str(cast.unit_a.pk))  # htmx swaps the results in place
    expect(rows).to_have_count(1)
    expect(page.locator("#task-count")).to_contain_text("1")
    assert f"unit={cast.unit_a.pk}" in page.url  # the filter is in the address, so it can be shared

    page.click(f'tr[data-task="{cast.task_a.pk}"] a')
    page.wait_for_url(f"**/tasks/{cast.task_a.pk}/")
    expect(page.locator("#task-status")).to_have_attribute("data-status", "draft")
    page.click("#action-assign")
    expect(page.locator("#task-status")).to_have_attribute("data-status", "assigned")
    expect(page.locator('[data-message-level="success"]')).to_be_visible()
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == TaskStatus.ASSIGNED


def test_office_sorts_and_searches_without_reloading(cast, open_page):
    page = open_page()
    log_in(page, "office")
    page.evaluate("window.__same_page = true")
    page.click('a[data-sort="code"]')  # already ascending: now descending
    expect(page.locator("#task-table tbody tr").first).to_have_attribute("data-task", str(cast.task_c.pk))
    page.fill("#id_q", "预算")
    expect(page.locator("#task-table tbody tr")).to_have_count(1)
    expect(page.locator("#task-table tbody tr").first).to_have_attribute("data-task", str(cast.task_c.pk))
    assert page.evaluate("window.__same_page") is True


def test_liaison_on_a_phone_acknowledges_and_records_progress(cast, open_page):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    page = open_page(viewport=PHONE)
    log_in(page, "liaison_a")

    # The navbar folds into a menu on a phone.
    expect(page.locator("#logout")).to_be_hidden()
    page.click(".navbar-toggler")
    expect(page.locator("#logout")).to_be_visible()
    page.click(".navbar-toggler")

    # The list shows only unit A's task, as a card.
    rows = page.locator("#task-table tbody tr")
    expect(rows).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.click(f'tr[data-task="{cast.task_a.pk}"] a')
    page.wait_for_url(f"**/tasks/{cast.task_a.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("#action-acknowledge")
    expect(page.locator("#task-status")).to_have_attribute("data-status", "acknowledged")

    page.click("#action-progress")
    page.fill("#id_progress-progress", "40")
    page.fill("#id_progress-note", "已完成项目立项")
    page.click("#submit-progress")
    # the answer's page has arrived (the status moved on) before it is searched for errors; waiting for the
    # navigation's load event instead also waited for every image and script of the page, and once, in a full
    # run, did not see it within 15 s
    expect(page.locator("#task-status")).to_have_attribute("data-status", "in_progress")
    expect(page.locator('[data-message-level="error"], .invalid-feedback, .alert-danger')).to_have_count(0)
    expect(page.locator("#task-progress")).to_have_text("40%")
    expect(page.locator("#task-history")).to_contain_text("已完成项目立项")
    cast.task_a.refresh_from_db()
    assert cast.task_a.progress == 40
    assert cast.task_a.history.first().history_user == cast.user("liaison_a")


def test_an_outsider_on_a_phone_sees_no_task_and_a_404_for_task_a(cast, open_page):
    page = open_page(viewport=PHONE)
    log_in(page, "liaison_b")
    expect(page.locator("#no-tasks")).to_be_visible()
    response = page.goto(f"/tasks/{cast.task_a.pk}/")
    assert response.status == 404
    expect(page.locator("#not-found")).to_be_visible()
