"""The main pages under the Content-Security-Policy in a real browser: nothing refused (no
`securitypolicyviolation` event, no CSP message in the console), and what the scripts draw is drawn."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import log_in
from tongtui.dispatch import actions_cycles
from tongtui.dispatch.due import due_for
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JANUARY = datetime.datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


def watched(open_page):
    page = open_page()
    page.context.add_init_script(LISTEN)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    return page, console


def clean(page, console) -> None:
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == [], page.url
    assert console == [], page.url


@pytest.fixture
def reporting(cast):
    office = cast.user("office")
    plan_actions.assign_task(cast.task_a, by=office)
    Task.objects.filter(pk=cast.task_a.pk).update(assigned_at=JANUARY)
    actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
    return cast


def test_the_offices_pages_and_the_api_docs_run_under_the_policy(reporting, open_page):
    cast = reporting
    page, console = watched(open_page)
    log_in(page, "office", next="/")
    clean(page, console)

    page.goto(f"/tasks/{cast.task_a.pk}/")
    expect(page.locator("#task-light")).to_be_visible()  # loaded by htmx, its chart drawn by a static script
    expect(page.locator("#task-trajectory-chart canvas")).to_have_count(1)
    clean(page, console)

    page.goto("/cockpit/")
    expect(page.locator("#chart-lights svg")).to_be_visible()
    box = page.locator("#chart-lights").bounding_box()
    for step in range(8):  # over the ring: ECharts' tooltip writes inline style attributes, which are allowed
        page.mouse.move(box["x"] + box["width"] / 2 + step * 12, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    clean(page, console)

    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    clean(page, console)


def test_the_report_form_runs_under_the_policy(reporting, open_page):
    cast = reporting
    item = next(i for i in due_for(cast.user("liaison_a")) if i.task.pk == cast.task_a.pk)
    page, console = watched(open_page)
    log_in(page, "liaison_a")
    page.goto(f"/reports/task/{cast.task_a.pk}/{item.period.start:%Y-%m-%d}/")
    expect(page.locator("#report-form")).to_be_visible()
    page.fill("#id_progress", "35")
    assert page.input_value("#progress-range") == "35"  # the slider follows: the form's script ran
    clean(page, console)


def test_a_test_page_with_an_inline_script_is_reported(cast, open_page):
    """The check itself works: an inline script on a page of this site is refused and seen."""
    page, console = watched(open_page)
    log_in(page, "office", next="/")
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
                       document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.__csp"))


def test_the_behaviours_moved_out_of_inline_handlers_still_work(cast, open_page):
    from tongtui.assessment.models import YearFreeze

    page, console = watched(open_page)
    log_in(page, "office", next="/")
    page.goto("/supervision/orders/")
    page.select_option("select[name=state]", "all")  # data-autosubmit: the form is sent on change
    page.wait_for_url("**state=all**")

    page.goto(f"/assessment/{cast.plan.year}/year-end/")
    boxes = page.locator("#decide-form input[name=task]")
    assert boxes.count() >= 1
    page.check("#tick-all")  # data-tick-all
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    if page.locator("#freeze-form").count():
        page.once("dialog", lambda dialog: dialog.dismiss())  # data-confirm: no, thanks
        page.click("#freeze-form button[type=submit]")
        page.wait_for_timeout(300)
        assert not YearFreeze.objects.exists()
    clean(page, console)
