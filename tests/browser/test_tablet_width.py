"""The task list on a tablet (an iPad in portrait, a small laptop), in Chinese and in English, as the office,
who has the most menu items: the page is no wider than the screen, and every item of the top bar is on the screen,
in the folded menu once it is opened or on the bar itself."""

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"zh": ("zh-CN", "zh-hans"), "en": ("en-US", "en")}
# The top bar's items: the menu's entries, the bell, the account menu, the language switch and logging out.
BAR_ITEMS = "#tt-navbar .navbar-nav > .nav-item, #nav-notifications, #nav-user, #language-switch, #logout"


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("width", [820, 1024])
def test_the_task_list_fits_a_tablet_and_every_menu_item_is_reachable(listed, open_page, live_server, width, language):
    viewport = {"width": width, "height": 1000}
    locale, code = LOCALES[language]
    page = open_page(viewport=viewport, locale=locale)
    # The site speaks Chinese whatever the browser asks for; English is picked with the language switch's cookie.
    page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])
    log_in(page, "office")
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator("#task-table tbody tr")).to_have_count(5)
    page.wait_for_load_state("networkidle")  # the menu badges arrive after the page

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= page.evaluate("window.innerWidth"), scroll_width

    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():  # folded: every item is in the menu the button opens
        toggler.click()
        expect(page.locator("#tt-navbar")).to_be_visible()
    items = page.locator(BAR_ITEMS)
    assert items.count() >= 10
    for index in range(items.count()):  # on the bar or in the opened menu, each item is on the screen
        item = items.nth(index)
        expect(item).to_be_visible()
        box = item.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (item.inner_text(), box)

    # The table does not widen the page: it scrolls inside its own box if it must, and titles are not
    # squeezed into a column a couple of characters wide.
    table_box = page.locator("#task-table").evaluate("t => t.parentElement.getBoundingClientRect().right")
    assert table_box <= width
    title = page.locator("#task-table tbody td.tt-card-title").first.bounding_box()
    assert title is not None and title["width"] >= 120, title
