import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.dispatch.conftest import APRIL, MARCH
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.workdays import add_workdays, is_workday, previous_workday
from tongtui.dispatch import actions
from tongtui.dispatch.models import Notification, ProgressReport, ReportStatus
from tongtui.dispatch.schedule import Period
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import TaskStatus


def filed(d, period=MARCH, progress=30, done="完成项目立项", by="liaison_a"):
    report = actions.start_or_get_draft(d.task_a, period, by=d.user(by))
    actions.save_draft(report, by=d.user(by), version=report.version, progress=Decimal(progress), done=done)
    return actions.submit_report(report, by=d.user(by))


def accepted(d, period=MARCH, progress=30, next_steps=""):
    report = actions.start_or_get_draft(d.task_a, period, by=d.user("liaison_a"))
    actions.save_draft(
        report,
        by=d.user("liaison_a"),
        version=report.version,
        progress=Decimal(progress),
        done="完成",
        next_steps=next_steps,
        confidence=4,
        problems="用地指标紧张",
    )
    actions.submit_report(report, by=d.user("head_a"))
    return actions.accept_report(report, by=d.user("office"))


def test_a_new_draft_starts_from_the_tasks_progress(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    assert report.status == ReportStatus.DRAFT
    assert report.unit == d.unit_a
    assert report.due == MARCH.due
    assert report.progress == d.task_a.progress


def test_a_draft_is_pre_filled_from_the_last_report(d):
    accepted(d, MARCH, progress=30, next_steps="开工建设")
    report = actions.start_or_get_draft(d.task_a, APRIL, by=d.user("liaison_a"))
    assert report.progress == Decimal(30)
    assert report.confidence is None  # 完成把握 is chosen afresh each time, never carried over
    assert report.problems == "用地指标紧张"
    assert report.done == "开工建设"  # last time's next steps, to be edited
    assert report.next_steps == ""


def test_this_periods_report_or_else_the_last_one_sent_in_is_one_read(d, django_assert_num_queries):
    """Starting a report reads, in one query, the period's own report or else the last report sent in before
    it: the same answers as asking for each alone, over drafts, returned and accepted reports, a report of
    another cycle overlapping the period and one after it."""
    from tongtui.dispatch.repeats_db import previous_report

    D = datetime.date
    rows = [  # (start, end, status)
        (D(2026, 1, 1), D(2026, 1, 31), ReportStatus.ACCEPTED),
        (D(2026, 2, 1), D(2026, 2, 28), ReportStatus.RETURNED),
        (D(2026, 3, 1), D(2026, 3, 31), ReportStatus.DRAFT),
        (D(2026, 4, 1), D(2026, 6, 30), ReportStatus.SUBMITTED),  # a quarter, overlapping May and June
        (D(2026, 7, 1), D(2026, 7, 31), ReportStatus.DRAFT),
        (D(2026, 8, 1), D(2026, 8, 31), ReportStatus.ACCEPTED),
    ]
    ProgressReport.objects.bulk_create(
        [ProgressReport(task=d.task_a, unit=d.unit_a, period_start=a, period_end=b, status=s, done=f"{a:%m}月")
         for a, b, s in rows]
    )  # fmt: skip
    for month in range(1, 13):
        start = D(2026, month, 1)
        end = (start + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
        period = Period(start, end, end)
        own = ProgressReport.objects.filter(task=d.task_a, period_start=start, period_end=end).first()
        last = None if own else previous_report(d.task_a.pk, start)
        with django_assert_num_queries(1):
            found = actions._this_or_last(d.task_a, period)
        assert found == (own, last), month
        assert month not in (1, 2, 3, 7, 8) or own is not None
    assert actions._this_or_last(d.task_a, Period(D(2026, 6, 1), D(2026, 6, 30), D(2026, 6, 25)))[1].done == "02月"  # March is a draft
    assert actions._this_or_last(d.task_a, Period(D(2026, 9, 1), D(2026, 9, 30), D(2026, 9, 25)))[1].done == "08月"


def test_starting_twice_gives_the_same_report(d):
    first = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    second = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("head_a"))
    assert first.pk == second.pk
    assert ProgressReport.objects.count() == 1


@pytest.mark.parametrize("who", ["liaison_b", "liaison_c", "office", "leader"])
def test_only_the_lead_unit_starts_a_report(d, who):
    with pytest.raises(Forbidden):
        actions.start_or_get_draft(d.task_a, MARCH, by=d.user(who))


def test_it_refuses_a_report_on_a_task_not_assigned_yet(d):
    d.task_a.status = TaskStatus.DRAFT
    d.task_a.save()
    with pytest.raises(ActionError):
        actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))


