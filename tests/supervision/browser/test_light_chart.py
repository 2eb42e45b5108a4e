"""The task page loads its light and draws the year's chart with ECharts in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import log_in
from tests.supervision.db.conftest import D
from tongtui.supervision.recompute import recompute_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_task_page_draws_the_light_and_the_chart(lights, open_page):
    cast = lights.cast
    lights.report(cast.task_a, 9, 45, submitted=D(2026, 9, 24), accept=True)
    lights.report(cast.task_a, 10, 50, submitted=D(2026, 10, 24))
    recompute_plan(cast.plan)
    page = open_page()
    log_in(page, "office")
    page.goto(f"/tasks/{cast.task_a.pk}/")
    expect(page.locator("#task-light")).to_have_attribute("data-light", "red")
    expect(page.locator("#task-light-reasons li").first).to_be_visible()
    expect(page.locator("#task-trajectory-chart canvas")).to_have_count(1)
    assert (
        page.evaluate(
            "window.echarts.getInstanceByDom(document.getElementById('task-trajectory-chart'))"
            ".getOption().series.length"
        )
        == 3
    )
    page.locator("#task-light").screenshot(path="/tmp/task_light_chart.png")
