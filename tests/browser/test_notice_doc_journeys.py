"""Real browser journeys for the printable notices: a liaison on a phone downloads the 交办单 of an assigned task
from the task page; the office downloads a 督办通知单 from the chase page. Both files open as documents."""

import datetime
import io

import docx
import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import PHONE, log_in
from tongtui.plans import actions
from tongtui.supervision import actions_chases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def downloaded(page, selector: str) -> tuple[str, docx.document.Document]:
    with page.expect_download() as info:
        page.click(selector)
    download = info.value
    return download.suggested_filename, docx.Document(io.BytesIO(open(download.path(), "rb").read()))


def test_a_liaison_on_a_phone_downloads_the_assignment_notice(cast, open_page):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    page = open_page(viewport=PHONE)
    log_in(page, "liaison_a")
    page.goto(f"/tasks/{cast.task_a.pk}/")
    panel = page.locator("#task-documents")
    expect(panel).to_contain_text("交办〔2026〕1号")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    name, document = downloaded(page, "#task-assignment-doc")
    assert name.endswith(".docx") and "交办〔2026〕1号" in name
    assert [p.text for p in document.paragraphs][1:3] == ["交办〔2026〕1号", "重点工作交办单"]


def test_a_draft_task_offers_no_notice(cast, open_page):
    page = open_page()
    log_in(page, "office")
    page.goto(f"/tasks/{cast.task_a.pk}/")
    expect(page.locator("#task-header")).to_be_visible()
    expect(page.locator("#task-documents")).to_have_count(0)


def test_the_office_downloads_a_red_chase_notice(cast, open_page):
    chase = actions_chases.issue_chase(
        by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, tasks=[cast.task_a], subject="节点逾期",
        content="请说明原因。", issued_on=datetime.date(2026, 9, 30),
    )  # fmt: skip
    chase.level = "red"
    chase.save(update_fields=["level"])
    page = open_page()
    log_in(page, "office")
    page.goto(f"/supervision/chases/{chase.pk}/")
    name, document = downloaded(page, "#chase-doc")
    assert name == "督办〔2026〕1号红色督办单.docx"
    assert document.paragraphs[2].text == "红色督办单"
