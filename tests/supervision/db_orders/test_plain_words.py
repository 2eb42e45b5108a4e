"""Supervision pages say what things are: a draw's population in words, not a raw dict; the accountability
list's button names what it records."""

import datetime

import pytest
from django.conf import settings

from tongtui.plans.models import Task
from tongtui.supervision import actions_spotchecks as checks


def english(cast, who: str):
    client = cast.client(who)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_spot_check_names_its_population_in_words(cast):
    for i in range(1, 4):
        Task.objects.create(plan=cast.plan, code=f"9.{i}", title=f"任务{i}", lead_unit=cast.unit_a, status="closed")
    check = checks.draw_spot_check(
        by=cast.user("office"), plan=cast.plan, title="三季度抽查", size=2, seed="s",
        advanced_since=datetime.date(2026, 6, 1), unit=cast.unit_a.pk,
    )  # fmt: skip
    page = english(cast, "office").get(f"/supervision/spot-checks/{check.pk}/").content.decode()
    population = page[page.index('id="spotcheck-population"') :].split("</span>")[0]
    assert "completed tasks, tasks advanced since 2026-06-01, lead unit: 区发改局" in population
    assert "{" not in page[page.index('id="spotcheck-audit"') :].split("</p>")[0]


def test_the_accountability_button_says_what_it_records(cast):
    page = english(cast, "office").get("/supervision/accountability/").content.decode()
    assert "Record an accountability decision" in page
    assert ">Record a decision<" not in page


def cards(page: str, table_id: str) -> list[str]:
    """The cells of a list table that becomes cards on a phone: each is labelled, or is the card's title."""
    table = page[page.index(f'id="{table_id}"') :].split("</table>")[0]
    assert 'class="table table-sm align-middle bg-white tt-cards"' in page[: page.index(f'id="{table_id}"') + 20]
    return [cell.split(">")[0] for cell in table.split("<td")[1:]]


@pytest.mark.parametrize(
    "path, table_id, fixture",
    [
        ("/supervision/orders/?state=all", "order-list", "order"),
        ("/supervision/admonitions/", "admonition-list", "admonition"),
        ("/supervision/accountability/", "accountability-list", "accountability"),
    ],
)
def test_office_lists_become_labelled_cards_on_a_phone(cast, request, path, table_id, fixture):
    request.getfixturevalue(fixture)
    page = english(cast, "office").get(path).content.decode()
    cells = cards(page, table_id)
    assert cells and all("data-label=" in c or "tt-card-title" in c for c in cells)
    assert sum("tt-card-title" in c for c in cells) == page.count(f"<tr data-{fixture}=")
