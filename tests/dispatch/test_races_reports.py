"""Every step of a progress report sent several times at once (double clicks, two people): exactly one wins,
the others are refused (409 with a message, or 400 when they already saw the new state), and the history,
the notifications, the task's progress and the milestones change once.

Each test runs several races one after the other: a test that commits (as parallel requests must) costs a
flush of the whole database afterwards, so the races share a few tests rather than one each.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.dispatch.conftest import APRIL, MARCH, PNG
from tests.race import api_client, at_once, each_once, losers_say, one_wins, page_client, post_all, statuses
from tongtui.dispatch import actions, actions_milestones
from tongtui.dispatch.models import Attachment, Notification, ProgressReport, ReportContribution, ReportStatus
from tongtui.dispatch.schedule import Period
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Milestone, Task

pytestmark = pytest.mark.django_db(transaction=True)

MAY, JUNE, JULY, AUGUST, SEPTEMBER = (
    Period(datetime.date(2026, m, 1), datetime.date(2026, m, 28), datetime.date(2026, m, 25))
    for m in (5, 6, 7, 8, 9)
)


def filled(d, period=MARCH, task=None, by="liaison_a") -> ProgressReport:
    report = actions.start_or_get_draft(task or d.task_a, period, by=d.user(by))
    actions.save_draft(report, by=d.user(by), version=report.version, progress=Decimal(40), done="已批复")
    return report


def signed_off(d, period=MARCH) -> ProgressReport:
    report = filled(d, period)
    return actions.submit_report(report, by=d.user("head_a"))


def notices(report: ProgressReport) -> int:
    return Notification.objects.filter(url=reverse("dispatch:report-detail", args=[report.pk])).count()


def milestone(d, title="完成可研批复") -> Milestone:
    return plan_actions.add_milestone(
        d.task_a,
        by=d.user("office"),
        title=title,
        due=datetime.date(2026, 3, 20),
        planned_progress=Decimal(30),
    )


def test_every_report_step_clicked_three_times_at_once_runs_once(d):
    liaison, head, office = d.user("liaison_a"), d.user("head_a"), d.user("office")
    done = milestone(d)
    report = filled(d)
    actions_milestones.claim_milestones(report, by=liaison, milestone_ids=[done.pk])
    path = f"/api/reports/{report.pk}/"

    # three saves of one loaded version: one is kept, two are told someone saved in between
    version, before = report.version, report.history.count()
    clients = [api_client(liaison) for _ in range(3)]
    responses = at_once(
        3, lambda i: clients[i].patch(path, {"version": version, "done": f"第{i}稿"}, format="json")
    )
    assert statuses(responses) == [200, 409, 409]
    report.refresh_from_db()
    winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
    assert report.done == f"第{winner}稿" and report.version == version + 1
    assert report.history.count() == before + 1
    losers_say(responses, "while you were editing it")

    # submit: once, and the head is asked to sign off once
    before, told = report.history.count(), notices(report)
    responses = post_all(liaison, f"{path}submit/")
    assert one_wins(statuses(responses))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.history.count() == before + 1 and notices(report) == told + 1
    losers_say(responses, "This report has already been submitted.")

    # sign-off: once
    before = report.history.count()
    responses = post_all(head, f"{path}sign-off/")
    assert one_wins(statuses(responses))
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNED_OFF and report.history.count() == before + 1
    losers_say(responses, "This report has already been signed off by the unit head.")

    # accept: the task's progress recorded once, the claimed milestone done once, the liaison told once
    before, told = report.history.count(), notices(report)
    task_before, milestone_before = d.task_a.history.count(), done.history.count()
    responses = post_all(office, f"{path}accept/")
    assert one_wins(statuses(responses))
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.history.count() == before + 1
    task = Task.objects.get(pk=d.task_a.pk)
    assert task.progress == Decimal(40) and task.history.count() == task_before + 1
    assert (
        Milestone.objects.get(pk=done.pk).done_on is not None and done.history.count() == milestone_before + 1
    )
    assert notices(report) == told + 1
    losers_say(responses, "This report has already been accepted by the supervision office.")

    # return (another period's report): once, the liaison told once
    report = signed_off(d, APRIL)
    before, told = report.history.count(), notices(report)
    responses = post_all(office, f"/api/reports/{report.pk}/return/", {"reason": "数据不实"})
    assert one_wins(statuses(responses))
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.history.count() == before + 1
    assert notices(report) == told + 2  # the head who submitted it and the liaison, once each
    losers_say(responses, "This report has already been returned.")


def test_the_same_report_started_three_times_at_once_is_started_once(d):
    liaison = d.user("liaison_a")
    clients = [api_client(liaison) for _ in range(3)]
    body = {"task": d.task_a.pk, "period_start": "2026-06-01"}
    responses = at_once(3, lambda i: clients[i].post("/api/reports/", body, format="json"))
    assert sorted(statuses(responses)) == [200, 200, 201]  # the others are given the report just started
    assert len({r.json()["id"] for r in responses}) == 1
    report = ProgressReport.objects.get(task=d.task_a, period_start=datetime.date(2026, 6, 1))
    assert report.history.count() == 1


def test_competing_steps_at_once_leave_one(d):
    office, head = d.user("office"), d.user("head_a")

    # accept and return of one signed-off report: one verdict, progress recorded only if accepted
    report = signed_off(d, MARCH)
    before, task_before, told = report.history.count(), d.task_a.history.count(), notices(report)
    path = f"/api/reports/{report.pk}/"
    responses = each_once(
        (api_client(office), "post", f"{path}accept/", {}),
        (api_client(office), "post", f"{path}return/", {"reason": "数据不实"}),
    )
    assert one_wins(statuses(responses))
    report.refresh_from_db()
    accepted = responses[0].status_code == 200
    assert report.status == (ReportStatus.ACCEPTED if accepted else ReportStatus.RETURNED)
    # accepted: the head who submitted it is told; returned: the head and the liaison
    assert report.history.count() == before + 1 and notices(report) == told + (1 if accepted else 2)
    assert Task.objects.get(pk=d.task_a.pk).history.count() == task_before + (1 if accepted else 0)

    # the head's sign-off and return of one submitted report
    report = filled(d, APRIL)
    actions.submit_report(report, by=d.user("liaison_a"))
    before, path = report.history.count(), f"/api/reports/{report.pk}/"
    responses = each_once(
        (api_client(head), "post", f"{path}sign-off/", {}),
        (api_client(head), "post", f"{path}return/", {"reason": "补充材料"}),
    )
    assert one_wins(statuses(responses), refused=(400, 403, 409))  # 403: a signed-off report is the office's
    report.refresh_from_db()
    signed = responses[0].status_code == 200
    assert report.status == (ReportStatus.SIGNED_OFF if signed else ReportStatus.RETURNED)
    assert report.history.count() == before + 1

    # a draft save and a submission: the save is in before the submission, or refused after it
    report = filled(d, MAY)
    before, path = report.history.count(), f"/api/reports/{report.pk}/"
    liaison = d.user("liaison_a")
    responses = each_once(
        (api_client(liaison), "post", f"{path}submit/", {}),
        (api_client(liaison), "patch", path, {"version": report.version, "done": "改"}),
    )
    submitted, saved = (r.status_code for r in responses)
    assert submitted == 200 and saved in (200, 409)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.done == ("改" if saved == 200 else "已批复")
    assert report.history.count() == before + (2 if saved == 200 else 1)

    # two reports claiming one milestone, accepted at once: the milestone is marked done once
    done = milestone(d, "完成项目立项")
    reports = [filled(d, JUNE), filled(d, JULY)]
    for report in reports:
        actions_milestones.claim_milestones(report, by=d.user("liaison_a"), milestone_ids=[done.pk])
        actions.submit_report(report, by=d.user("head_a"))
    before = done.history.count()
    responses = each_once(
        *[(api_client(d.user("office")), "post", f"/api/reports/{r.pk}/accept/", {}) for r in reports]
    )
    assert statuses(responses) == [200, 200]
    assert done.history.count() == before + 1

    # an accept double-clicked on the page: the second click is told what happened
    report = signed_off(d, AUGUST)
    url = reverse("dispatch:report-review", args=[report.pk, "accept"])
    clients = [page_client(d.user("office")) for _ in range(2)]
    responses = at_once(2, lambda i: clients[i].post(url))
    codes = statuses(responses)
    assert codes[0] == 302 and codes[1] in (400, 409)
    loser = next(r for r in responses if r.status_code != 302)
    said = (
        "This report has already been accepted by the supervision office."
        if loser.status_code == 409
        else "Only a report signed off by the unit head can be accepted."
    )
    assert said in loser.content.decode()
    assert report.history.filter(status=ReportStatus.ACCEPTED).count() == 1

    # the report form's submit double-clicked: submitted once; a second click that finds it submitted is
    # shown the report, not a form to merge into
    report = filled(d, SEPTEMBER)
    url = reverse("dispatch:report-edit", args=[report.pk])
    body = {"version": report.version, "progress": "45", "done": "九月完成", "submit": "1"}
    clients = [page_client(d.user("liaison_a")) for _ in range(2)]
    responses = at_once(2, lambda i: clients[i].post(url, body))
    codes = statuses(responses)
    assert codes in ([302, 409], [302, 302])  # 302 twice: the second found it submitted and was sent to it
    loser = next((r for r in responses if r.status_code == 409), None)
    if loser is not None:  # the twin had saved (the form to merge into) or already submitted (the report)
        page = loser.content.decode()
        if "This report has already been submitted." in page:
            assert 'id="submit-report"' not in page
        else:
            assert "while you were editing it" in page
    assert report.history.filter(history_change_reason="submitted").count() == 1


def upload(i: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"现场{i}.png", PNG, content_type="image/png")


def test_parts_files_and_ticks_sent_at_once_are_kept_once(d):
    liaison = d.user("liaison_a")

    # a co-unit's part sent three times: one part, one history entry, the report started once
    body = {"task": d.task_a.pk, "period_start": MARCH.start.isoformat(), "text": "配合完成资金拨付"}
    responses = post_all(d.user("liaison_c"), "/api/reports/contribute/", body)
    assert one_wins(statuses(responses))
    assert ReportContribution.objects.count() == 1 and ReportContribution.history.count() == 1
    assert ProgressReport.objects.count() == 1
    losers_say(responses, "already been saved with these words")
    report = ProgressReport.objects.get()
    actions.save_draft(report, by=liaison, version=report.version, progress=Decimal(40), done="已批复")

    # ten uploads at once with room for two: two go in, eight are refused, never more than the limit
    Attachment.objects.bulk_create(
        Attachment(
            report=report, unit=d.unit_a, file=f"evidence/{n}.png", original_name=f"{n}.png", kind="png",
            size=len(PNG), sha256="0" * 64, uploaded_by=liaison,
        )
        for n in range(actions.MAX_ATTACHMENTS - 2)
    )  # fmt: skip
    clients = [api_client(liaison) for _ in range(10)]
    responses = at_once(
        10,
        lambda i: clients[i].post(
            f"/api/reports/{report.pk}/evidence/", {"file": upload(i)}, format="multipart"
        ),
    )
    codes = statuses(responses)
    assert codes.count(201) == 2 and codes.count(400) == 8
    assert report.attachments.count() == actions.MAX_ATTACHMENTS

    # one file removed three times at once: removed once
    attachment = report.attachments.latest("uploaded_at")
    clients = [api_client(liaison) for _ in range(3)]
    codes = statuses(at_once(3, lambda i: clients[i].delete(f"/api/evidence/{attachment.pk}/")))
    assert codes.count(204) == 1 and all(c in (404, 409) for c in codes if c != 204)
    assert Attachment.history.filter(id=attachment.pk, history_type="-").count() == 1

    # a milestone ticked three times at once: claimed once (ticking what is ticked changes nothing)
    done = milestone(d)
    responses = post_all(liaison, f"/api/reports/{report.pk}/milestones/", {"milestones": [done.pk]})
    assert statuses(responses) == [200, 200, 200]
    assert report.milestone_claims.count() == 1
    assert report.milestone_claims.model.history.count() == 1

    # a co-unit's part while the report is submitted: in before the submission, or refused after it
    april = filled(d, APRIL)
    responses = each_once(
        (api_client(liaison), "post", f"/api/reports/{april.pk}/submit/", {}),
        (
            api_client(d.user("liaison_c")),
            "post",
            "/api/reports/contribute/",
            {"task": d.task_a.pk, "period_start": APRIL.start.isoformat(), "text": "配合"},
        ),
    )
    assert responses[0].status_code == 200
    april.refresh_from_db()
    part = ReportContribution.objects.filter(report=april).first()
    if responses[1].status_code == 200:
        assert part is not None and part.updated_at < april.submitted_at
    else:
        assert responses[1].status_code in (400, 409) and part is None
