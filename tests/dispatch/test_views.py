import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.dispatch.conftest import MARCH, PNG, png
from tongtui.dispatch import actions
from tongtui.dispatch.models import Attachment, Notification, ProgressReport, ReportStatus
from tongtui.dispatch.schedule import Period

START = MARCH.start.isoformat()
INSIDERS = ["office", "leader", "head_a", "liaison_a", "liaison_c"]


def client(d, who) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(d.user(who))
    return c


def draft(d):
    return actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))


def submitted(d, by="liaison_a"):
    report = draft(d)
    actions.save_draft(
        report, by=d.user(by), version=report.version, progress=Decimal(35), done="完成可研批复"
    )
    return actions.submit_report(report, by=d.user(by))


def assert_login_page(response):
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# my reports due


def test_my_reports_lists_what_the_liaison_owes(d):
    response = client(d, "liaison_a").get(reverse("dispatch:my-reports"))
    assert response.status_code == 200
    assert reverse("dispatch:report-start", args=[d.task_a.pk, START]).encode() in response.content
    assert d.task_c.title.encode() not in response.content


def test_my_reports_shows_the_head_what_waits_for_sign_off(d):
    report = submitted(d)
    response = client(d, "head_a").get(reverse("dispatch:my-reports"))
    assert f'data-report="{report.pk}"'.encode() in response.content


def test_my_reports_shows_a_co_unit_where_to_add_its_part(d):
    response = client(d, "liaison_c").get(reverse("dispatch:my-reports"))
    assert reverse("dispatch:report-contribute", args=[d.task_a.pk, START]).encode() in response.content


def test_my_reports_is_empty_for_an_outsider(d):
    response = client(d, "liaison_b").get(reverse("dispatch:my-reports"))
    assert response.status_code == 200
    assert b'id="nothing-due"' in response.content


def test_my_reports_needs_a_login(d):
    assert_login_page(client(d, "anonymous").get(reverse("dispatch:my-reports")))


# review queue


def test_the_review_queue_lists_signed_off_reports_for_the_office(d):
    report = submitted(d, by="head_a")
    response = client(d, "office").get(reverse("dispatch:review-queue"))
    assert response.status_code == 200
    assert f'data-report="{report.pk}"'.encode() in response.content


def test_the_review_queue_warns_about_a_year_without_calendar(d):
    response = client(d, "office").get(reverse("dispatch:review-queue"))
    from tongtui.core.workdays import official_year_known

    year = timezone.localdate().year + 1
    assert (b"calendar-warning" in response.content) == (not official_year_known(year))


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a", "liaison_b"])
def test_the_review_queue_is_404_for_anyone_but_the_office(d, who):
    assert client(d, who).get(reverse("dispatch:review-queue")).status_code == 404


def test_the_review_queue_needs_a_login(d):
    assert_login_page(client(d, "anonymous").get(reverse("dispatch:review-queue")))


def test_the_review_queue_takes_a_fixed_number_of_queries(d, django_assert_max_num_queries):
    submitted(d, by="head_a")
    c = client(d, "office")
    c.get(reverse("dispatch:review-queue"))
    with django_assert_max_num_queries(12):
        assert c.get(reverse("dispatch:review-queue")).status_code == 200


# a task's reports


@pytest.mark.parametrize("who", INSIDERS)
def test_insiders_see_a_tasks_reports(d, who):
    report = submitted(d)
    response = client(d, who).get(reverse("dispatch:task-reports", args=[d.task_a.pk]))
    assert response.status_code == 200
    assert f'data-report="{report.pk}"'.encode() in response.content


def test_an_outsider_gets_404_for_a_tasks_reports(d):
    assert client(d, "liaison_b").get(reverse("dispatch:task-reports", args=[d.task_a.pk])).status_code == 404


# the report form


def test_the_form_is_pre_filled_and_asks_for_photos_from_the_camera(d):
    d.task_a.progress = Decimal(12)
    d.task_a.save()
    response = client(d, "liaison_a").get(reverse("dispatch:report-start", args=[d.task_a.pk, START]))
    assert response.status_code == 200
    assert b'value="12"' in response.content
    assert b'accept="image/*"' in response.content and b'capture="environment"' in response.content
    assert not ProgressReport.objects.exists()  # a GET creates nothing


