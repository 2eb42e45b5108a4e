"""Playwright fixtures, registered once for the whole run from tests/conftest.py (a session-scoped browser
must not be defined twice): Debian's Chromium driven through the sync API against pytest-django's live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

def settle_after_clicks() -> None:
    """A click that opens another page returns once that page has begun to arrive, before its scripts have run; a
    journey that then types, picks a file or opens a fold would race them (an event sent before its listener
    exists is lost). Every click therefore waits for the page it leaves the browser on to finish loading, as
    `goto` does; a click that stays on its page finds it loaded and goes on at once."""
    from playwright.sync_api import Locator, Page

    if getattr(Page.click, "settles", False):
        return

    def settled(click, page_of):
        def click_and_settle(self, *args, **kwargs):
            result = click(self, *args, **kwargs)
            page_of(self).wait_for_load_state("load")
            return result

        click_and_settle.settles = True
        return click_and_settle

    Page.click = settled(Page.click, lambda page: page)
    Locator.click = settled(Locator.click, lambda locator: locator.page)


@pytest.fixture
def browser_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The vendored files live in tongtui/static; serve them even if settings do not list that folder yet.
    static = Path(__file__).resolve().parents[2] / "tongtui" / "static"
    if static not in [Path(d) for d in settings.STATICFILES_DIRS]:
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run beside one unless told.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect

    # Both databases' suites run side by side on two cores, each with its browser and live server: a page may
    # take seconds to arrive. Assertions wait as long as actions do rather than the default 5 s.
    expect.set_options(timeout=15_000)
    settle_after_clicks()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium, live_server, browser_settings):
    """open_page(viewport) -> a fresh page in its own context, with the live server as base URL."""
    contexts = []

    def open_(viewport=DESKTOP, locale="zh-CN"):
        context = chromium.new_context(viewport=viewport, locale=locale, base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def log_in(page, username: str, next: str = "/tasks/") -> None:
    page.goto(f"/login/?next={next}")  # the journeys start on the task list; the home page has its own
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("#login-submit")
    page.wait_for_url(f"**{next}**" if next != "/" else lambda url: "/login/" not in url)


@pytest.fixture
def listed(cast):
    """The cast with five tasks of unit A on the list (its two and three more), for the list's layout."""
    from tongtui.plans.models import Task

    for code in ("3", "4", "5"):
        Task.objects.create(plan=cast.plan, code=code, title=f"导入任务{code}", category=cast.category,
                            lead_unit=cast.unit_a, leader=cast.leader)  # fmt: skip
    return cast
