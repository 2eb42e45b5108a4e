"""Every step of a progress report sent several times at once (double clicks, two people): exactly one wins,
the others are refused (409 with a message, or 400 when they already saw the new state), and the history,
the notifications, the task's progress and the milestones change once."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.dispatch.conftest import APRIL, MARCH, PNG
from tests.plans.test_task_races import one_wins
from tests.race import at_once, statuses
from tongtui.dispatch import actions, actions_milestones
from tongtui.dispatch.models import Attachment, Notification, ProgressReport, ReportContribution, ReportStatus
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Milestone, Task

pytestmark = pytest.mark.django_db(transaction=True)


def api_client(user) -> APIClient:
    """One client per thread, in English so that the refusals can be read here whatever the catalogue says."""
    client = APIClient()
    client.force_authenticate(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def filled(d, period=MARCH) -> ProgressReport:
    report = actions.start_or_get_draft(d.task_a, period, by=d.user("liaison_a"))
    actions.save_draft(
        report, by=d.user("liaison_a"), version=report.version, progress=Decimal(40), done="已批复"
    )
    return report


def signed_off(d, period=MARCH) -> ProgressReport:
    report = filled(d, period)
    actions.submit_report(report, by=d.user("liaison_a"))
    return actions.sign_off(report, by=d.user("head_a"))


def post_all(d, who: str, path: str, body: dict | None = None, n: int = 3) -> list:
    clients = [api_client(d.user(who)) for _ in range(n)]
    return at_once(n, lambda i: clients[i].post(path, body or {}, format="json"))


def notices(report: ProgressReport) -> int:
    return Notification.objects.filter(url=reverse("dispatch:report-detail", args=[report.pk])).count()


def assert_losers_told(responses: list, words: str) -> None:
    for loser in (r for r in responses if r.status_code == 409):
        assert words in loser.json()["detail"]


def test_three_draft_saves_with_one_version_save_once(d):
    report = filled(d)
    version, before = report.version, report.history.count()
    clients = [api_client(d.user("liaison_a")) for _ in range(3)]
    responses = at_once(
        3,
        lambda i: clients[i].patch(
            f"/api/reports/{report.pk}/", {"version": version, "done": f"第{i}稿"}, format="json"
        ),
    )
    codes = statuses(responses)
    assert codes == [200, 409, 409]
    report.refresh_from_db()
    winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
    assert report.done == f"第{winner}稿"  # nobody's text overwrote the winner's
    assert report.version == version + 1
    assert report.history.count() == before + 1
    assert_losers_told(responses, "while you were editing it")


def test_three_submits_at_once_submit_once_and_tell_the_head_once(d):
    report = filled(d)
    before, told = report.history.count(), notices(report)
    responses = post_all(d, "liaison_a", f"/api/reports/{report.pk}/submit/")
    assert one_wins(statuses(responses))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.history.count() == before + 1
    assert notices(report) == told + 1  # the head's "waits for your sign-off"
    assert_losers_told(responses, "already been submitted")


def test_a_draft_save_and_a_submit_at_once_do_not_change_a_submitted_report(d):
    report = filled(d)
    before = report.history.count()
    c = [api_client(d.user("liaison_a")), api_client(d.user("liaison_a"))]
    sends = [
        lambda: c[0].post(f"/api/reports/{report.pk}/submit/", {}, format="json"),
        lambda: c[1].patch(
            f"/api/reports/{report.pk}/", {"version": report.version, "done": "改"}, format="json"
        ),
    ]
    responses = at_once(2, lambda i: sends[i]())
    submitted, saved = (r.status_code for r in responses)
    assert submitted == 200 and saved in (200, 409)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # The save either went in before the submission (and was submitted with it) or was refused after it.
    assert report.done == ("改" if saved == 200 else "已批复")
    assert report.history.count() == before + (2 if saved == 200 else 1)


def test_three_sign_offs_at_once_sign_off_once(d):
    report = filled(d)
    actions.submit_report(report, by=d.user("liaison_a"))
    before = report.history.count()
    responses = post_all(d, "head_a", f"/api/reports/{report.pk}/sign-off/")
    assert one_wins(statuses(responses))
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNED_OFF
    assert report.history.count() == before + 1
    assert_losers_told(responses, "already been signed off")


def test_three_accepts_at_once_record_progress_claim_milestones_and_notify_once(d):
    office = d.user("office")
    milestone = plan_actions.add_milestone(
        d.task_a,
        by=office,
        title="完成可研批复",
        due=datetime.date(2026, 3, 20),
        planned_progress=Decimal(30),
    )
    report = filled(d)
    actions_milestones.claim_milestones(report, by=d.user("liaison_a"), milestone_ids=[milestone.pk])
    actions.submit_report(report, by=d.user("head_a"))
    before, task_before, told = report.history.count(), d.task_a.history.count(), notices(report)
    milestone_before = milestone.history.count()
    responses = post_all(d, "office", f"/api/reports/{report.pk}/accept/")
    assert one_wins(statuses(responses))
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.history.count() == before + 1
    task = Task.objects.get(pk=d.task_a.pk)
    assert task.progress == Decimal(40)
    assert task.history.count() == task_before + 1  # progress recorded once
    assert milestone.history.count() == milestone_before + 1  # the milestone marked done once
    assert Milestone.objects.get(pk=milestone.pk).done_on is not None
    assert notices(report) == told + 1  # "your report was accepted", once
    assert_losers_told(responses, "already been accepted")


def test_three_returns_at_once_return_once_and_notify_once(d):
    report = signed_off(d)
    before, told = report.history.count(), notices(report)
    responses = post_all(d, "office", f"/api/reports/{report.pk}/return/", {"reason": "数据不实"})
    assert one_wins(statuses(responses))
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.history.count() == before + 1
    assert notices(report) == told + 1  # the liaison (who submitted) is told once
    assert_losers_told(responses, "already been returned")


def test_accept_and_return_at_once_leave_one_verdict(d):
    report = signed_off(d)
    before, task_before, told = report.history.count(), d.task_a.history.count(), notices(report)
    office = [api_client(d.user("office")), api_client(d.user("office"))]
    sends = [
        lambda: office[0].post(f"/api/reports/{report.pk}/accept/", {}, format="json"),
        lambda: office[1].post(f"/api/reports/{report.pk}/return/", {"reason": "数据不实"}, format="json"),
    ]
    responses = at_once(2, lambda i: sends[i]())
    assert one_wins(statuses(responses))
    report.refresh_from_db()
    accepted = responses[0].status_code == 200
    assert report.status == (ReportStatus.ACCEPTED if accepted else ReportStatus.RETURNED)
    assert report.history.count() == before + 1
    assert Task.objects.get(pk=d.task_a.pk).history.count() == task_before + (1 if accepted else 0)
    assert notices(report) == told + 1


def test_the_heads_sign_off_and_return_at_once_leave_one(d):
    report = filled(d)
    actions.submit_report(report, by=d.user("liaison_a"))
    before = report.history.count()
    head = [api_client(d.user("head_a")), api_client(d.user("head_a"))]
    sends = [
        lambda: head[0].post(f"/api/reports/{report.pk}/sign-off/", {}, format="json"),
        lambda: head[1].post(f"/api/reports/{report.pk}/return/", {"reason": "补充材料"}, format="json"),
    ]
    responses = at_once(2, lambda i: sends[i]())
    assert one_wins(statuses(responses), refused=(400, 403, 409))
    report.refresh_from_db()
    signed = responses[0].status_code == 200
    assert report.status == (ReportStatus.SIGNED_OFF if signed else ReportStatus.RETURNED)
    assert report.history.count() == before + 1


def test_two_reports_claiming_one_milestone_accepted_at_once_mark_it_done_once(d):
    office = d.user("office")
    milestone = plan_actions.add_milestone(
        d.task_a,
        by=office,
        title="完成可研批复",
        due=datetime.date(2026, 3, 20),
        planned_progress=Decimal(30),
    )
    reports = [filled(d, MARCH), filled(d, APRIL)]
    for report in reports:
        actions_milestones.claim_milestones(report, by=d.user("liaison_a"), milestone_ids=[milestone.pk])
        actions.submit_report(report, by=d.user("head_a"))
    before = milestone.history.count()
    clients = [api_client(office), api_client(office)]
    responses = at_once(
        2, lambda i: clients[i].post(f"/api/reports/{reports[i].pk}/accept/", {}, format="json")
    )
    assert statuses(responses) == [200, 200]
    assert milestone.history.count() == before + 1


def test_three_identical_contributions_at_once_are_saved_once(d):
    body = {"task": d.task_a.pk, "period_start": MARCH.start.isoformat(), "text": "配合完成资金拨付"}
    responses = post_all(d, "liaison_c", "/api/reports/contribute/", body)
    assert one_wins(statuses(responses))
    assert ReportContribution.objects.count() == 1
    assert ReportContribution.history.count() == 1
    assert ProgressReport.objects.count() == 1  # the report started once for all three
    assert_losers_told(responses, "already been saved with these words")


def test_a_contribution_while_the_report_is_submitted_is_refused(d):
    report = filled(d)
    clients = [api_client(d.user("liaison_a")), api_client(d.user("liaison_c"))]
    sends = [
        lambda: clients[0].post(f"/api/reports/{report.pk}/submit/", {}, format="json"),
        lambda: clients[1].post(
            "/api/reports/contribute/",
            {"task": d.task_a.pk, "period_start": MARCH.start.isoformat(), "text": "配合"},
            format="json",
        ),
    ]
    responses = at_once(2, lambda i: sends[i]())
    assert responses[0].status_code == 200
    report.refresh_from_db()
    # Either the part went in before the submission, or it was refused: never added to a filed report.
    if responses[1].status_code == 200:
        assert ReportContribution.objects.get().updated_at < report.submitted_at
    else:
        assert responses[1].status_code in (400, 409) and not ReportContribution.objects.exists()


def upload(i: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"现场{i}.png", PNG, content_type="image/png")


def test_ten_uploads_at_once_never_pass_the_limit(d):
    report = filled(d)
    Attachment.objects.bulk_create(
        Attachment(
            report=report, unit=d.unit_a, file=f"evidence/{n}.png", original_name=f"{n}.png", kind="png",
            size=len(PNG), sha256="0" * 64, uploaded_by=d.user("liaison_a"),
        )
        for n in range(actions.MAX_ATTACHMENTS - 2)
    )  # fmt: skip
    clients = [api_client(d.user("liaison_a")) for _ in range(10)]
    responses = at_once(
        10,
        lambda i: clients[i].post(
            f"/api/reports/{report.pk}/evidence/", {"file": upload(i)}, format="multipart"
        ),
    )
    codes = statuses(responses)
    assert codes.count(201) == 2 and codes.count(400) == 8
    assert report.attachments.count() == actions.MAX_ATTACHMENTS


def test_a_file_removed_twice_at_once_is_removed_once(d):
    report = filled(d)
    attachment = actions.add_attachment(report, by=d.user("liaison_a"), file=upload(0))
    clients = [api_client(d.user("liaison_a")) for _ in range(3)]
    responses = at_once(3, lambda i: clients[i].delete(f"/api/evidence/{attachment.pk}/"))
    codes = statuses(responses)
    assert codes.count(204) == 1 and all(c in (404, 409) for c in codes if c != 204)
    assert Attachment.history.filter(id=attachment.pk, history_type="-").count() == 1


def test_milestones_ticked_three_times_at_once_are_claimed_once(d):
    milestone = plan_actions.add_milestone(
        d.task_a, by=d.user("office"), title="完成可研批复", due=datetime.date(2026, 3, 20),
        planned_progress=Decimal(30),
    )  # fmt: skip
    report = filled(d)
    responses = post_all(
        d, "liaison_a", f"/api/reports/{report.pk}/milestones/", {"milestones": [milestone.pk]}
    )
    assert statuses(responses) == [200, 200, 200]  # ticking what is ticked already changes nothing
    assert report.milestone_claims.count() == 1
    assert report.milestone_claims.model.history.count() == 1


def test_double_clicked_review_on_the_page_answers_409_with_the_reason(d):
    report = signed_off(d)
    url = reverse("dispatch:report-review", args=[report.pk, "accept"])
    clients = [page_client(d.user("office")) for _ in range(2)]
    responses = at_once(2, lambda i: clients[i].post(url))
    codes = statuses(responses)
    assert codes[0] == 302 and codes[1] in (400, 409)
    loser = next(r for r in responses if r.status_code != 302)
    if loser.status_code == 409:
        assert "This report has already been accepted by the supervision office." in loser.content.decode()
    assert report.history.filter(status=ReportStatus.ACCEPTED).count() == 1
