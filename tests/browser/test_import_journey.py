"""The office imports a real-looking task book in the browser: unknown names resolved in one pass, collective
names kept as groups, a post kept as a post; the preview readable on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE, log_in
from tests.plans.importing import builder
from tongtui.orgs.models import Post, UnitGroup
from tongtui.plans.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRID = [
    ["序号", "重点任务", "牵头单位", "配合单位", "责任领导", "责任人", "完成时限"],
    ["\x00一、稳增长"],
    ["11", "地区生产总值增长6%左右,固定资产投资增长8%", "区发改局", "区财政局、全区经济运行各专班", "王副区长", "区财政局负责人", "12月底前"],
    ["12", "主要经济指标不低于全市平均水平", "各主要经济指标牵头单位", "各相关单位", "王副区长", "陈责任", "全年"],
    ["13", "推进企业上市挂牌,培育上市后备企业", "区财政局", "区证监办", "王副区长", "陈责任", "持续推进"],
]


def upload(page, tmp_path) -> str:
    path = builder.write_xlsx(tmp_path / "任务分解表.xlsx", GRID)
    page.goto("/plans/2026/import/")
    page.set_input_files("#id_file", str(path))
    page.click("#import-upload")
    page.wait_for_url("**/import/*/")
    return page.url


def widths(page, selector: str) -> list[float]:
    return page.eval_on_selector_all(selector, "cells => cells.map(c => c.getBoundingClientRect().width)")


def test_office_resolves_every_name_in_one_pass_and_imports(cast, open_page, tmp_path):
    page = open_page(viewport=DESKTOP)
    log_in(page, "office")
    upload(page, tmp_path)
    names = page.locator("#import-unknown-units .import-name-row")
    expect(names).to_have_count(4)  # 全区经济运行各专班, 各相关单位, 区证监办 and the lead 各主要经济指标牵头单位
    expect(page.locator("#import-summary")).to_have_class(re.compile("alert-danger"))
    # readable: no column squeezed to a character's width
    assert min(widths(page, "#import-rows tbody td.tt-col-title")) >= 250
    assert min(widths(page, "#import-rows tbody td.tt-col-units")) >= 140
    page.click("#import-create-all")
    expect(page.locator("#import-summary")).to_have_class(re.compile("alert-success"))
    expect(page.locator("#import-posts")).to_contain_text("区财政局负责人")
    page.click("#import-apply")
    page.wait_for_url("**/tasks/**")
    first = Task.objects.get(plan=cast.plan, code="11")
    assert first.co_group_links.get().group == UnitGroup.objects.get(name="全区经济运行各专班")
    assert first.owner_post == Post.objects.get(unit=cast.unit_c, title="负责人")
    second = Task.objects.get(plan=cast.plan, code="12")
    assert (second.lead_unit, second.lead_text) == (None, "各主要经济指标牵头单位")
    assert Task.objects.get(plan=cast.plan, code="13").co_units.get().name == "区证监办"


def test_the_preview_is_readable_on_a_phone(cast, open_page, tmp_path):
    page = open_page(viewport=PHONE)
    log_in(page, "office")
    upload(page, tmp_path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    titles = widths(page, "#import-rows tbody td.tt-col-title")
    assert titles and min(titles) >= 300  # the task text spans the card, its messages below it
    selects = widths(page, "#import-unknown-units select")
    assert min(selects) >= 300
