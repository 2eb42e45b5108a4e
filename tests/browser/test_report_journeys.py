"""Report journeys in a real browser: a liaison files a report with a photo on a phone; the office returns
it with a reason, the liaison sees the reason and resubmits, and the office accepts it."""

import datetime
import struct
import zlib
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import PHONE, log_in
from tongtui.dispatch import actions, actions_cycles
from tongtui.dispatch.due import due_for
from tongtui.dispatch.models import Attachment, ReportStatus
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JANUARY = datetime.datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def png(width: int = 8, height: int = 8) -> bytes:
    """A real PNG image (a red square), built with zlib: no imaging library needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def reporting(cast, settings, tmp_path):
    """Task A handed out in January, on a monthly cycle due on the 25th: reports are due from unit A."""
    settings.MEDIA_ROOT = tmp_path / "media"
    office = cast.user("office")
    plan_actions.assign_task(cast.task_a, by=office)
    Task.objects.filter(pk=cast.task_a.pk).update(assigned_at=JANUARY)
    cast.task_a.refresh_from_db()
    actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
    return cast


def first_due(cast):
    return next(i for i in due_for(cast.user("liaison_a")) if i.task.pk == cast.task_a.pk)


def liaison_on_a_phone_with_a_photo(cast, open_page, photo):
    """Unit A's liaison logged in on a phone, a photo (a real PNG) on disk, and the report that is due first."""
    photo.write_bytes(png())
    page = open_page(viewport=PHONE)
    log_in(page, "liaison_a")
    return page, first_due(cast)


def test_a_liaison_files_a_report_with_a_photo_on_a_phone(reporting, open_page, tmp_path):
    cast = reporting
    photo = tmp_path / "工地.png"
    page, item = liaison_on_a_phone_with_a_photo(cast, open_page, photo)

    page.goto("/reports/mine/")
    link = page.locator(
        f'#lead-items a[data-task="{cast.task_a.pk}"][data-period="{item.period.start:%Y-%m-%d}"]'
    )
    link.click()
    expect(page.locator("#report-form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill("#id_progress", "35")
    page.fill("#id_done", "完成项目立项，开展施工招标")
    page.set_input_files("#id_photos", str(photo))
    expect(page.locator("#photo-names")).to_contain_text("工地.png")
    page.click("#submit-report")

    page.wait_for_url("**/reports/*/")
    expect(page.locator("#report-status")).to_have_attribute("data-status", "submitted")
    expect(page.locator("#report-progress")).to_contain_text("35%")
    expect(page.locator("#attachments")).to_contain_text("工地.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    attachment = Attachment.objects.get()
    report = attachment.report
    assert (report.task_id, report.period_start) == (cast.task_a.pk, item.period.start)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == cast.user("liaison_a")
    assert (attachment.kind, attachment.original_name) == ("png", "工地.png")
    assert attachment.file.read() == png()


def test_photos_chosen_before_the_forms_script_arrives_are_named(reporting, open_page, tmp_path):
    """On a slow phone the liaison may pick a photo before the form's script has loaded: once it runs, the
    chosen photos are named all the same (the change event it missed is not needed)."""
    cast = reporting
    photo = tmp_path / "现场.png"
    page, item = liaison_on_a_phone_with_a_photo(cast, open_page, photo)
    script = "**/dispatch/report_form*.js"
    page.route(script, lambda route: route.abort())  # the script has not arrived yet
    page.goto(f"/reports/task/{cast.task_a.pk}/{item.period.start:%Y-%m-%d}/")
    expect(page.locator("#report-form")).to_be_visible()
    page.set_input_files("#id_photos", str(photo))
    expect(page.locator("#photo-names")).to_have_text("")

    page.unroute(script)
    src = page.evaluate("Array.from(document.scripts).map(s => s.src).find(s => s.includes('report_form'))")
    page.add_script_tag(url=src)  # ... and now it has
    expect(page.locator("#photo-names")).to_have_text("现场.png")


def test_the_office_returns_a_report_the_liaison_resubmits_and_the_office_accepts(reporting, open_page):
    cast = reporting
    liaison, head = cast.user("liaison_a"), cast.user("head_a")
    report = actions.start_or_get_draft(cast.task_a, first_due(cast).period, by=liaison)
    actions.save_draft(report, by=liaison, version=None, progress=30, done="完成前期手续")
    actions.submit_report(report, by=liaison)
    actions.sign_off(report, by=head)
    reason = "请补充施工许可证编号和现场照片"

    office = open_page()
    log_in(office, "office")
    office.goto("/reports/review/")
    office.locator(f'#review-queue tr[data-report="{report.pk}"] a').click()
    office.fill("#id_reason", reason)
    office.click("#return")
    expect(office.locator("#report-status")).to_have_attribute("data-status", "returned")

    phone = open_page(viewport=PHONE)
    log_in(phone, "liaison_a")
    phone.goto("/reports/mine/")
    returned = phone.locator(f'#lead-items a[data-task="{cast.task_a.pk}"]:has(.text-bg-danger)')
    expect(returned).to_have_count(1)  # marked 退回 in the list of reports due
    returned.click()
    expect(phone.locator("#returned-reason")).to_contain_text(reason)
    expect(phone.locator("#id_progress")).to_have_value("30")
    phone.fill("#id_done", "完成前期手续，施工许可证编号：2026-017")
    phone.click("#submit-report")
    expect(phone.locator("#report-status")).to_have_attribute("data-status", "submitted")

    report.refresh_from_db()
    report.refresh_from_db()
    actions.sign_off(report, by=head)  # the unit head signs off before the office's review
    office.goto(f"/reports/{report.pk}/")
    office.click("#accept")
    expect(office.locator("#report-status")).to_have_attribute("data-status", "accepted")

    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.done.endswith("2026-017")
    reasons = list(report.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reason in reasons
    cast.task_a.refresh_from_db()
    assert cast.task_a.progress == 30