@pytest.mark.parametrize("who", ["liaison_b", "office", "leader", "liaison_c"])
def test_the_form_is_404_for_those_who_do_not_write_the_report(d, who):
    assert client(d, who).get(reverse("dispatch:report-start", args=[d.task_a.pk, START])).status_code == 404


def test_the_form_is_404_for_a_date_that_starts_no_period(d):
    url = reverse("dispatch:report-start", args=[d.task_a.pk, "2026-03-02"])
    assert client(d, "liaison_a").get(url).status_code == 404


def test_the_form_needs_a_login(d):
    assert_login_page(client(d, "anonymous").get(reverse("dispatch:report-start", args=[d.task_a.pk, START])))


def test_a_liaison_files_a_report_with_a_photo_in_one_post(d):
    url = reverse("dispatch:report-start", args=[d.task_a.pk, START])
    response = client(d, "liaison_a").post(
        url,
        {
            "progress": "40",
            "done": "完成土地征收",
            "version": "1",
            "submit": "1",
            "photos": [png("现场.png")],
        },
    )
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("dispatch:report-detail", args=[report.pk])
    assert report.status == ReportStatus.SUBMITTED
    assert report.progress == Decimal(40) and report.done == "完成土地征收"
    assert report.attachments.get().original_name == "现场.png"


def test_saving_a_draft_does_not_submit(d):
    url = reverse("dispatch:report-start", args=[d.task_a.pk, START])
    response = client(d, "liaison_a").post(url, {"progress": "", "done": "", "version": "1", "save": "1"})
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("dispatch:report-edit", args=[report.pk])
    assert report.status == ReportStatus.DRAFT


def test_submitting_without_what_was_done_keeps_the_draft_and_says_why(d):
    c = client(d, "liaison_a")
    url = reverse("dispatch:report-start", args=[d.task_a.pk, START])
    response = c.post(url, {"progress": "40", "done": "", "version": "1", "submit": "1"}, follow=True)
    assert ProgressReport.objects.get().status == ReportStatus.DRAFT
    assert "Fill in" in response.content.decode() or "填写" in response.content.decode()


def test_a_refused_file_is_named_and_the_text_is_kept(d):
    url = reverse("dispatch:report-start", args=[d.task_a.pk, START])
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("tool.exe", b"MZ" + b"\x00" * 30)
    response = client(d, "liaison_a").post(
        url,
        {"progress": "40", "done": "完成", "version": "1", "submit": "1", "documents": [bad]},
        follow=True,
    )
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.DRAFT and report.done == "完成"
    assert "tool.exe" in response.content.decode()


def test_an_existing_report_redirects_from_the_start_page(d):
    report = draft(d)
    response = client(d, "liaison_a").get(reverse("dispatch:report-start", args=[d.task_a.pk, START]))
    assert response.url == reverse("dispatch:report-edit", args=[report.pk])
    response = client(d, "leader").get(reverse("dispatch:report-start", args=[d.task_a.pk, START]))
    assert response.url == reverse("dispatch:report-detail", args=[report.pk])