def test_two_people_editing_the_same_draft_get_a_clear_conflict(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    loaded_by_head = ProgressReport.objects.get(pk=report.pk)
    actions.save_draft(report, by=d.user("liaison_a"), version=report.version, done="张联络的文字")
    with pytest.raises(Conflict) as exc:
        actions.save_draft(
            loaded_by_head, by=d.user("head_a"), version=loaded_by_head.version, done="李局长的文字"
        )
    assert "张联络" in str(exc.value)
    assert exc.value.current_version == report.version
    report.refresh_from_db()
    assert report.done == "张联络的文字"


def test_submission_needs_progress_and_what_was_done(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    actions.save_draft(report, by=d.user("liaison_a"), version=report.version, progress=None, done=" ")
    with pytest.raises(ActionError) as exc:
        actions.submit_report(report, by=d.user("liaison_a"))
    assert "progress" in str(exc.value) or "进度" in str(exc.value)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_an_on_time_submission_is_not_late(d):
    today = timezone.localdate()
    period = Period(
        today - datetime.timedelta(days=20),
        today + datetime.timedelta(days=5),
        today + datetime.timedelta(days=3),
    )
    report = filed(d, period)
    assert report.status == ReportStatus.SUBMITTED
    assert report.late_workdays == 0
    assert report.submitted_by == d.user("liaison_a")


def test_a_late_submission_is_marked_with_working_days(d):
    today = timezone.localdate()
    # on a day off, the working days since the due date end at the last working day
    last = today if is_workday(today) else previous_workday(today)
    due = add_workdays(last, -3)
    report = filed(d, Period(due - datetime.timedelta(days=20), due, due))
    assert report.late_workdays == 3


def test_submission_asks_the_unit_head_to_sign_off(d):
    report = filed(d)
    note = Notification.objects.get(recipient=d.user("head_a"))
    assert str(report.pk) in note.url


def test_a_head_who_submits_signs_off_at_once(d):
    report = filed(d, by="head_a")
    assert report.status == ReportStatus.SIGNED_OFF
    assert report.signed_off_by == d.user("head_a")


def test_a_submitted_report_cannot_change(d):
    report = filed(d)
    with pytest.raises(ActionError):
        actions.save_draft(report, by=d.user("liaison_a"), version=report.version, done="改过的")
    with pytest.raises(ActionError):
        actions.submit_report(report, by=d.user("liaison_a"))


@pytest.mark.parametrize("who", ["liaison_a", "office", "liaison_c"])
def test_only_the_unit_head_signs_off(d, who):
    report = filed(d)
    with pytest.raises(Forbidden):
        actions.sign_off(report, by=d.user(who))


def test_accepting_records_the_tasks_progress_through_the_plans_action(d):
    report = filed(d, progress=45)
    actions.sign_off(report, by=d.user("head_a"))
    actions.accept_report(report, by=d.user("office"), note="属实")
    d.task_a.refresh_from_db()
    assert d.task_a.progress == Decimal(45)
    assert d.task_a.progress_on == MARCH.end
    assert d.task_a.progress_note == "完成项目立项"
    assert d.task_a.status == TaskStatus.IN_PROGRESS
    assert d.task_a.history.first().history_user == d.user("office")
    assert report.reviewed_by == d.user("office") and report.review_note == "属实"


def test_the_office_cannot_accept_what_the_head_has_not_signed(d):
    report = filed(d)
    with pytest.raises(ActionError):
        actions.accept_report(report, by=d.user("office"))


@pytest.mark.parametrize("who", ["head_a", "leader", "liaison_a"])
def test_only_the_office_accepts(d, who):
    report = filed(d, by="head_a")
    with pytest.raises(Forbidden):
        actions.accept_report(report, by=d.user(who))


def test_an_older_report_accepted_late_does_not_roll_progress_back(d):
    accepted(d, APRIL, progress=60)
    accepted(d, MARCH, progress=30)
    d.task_a.refresh_from_db()
    assert d.task_a.progress == Decimal(60)


def test_a_returned_report_goes_back_to_the_liaison_with_the_reason(d):
    report = filed(d, by="head_a")
    with pytest.raises(ActionError):
        actions.return_report(report, by=d.user("office"), reason="  ")
    actions.return_report(report, by=d.user("office"), reason="缺少佐证材料")
    assert report.status == ReportStatus.RETURNED
    assert report.review_note == "缺少佐证材料"
    note = Notification.objects.get(recipient=d.user("liaison_a"), title__contains=str(report))
    assert note.body == "缺少佐证材料"
    actions.save_draft(report, by=d.user("liaison_a"), version=report.version, done="补充了现场照片")
    actions.submit_report(report, by=d.user("liaison_a"))
    assert report.status == ReportStatus.SUBMITTED
    assert report.reviewed_by is None


def test_resubmission_keeps_the_first_submissions_lateness(d):
    today = timezone.localdate()
    report = filed(d, Period(today - datetime.timedelta(days=20), today, today))
    actions.return_report(report, by=d.user("head_a"), reason="进度数字有误")
    report.due = add_workdays(today, -5)  # would be 5 days late if counted again
    actions.submit_report(report, by=d.user("liaison_a"))
    assert report.late_workdays == 0


def test_the_head_may_return_before_signing_but_not_after(d):
    report = filed(d)
    actions.return_report(report, by=d.user("head_a"), reason="请补充数据")
    signed = filed(d, APRIL, by="head_a")
    with pytest.raises(Forbidden):
        actions.return_report(signed, by=d.user("head_a"), reason="再改改")


def test_a_draft_cannot_be_returned(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    with pytest.raises(ActionError):
        actions.return_report(report, by=d.user("office"), reason="x")


def test_every_version_is_kept_with_its_actor(d):
    report = filed(d, by="head_a")
    actions.return_report(report, by=d.user("office"), reason="补充")
    actions.submit_report(report, by=d.user("head_a"))
    rows = list(report.history.order_by("history_date").values_list("status", "history_user__username"))
    assert rows == [
        ("draft", "head_a"),
        ("draft", "head_a"),
        ("signed_off", "head_a"),
        ("returned", "office"),
        ("signed_off", "head_a"),
    ]


def test_a_co_unit_adds_its_part_to_the_lead_units_report(d):
    contribution = actions.add_contribution(
        d.task_a, MARCH, by=d.user("liaison_c"), text="落实配套资金2000万元"
    )
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    assert contribution.report == report
    assert contribution.unit == d.unit_c and contribution.author == d.user("liaison_c")
    again = actions.add_contribution(d.task_a, MARCH, by=d.user("liaison_c"), text="落实配套资金3000万元")
    assert again.pk == contribution.pk
    assert report.contributions.get().text == "落实配套资金3000万元"


@pytest.mark.parametrize("who", ["liaison_b", "liaison_a", "office"])
def test_only_a_co_unit_adds_a_contribution(d, who):
    with pytest.raises(Forbidden):
        actions.add_contribution(d.task_a, MARCH, by=d.user(who), text="x")


def test_no_contribution_after_submission(d):
    filed(d)
    with pytest.raises(ActionError):
        actions.add_contribution(d.task_a, MARCH, by=d.user("liaison_c"), text="迟到的内容")


def test_indicator_values_are_saved_with_the_report(d):
    indicator = plan_actions.add_indicator(d.task_a, by=d.user("office"), name="GDP增速", target=Decimal(6))
    other = plan_actions.add_indicator(d.task_c, by=d.user("office"), name="收入", target=Decimal(5))
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    actions.save_draft(
        report,
        by=d.user("liaison_a"),
        version=report.version,
        indicator_values={indicator.pk: Decimal("5.8")},
    )
    assert report.indicator_values.get().value == Decimal("5.8")
    with pytest.raises(ActionError):
        actions.save_draft(
            report, by=d.user("liaison_a"), version=report.version, indicator_values={other.pk: Decimal(1)}
        )
    actions.save_draft(
        report, by=d.user("liaison_a"), version=report.version, indicator_values={indicator.pk: None}
    )
    assert not report.indicator_values.exists()


def test_a_report_accepted_before_its_period_ends_records_progress_on_the_day_it_was_filed(d):
    today = timezone.localdate()
    start = today.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    current = Period(start, end, end)
    report = filed(d, period=current, progress=55)
    actions.sign_off(report, by=d.user("head_a"))
    actions.accept_report(report, by=d.user("office"))
    d.task_a.refresh_from_db()
    assert d.task_a.progress_on == min(today, end)
