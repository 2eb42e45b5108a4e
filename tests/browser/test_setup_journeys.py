"""The office sets up next year in the browser, on a desktop and on a phone: opens 2027 from 2026, adds a
unit with an alias, fills a unit group that a task names, creates a person with a login; that person logs
in with the temporary password and is made to choose their own before anything else."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE, log_in
from tongtui.orgs.models import Person, Unit, UnitGroup
from tongtui.plans.actions_groups import add_co_group
from tongtui.plans.models import CoUnit, Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


WIDER = """w => [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > w)
    .map(e => e.tagName + "#" + e.id + "." + e.className).slice(-5)"""


def fits(page, viewport) -> None:
    """Nothing sticks out sideways (on a phone the page does not scroll left and right)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], page.evaluate(WIDER, viewport["width"])


def go(page, viewport, section: str) -> None:
    """Open a set-up section from the section bar (under the navbar's menu button on a phone for the first)."""
    if "/setup/" not in page.url:
        if viewport is PHONE:
            page.click(".navbar-toggler")
        page.click("#nav-setup")
        page.wait_for_url("**/setup/")
    page.click(f'#setup-nav a[href="/setup/{section}/"]')
    page.wait_for_url(f"**/setup/{section}/")
    fits(page, viewport)


def set_up_next_year(cast, open_page, viewport) -> str:
    group = UnitGroup.objects.create(name="各镇街")
    add_co_group(cast.task_a, group, by=cast.user("office"))
    page = open_page(viewport=viewport)
    log_in(page, "office")

    # 1. Open 2027 from 2026.
    go(page, viewport, "years")
    page.click("#open-year")
    expect(page.locator("#id_year")).to_have_value("2027")
    expect(page.locator("#id_source")).to_have_value(str(cast.plan.pk))
    page.click("#open-year-submit")
    page.wait_for_url("**/setup/years/2027/")
    expect(page.locator('[data-message-level="success"]')).to_be_visible()
    expect(page.locator("#categories [data-category]")).to_have_count(1)
    fits(page, viewport)

    # 2. A unit with an alias, and a second alias on its page.
    go(page, viewport, "units")
    page.click("#unit-new")
    page.fill("#id_name", "区数据资源管理局")
    page.fill("#id_short_name", "区数据局")
    page.select_option("#id_kind", "department")
    page.select_option("#id_parent", str(cast.district.pk))
    page.fill("#id_aliases", "区大数据局")
    page.click("#unit-save")
    page.wait_for_url(re.compile(r".*/setup/units/\d+/$"))
    page.fill("#id_alias", "数据局")
    page.click("#alias-submit")
    expect(page.locator('[data-alias="数据局"]')).to_be_visible()
    expect(page.locator('[data-alias="区大数据局"]')).to_be_visible()
    fits(page, viewport)

    # 3. Fill the group the task names: every town and subdistrict.
    go(page, viewport, "groups")
    expect(page.locator(f'[data-group="{group.pk}"] [data-members="0"]')).to_be_visible()
    page.click(f'[data-group="{group.pk}"] a[href$="/members/"]')
    page.click("#check-towns")
    expect(page.locator("#members-count")).to_have_text("1")
    page.click("#members-save")
    page.wait_for_url("**/setup/groups/")
    expect(page.locator(f'[data-group="{group.pk}"] [data-members="1"]')).to_be_visible()

    # 4. A person in the new unit, with a login.
    go(page, viewport, "people")
    page.click("#person-new")
    page.fill("#id_name", "孙新")
    page.fill("#id_title", "科长")
    page.select_option("#id_unit", label="区数据资源管理局")
    page.click("#person-save")
    page.wait_for_url(re.compile(r".*/setup/people/\d+/$"))
    page.fill("#id_username", "sjj-sun")
    page.click("#login-submit")
    expect(page.locator("#issued-password")).to_be_visible()
    password = page.locator("#issued-value").inner_text().strip()
    fits(page, viewport)

    plan = Plan.objects.get(year=2027)
    assert list(plan.categories.values_list("name", flat=True)) == ["产业转型升级"]
    unit = Unit.objects.get(name="区数据资源管理局")
    assert sorted(unit.aliases.values_list("name", flat=True)) == ["区大数据局", "数据局"]
    assert CoUnit.objects.filter(task=cast.task_a, unit=cast.unit_b, via_group=group).exists()
    person = Person.objects.get(name="孙新")
    assert person.unit == unit and person.user.username == "sjj-sun" and person.must_change_password
    return password


def first_login(open_page, viewport, password: str) -> None:
    page = open_page(viewport=viewport)
    page.goto("/login/")
    page.fill("#id_username", "sjj-sun")
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_url("**/account/password/**")
    expect(page.locator("#password-forced")).to_be_visible()
    page.goto("/tasks/")
    page.wait_for_url("**/account/password/**")  # nothing else opens first
    fits(page, viewport)
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Shuju-2027!")
    page.fill("#id_new_password2", "Shuju-2027!")
    page.click("#password-submit")
    page.wait_for_url(lambda url: "/account/password/" not in url)  # on to the home page
    expect(page.locator('[data-message-level="success"]')).to_be_visible()
    person = Person.objects.get(name="孙新")
    assert not person.must_change_password and person.user.check_password("Shuju-2027!")


def test_the_office_sets_up_next_year_on_a_desktop(cast, open_page):
    password = set_up_next_year(cast, open_page, DESKTOP)
    first_login(open_page, DESKTOP, password)


def test_the_office_sets_up_next_year_on_a_phone(cast, open_page):
    password = set_up_next_year(cast, open_page, PHONE)
    first_login(open_page, PHONE, password)