def test_a_stale_edit_gets_409_with_the_other_persons_text(d):
    report = draft(d)
    stale = report.version
    actions.save_draft(report, by=d.user("head_a"), version=stale, progress=Decimal(50), done="李局长写的")
    response = client(d, "liaison_a").post(
        reverse("dispatch:report-edit", args=[report.pk]),
        {
            "progress": "45",
            "done": "张联络写的",
            "version": str(stale),
            "save": "1",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "李局长" in page and "李局长写的" in page and "张联络写的" in page
    report.refresh_from_db()
    assert report.done == "李局长写的"


def test_the_edit_page_shows_the_reason_of_a_return(d):
    report = submitted(d)
    actions.return_report(report, by=d.user("head_a"), reason="数据需核实")
    response = client(d, "liaison_a").get(reverse("dispatch:report-edit", args=[report.pk]))
    assert response.status_code == 200 and "数据需核实" in response.content.decode()


def test_the_edit_page_sends_a_submitted_report_to_its_detail(d):
    report = submitted(d)
    response = client(d, "liaison_a").get(reverse("dispatch:report-edit", args=[report.pk]))
    assert response.url == reverse("dispatch:report-detail", args=[report.pk])


def test_the_edit_page_is_404_for_an_outsider(d):
    report = draft(d)
    assert client(d, "liaison_b").get(reverse("dispatch:report-edit", args=[report.pk])).status_code == 404


# the report page


@pytest.mark.parametrize("who", INSIDERS)
def test_insiders_see_the_report(d, who):
    report = submitted(d)
    response = client(d, who).get(reverse("dispatch:report-detail", args=[report.pk]))
    assert response.status_code == 200 and "完成可研批复" in response.content.decode()


def test_an_outsider_gets_404_for_the_report(d):
    report = submitted(d)
    assert client(d, "liaison_b").get(reverse("dispatch:report-detail", args=[report.pk])).status_code == 404


def test_the_report_needs_a_login(d):
    report = submitted(d)
    assert_login_page(client(d, "anonymous").get(reverse("dispatch:report-detail", args=[report.pk])))


def test_the_report_page_shows_each_person_the_buttons_they_may_use(d):
    report = submitted(d)
    url = reverse("dispatch:report-detail", args=[report.pk])
    assert b'id="sign-off"' in client(d, "head_a").get(url).content
    assert b'id="sign-off"' not in client(d, "liaison_a").get(url).content
    assert b'id="review-actions"' not in client(d, "leader").get(url).content
    assert b'id="accept"' not in client(d, "office").get(url).content
    actions.sign_off(report, by=d.user("head_a"))
    assert b'id="accept"' in client(d, "office").get(url).content


def test_a_late_report_shows_its_lateness(d):
    today = timezone.localdate()
    report = actions.start_or_get_draft(
        d.task_a,
        Period(
            today - datetime.timedelta(days=40),
            today - datetime.timedelta(days=10),
            today - datetime.timedelta(days=10),
        ),
        by=d.user("liaison_a"),
    )
    actions.save_draft(report, by=d.user("liaison_a"), version=report.version, progress=Decimal(5), done="x")
    actions.submit_report(report, by=d.user("liaison_a"))
    response = client(d, "office").get(reverse("dispatch:report-detail", args=[report.pk]))
    assert b'id="late-badge"' in response.content


# review steps


def test_the_head_signs_off_and_the_office_accepts(d):
    report = submitted(d)
    response = client(d, "head_a").post(reverse("dispatch:report-review", args=[report.pk, "sign-off"]))
    assert response.status_code == 302
    response = client(d, "office").post(
        reverse("dispatch:report-review", args=[report.pk, "accept"]), {"note": "好"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    d.task_a.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and d.task_a.progress == Decimal(35)


def test_the_office_returns_with_a_reason_and_the_liaison_is_told(d):
    report = submitted(d, by="head_a")
    c = client(d, "office")
    url = reverse("dispatch:report-review", args=[report.pk, "return"])
    assert c.post(url, {"reason": ""}).status_code == 400
    assert c.post(url, {"reason": "缺少照片"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert Notification.objects.filter(recipient=d.user("liaison_a"), body="缺少照片").exists()


@pytest.mark.parametrize(
    ("who", "step"), [("liaison_a", "sign-off"), ("leader", "accept"), ("head_a", "accept")]
)
def test_a_review_step_by_the_wrong_person_is_403(d, who, step):
    report = submitted(d)
    if step == "accept":
        actions.sign_off(report, by=d.user("head_a"))
    assert client(d, who).post(reverse("dispatch:report-review", args=[report.pk, step])).status_code == 403


def test_a_review_step_by_an_outsider_is_404(d):
    report = submitted(d)
    response = client(d, "liaison_b").post(reverse("dispatch:report-review", args=[report.pk, "sign-off"]))
    assert response.status_code == 404


def test_an_unknown_review_step_is_404_and_get_is_refused(d):
    report = submitted(d)
    c = client(d, "head_a")
    assert c.post(reverse("dispatch:report-review", args=[report.pk, "approve"])).status_code == 404
    assert c.get(reverse("dispatch:report-review", args=[report.pk, "sign-off"])).status_code == 405


# contributions


def test_a_co_unit_adds_its_part_from_its_page(d):
    url = reverse("dispatch:report-contribute", args=[d.task_a.pk, START])
    c = client(d, "liaison_c")
    assert c.get(url).status_code == 200
    response = c.post(url, {"text": "拨付资金500万元", "photos": [png()]})
    report = ProgressReport.objects.get()
    assert response.url == reverse("dispatch:report-detail", args=[report.pk])
    assert report.contributions.get().unit == d.unit_c
    assert report.attachments.get().unit == d.unit_c


@pytest.mark.parametrize("who", ["liaison_a", "liaison_b", "office"])
def test_the_contribution_page_is_404_for_others(d, who):
    assert (
        client(d, who).get(reverse("dispatch:report-contribute", args=[d.task_a.pk, START])).status_code
        == 404
    )


# evidence


def test_evidence_is_uploaded_from_the_report_page(d):
    report = draft(d)
    response = client(d, "liaison_a").post(
        reverse("dispatch:report-evidence", args=[report.pk]), {"photos": [png()]}
    )
    assert response.status_code == 302
    assert report.attachments.count() == 1


def test_uploading_evidence_to_a_hidden_report_is_404(d):
    report = draft(d)
    response = client(d, "liaison_b").post(
        reverse("dispatch:report-evidence", args=[report.pk]), {"photos": [png()]}
    )
    assert response.status_code == 404 and not Attachment.objects.exists()


@pytest.mark.parametrize("who", INSIDERS)
def test_insiders_download_evidence(d, who):
    report = draft(d)
    attachment = actions.add_attachment(report, by=d.user("liaison_a"), file=png())
    response = client(d, who).get(reverse("dispatch:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"


def test_an_outsider_gets_404_for_evidence(d):
    report = draft(d)
    attachment = actions.add_attachment(report, by=d.user("liaison_a"), file=png())
    assert client(d, "liaison_b").get(reverse("dispatch:attachment", args=[attachment.pk])).status_code == 404
    assert (
        client(d, "liaison_b").post(reverse("dispatch:attachment-delete", args=[attachment.pk])).status_code
        == 404
    )


def test_the_liaison_removes_a_draft_file(d):
    report = draft(d)
    attachment = actions.add_attachment(report, by=d.user("liaison_a"), file=png())
    response = client(d, "liaison_a").post(reverse("dispatch:attachment-delete", args=[attachment.pk]))
    assert response.status_code == 302 and not report.attachments.exists()


# notifications


def test_notifications_are_listed_and_marked_read(d):
    report = submitted(d)
    c = client(d, "head_a")
    response = c.get(reverse("notify:list"))
    assert response.status_code == 200 and str(report).encode() in response.content
    c.post(reverse("notify:read-all"))
    assert not Notification.objects.filter(recipient=d.user("head_a"), read_at__isnull=True).exists()


def test_notifications_are_private(d):
    report = submitted(d)
    response = client(d, "liaison_b").get(reverse("notify:list"))
    assert response.status_code == 200 and str(report).encode() not in response.content


def test_notifications_need_a_login(d):
    assert_login_page(client(d, "anonymous").get(reverse("notify:list")))


def every_url(d, report, attachment):
    return [
        ("get", reverse("dispatch:task-reports", args=[d.task_a.pk])),
        ("get", reverse("dispatch:report-edit", args=[report.pk])),
        ("post", reverse("dispatch:report-edit", args=[report.pk])),
        ("post", reverse("dispatch:report-start", args=[d.task_a.pk, START])),
        ("get", reverse("dispatch:report-contribute", args=[d.task_a.pk, START])),
        ("post", reverse("dispatch:report-review", args=[report.pk, "sign-off"])),
        ("post", reverse("dispatch:report-evidence", args=[report.pk])),
        ("get", reverse("dispatch:attachment", args=[attachment.pk])),
        ("post", reverse("dispatch:attachment-delete", args=[attachment.pk])),
        ("post", reverse("notify:read-all")),
    ]


def test_every_page_sends_anonymous_visitors_to_the_login_page(d):
    report = draft(d)
    attachment = actions.add_attachment(report, by=d.user("liaison_a"), file=png())
    c = client(d, "anonymous")
    for method, url in every_url(d, report, attachment):
        assert_login_page(getattr(c, method)(url))
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert ProgressReport.objects.get().status == ReportStatus.DRAFT
