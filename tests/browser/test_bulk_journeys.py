"""Bulk work in a real browser, on a desktop and on a phone: the office filters the drafts, selects every task
matching the filter, assigns, sees the tasks that lack a responsible person listed, sets their person in
bulk and assigns them too."""

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE, log_in
from tongtui.orgs.models import Person
from tongtui.plans import actions
from tongtui.plans.models import Task, TaskStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def imported(cast, settings):
    """After an import: tasks 1 and 2 ready, 3 and 4 without a responsible person, 5 already assigned."""
    settings.SUPERVISION_LIGHTS_ON_CHANGE = False
    for code in ("3", "4"):
        Task.objects.create(plan=cast.plan, code=code, title=f"导入任务{code}", category=cast.category,
                            lead_unit=cast.unit_a, leader=cast.leader)
    five = Task.objects.create(plan=cast.plan, code="5", title="导入任务5", lead_unit=cast.unit_a,
                               leader=cast.leader, owner=cast.owner)
    actions.assign_task(five, by=cast.user("office"))
    Person.objects.create(name="孙责任", unit=cast.unit_a, title="副局长")
    return cast


def fits(page, viewport) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_office_assigns_the_drafts_fills_in_the_missing_people_and_assigns_the_rest(imported, open_page,
                                                                                         viewport):
    cast = imported
    page = open_page(viewport=viewport)
    log_in(page, "office")
    rows = page.locator("#task-table tbody tr")
    expect(rows).to_have_count(5)

    if viewport is PHONE:
        page.click("#filter-toggle")
    page.select_option("#id_status", "draft")  # htmx swaps the results and the bar in place
    expect(rows).to_have_count(4)
    fits(page, viewport)
    expect(page.locator('#bulk-ops button[name="op"]').first).to_be_disabled()  # nothing selected yet

    page.check("#bulk-all")
    expect(page.locator('input[name="task"]:checked')).to_have_count(4)
    expect(page.locator("#bulk-count")).to_contain_text("4")
    page.click("#bulk-assign")

    # One confirmation page: what will be assigned, and what the others lack.
    page.wait_for_url("**/tasks/bulk/?*op=assign*")
    expect(page.locator('[data-kind="done"]')).to_contain_text("2")
    lacking = page.locator('[data-kind="lacking"]')
    expect(lacking).to_have_count(1)
    expect(lacking.locator("li[data-task]")).to_have_count(2)
    fits(page, viewport)
    assert Task.objects.filter(status=TaskStatus.DRAFT).count() == 4  # nothing yet
    page.click("#bulk-confirm")

    # The result: two assigned, two not, with links to them and the way on.
    page.wait_for_url("**/tasks/bulk/done/")
    expect(page.locator('#bulk-result [data-kind="lacking"] li[data-task]')).to_have_count(2)
    assert set(Task.objects.filter(status=TaskStatus.ASSIGNED).values_list("code", flat=True)) == {"1", "2", "5"}
    fits(page, viewport)
    page.click("#bulk-next-owner")

    page.wait_for_url("**/tasks/bulk/?*op=owner*")
    expect(page.locator('[data-kind="done"]')).to_contain_text("2")
    page.select_option("#id_owner", label=next(
        o for o in page.locator("#id_owner option").all_inner_texts() if o.startswith("孙责任")
    ))
    page.fill("#id_reason", "导入后补充责任人")
    fits(page, viewport)
    page.click("#bulk-confirm")
    page.wait_for_url("**/tasks/bulk/done/")
    person = Person.objects.get(name="孙责任")
    assert set(Task.objects.filter(owner=person).values_list("code", flat=True)) == {"3", "4"}

    page.click("#bulk-next-assign")
    page.wait_for_url("**/tasks/bulk/?*op=assign*")
    expect(page.locator('[data-kind="lacking"]')).to_have_count(0)
    page.click("#bulk-confirm")
    page.wait_for_url("**/tasks/bulk/done/")
    expect(page.locator('#bulk-result [data-kind="done"]')).to_contain_text("2")

    assert not Task.objects.filter(status=TaskStatus.DRAFT).exists()
    numbers = sorted(Task.objects.values_list("assignment_no", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    task = Task.objects.get(code="3")
    assert [h.history_change_reason for h in task.history.all()[:2]][1] == "导入后补充责任人"
    assert task.history.first().history_user == cast.user("office")

    page.click("#bulk-to-list")
    page.wait_for_url("**/tasks/**")
    expect(page.locator("#task-table")).to_be_visible()


def test_ticking_single_tasks_and_the_page_box_on_a_desktop(imported, open_page):
    cast = imported
    page = open_page()
    log_in(page, "office")
    page.check("#bulk-page")
    expect(page.locator('input[name="task"]:checked')).to_have_count(5)
    page.uncheck(f'input[name="task"][value="{cast.task_a.pk}"]')
    assert page.evaluate("document.getElementById('bulk-page').indeterminate") is True
    expect(page.locator("#bulk-count")).to_contain_text("4")
    page.click("#bulk-category")
    page.wait_for_url("**/tasks/bulk/?*op=category*")
    assert f"task={cast.task_a.pk}&" not in page.url + "&"
    expect(page.locator('[data-kind="done"]')).to_contain_text("4")


def test_a_leader_sees_no_boxes(imported, open_page):
    page = open_page(viewport=PHONE)
    log_in(page, "leader")
    expect(page.locator("#task-table tbody tr")).to_have_count(5)
    expect(page.locator("#bulk-form")).to_have_count(0)
    expect(page.locator('input[name="task"]')).to_have_count(0)
    assert page.goto("/tasks/bulk/?op=assign&scope=filter").status == 404


def test_without_javascript_ticking_and_posting_still_works(imported, chromium, live_server, browser_settings):
    cast = imported
    context = chromium.new_context(java_script_enabled=False, base_url=live_server.url, locale="zh-CN")
    try:
        page = context.new_page()
        log_in(page, "office")
        page.check(f'input[name="task"][value="{cast.task_a.pk}"]')
        page.check(f'input[name="task"][value="{cast.task_c.pk}"]')
        page.click("#bulk-assign")  # a plain form: the address carries the two ids
        page.wait_for_url("**/tasks/bulk/?*op=assign*")
        assert f"task={cast.task_a.pk}" in page.url and f"task={cast.task_c.pk}" in page.url
        page.click("#bulk-confirm")
        page.wait_for_url("**/tasks/bulk/done/")
        assert set(Task.objects.filter(status=TaskStatus.ASSIGNED).values_list("code", flat=True)) == {"1", "2", "5"}
    finally:
        context.close()
