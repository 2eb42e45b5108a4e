"""In the browser: a leader opens the cockpit and clicks the red segment of the chart to land on the red
tasks; a liaison on a phone sees a returned report on the home page and the count on the menu."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE, log_in
from tests.home.conftest import light

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def point_inside(shape) -> tuple[float, float]:
    """A point of the page inside an SVG shape (the middle of a ring's bounding box is its hole)."""
    return shape.evaluate(
        """(path) => {
            const svg = path.ownerSVGElement.getBoundingClientRect();
            const box = path.getBBox();
            for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
                const x = box.x + box.width * i / 20, y = box.y + box.height * j / 20;
                if (path.isPointInFill(new DOMPoint(x, y))) return [svg.left + x, svg.top + y];
            }
            return null;
        }"""
    )


def test_a_leader_clicks_the_red_segment_and_lands_on_the_red_tasks(lights, open_page, tmp_path):
    page = open_page(DESKTOP, locale="en-US")
    log_in(page, "leader", next="/cockpit/")
    chart = page.locator("#chart-lights")
    red = chart.locator("path[fill='#d63333']").first
    expect(red).to_be_visible()
    page.screenshot(path=str(tmp_path / "cockpit-1280.png"), full_page=True)
    page.mouse.click(*point_inside(red))  # ECharts listens on the chart, not on the shape: click where it is
    page.wait_for_url(re.compile(r"/tasks/\?.*light=red"))
    rows = page.locator("#task-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(lights.task_a.title)


def test_without_javascript_the_light_counts_are_links_to_the_same_lists(lights, open_page):
    page = open_page(DESKTOP)
    log_in(page, "leader", next="/cockpit/")
    href = page.locator('#light-counts a[data-light="red"]').get_attribute("href")
    assert href == f"/tasks/?plan={lights.plan.pk}&light=red"


def test_a_liaison_on_a_phone_sees_the_returned_report_and_a_badge(h, returned, open_page, tmp_path):
    light(h.task_a, "red")
    page = open_page(PHONE, locale="en-US")
    log_in(page, "liaison_a", next="/")
    pile = page.locator("#pile-reports")
    expect(pile).to_contain_text(h.task_a.title)
    expect(pile.locator(".badge.text-bg-danger").first).to_be_visible()
    badge = page.locator("#badge-menu")
    expect(badge).to_be_visible()
    assert int(badge.inner_text()) >= 1
    page.screenshot(path=str(tmp_path / "home-390.png"), full_page=True)
    pile.locator(f'a[href="/reports/{returned.pk}/"]').click()
    page.wait_for_url(f"**/reports/{returned.pk}/")
