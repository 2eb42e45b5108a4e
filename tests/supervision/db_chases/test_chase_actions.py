import datetime

import pytest
from django.utils.translation import gettext

from tongtui.core.errors import ActionError, Forbidden
from tongtui.dispatch.models import Notification
from tongtui.plans.models import Plan, Task
from tongtui.supervision import actions_chases as chases
from tongtui.supervision import tasks_orders
from tongtui.supervision.models import ChaseNotice, ChaseStatus

D = datetime.date


def test_the_reply_is_due_three_working_days_later_across_the_national_day_holiday(chase):
    # 10-01..10-07 are holidays; 10-08, 10-09 and the make-up Saturday 10-10 are the three working days.
    assert chase.workdays == 3 and chase.reply_due == D(2026, 10, 10)


def test_notices_are_numbered_per_year(cast, chase):
    office = cast.user("office")
    second = chases.issue_chase(by=office, plan=cast.plan, unit=cast.unit_b, subject="s", content="c",
                                issued_on=D(2026, 11, 2))  # fmt: skip
    next_year = chases.issue_chase(by=office, plan=cast.plan, unit=cast.unit_b, subject="s", content="c",
                                   issued_on=D(2027, 1, 5))  # fmt: skip
    assert chase.number == "督办〔2026〕1号"
    assert second.number == "督办〔2026〕2号"
    assert next_year.number == "督办〔2027〕1号"


def test_issuing_tells_the_units_head_and_liaison(cast, chase):
    got = set(Notification.objects.values_list("recipient__username", flat=True))
    assert got == {"head_a", "liaison_a"}
    n = Notification.objects.filter(recipient__username="liaison_a").get()
    assert "督办〔2026〕1号" in n.title and n.url == f"/supervision/chases/{chase.pk}/"


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a"])
def test_only_the_office_issues(cast, who):
    with pytest.raises(Forbidden):
        chases.issue_chase(by=cast.user(who), plan=cast.plan, unit=cast.unit_a, subject="s", content="c")


def test_it_refuses_a_task_of_another_plan(cast):
    other = Plan.objects.create(year=2025, title="2025")
    t = Task.objects.create(plan=other, code="9", title="x", lead_unit=cast.unit_a)
    with pytest.raises(ActionError):
        chases.issue_chase(by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, subject="s", content="c",
                           tasks=[t])  # fmt: skip


def test_the_unit_replies_and_the_office_closes(cast, chase):
    Notification.objects.all().delete()
    chases.reply_chase(chase, by=cast.user("head_a"), text="已补报，原因是系统故障")
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.REPLIED and chase.replied_by == cast.user("head_a")
    assert Notification.objects.filter(recipient__username="office").count() == 1
    chases.close_chase(chase, by=cast.user("office"), note="已阅")
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.CLOSED and chase.closed_at is not None
    reasons = list(chase.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == [gettext("issued"), gettext("replied"), gettext("closed")]


@pytest.mark.parametrize("who", ["liaison_b", "office", "leader"])
def test_only_the_units_head_or_liaison_replies(cast, chase, who):
    with pytest.raises(Forbidden):
        chases.reply_chase(chase, by=cast.user(who), text="x")


def test_it_refuses_a_second_reply_and_an_empty_one(cast, chase):
    with pytest.raises(ActionError):
        chases.reply_chase(chase, by=cast.user("liaison_a"), text="  ")
    chases.reply_chase(chase, by=cast.user("liaison_a"), text="ok")
    with pytest.raises(ActionError):
        chases.reply_chase(chase, by=cast.user("liaison_a"), text="again")


def test_the_unit_cannot_close(cast, chase):
    with pytest.raises(Forbidden):
        chases.close_chase(chase, by=cast.user("head_a"))


def test_reissuing_closes_the_old_notice_and_gives_a_new_number(cast, chase):
    chases.reply_chase(chase, by=cast.user("liaison_a"), text="正在补报")
    new = chases.reissue_chase(
        chase, by=cast.user("office"), content="回复不实，请再次说明", issued_on=D(2026, 10, 12)
    )
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.CLOSED and new.number in chase.close_note
    assert new.number == "督办〔2026〕2号" and new.reissued_from == chase
    assert list(new.tasks.all()) == [cast.task_a] and new.status == ChaseStatus.ISSUED
    assert new.reply_due == D(2026, 10, 15)
    with pytest.raises(ActionError):
        chases.reissue_chase(chase, by=cast.user("office"), content="x")


def test_the_overdue_notice_is_sent_once(cast, chase):
    Notification.objects.all().delete()
    assert chases.overdue_sweep(D(2026, 10, 10)) == {"overdue": 0}  # due that day: not late yet
    assert chases.overdue_sweep(D(2026, 10, 12)) == {"overdue": 1}
    assert chases.overdue_sweep(D(2026, 10, 13)) == {"overdue": 0}
    got = sorted(Notification.objects.values_list("recipient__username", flat=True))
    assert got == ["head_a", "liaison_a", "office"]
    assert ChaseNotice.objects.get().overdue_notified_on == D(2026, 10, 12)


def test_a_replied_notice_is_never_overdue(cast, chase):
    chases.reply_chase(chase, by=cast.user("liaison_a"), text="ok")
    chase.refresh_from_db()
    assert not chase.is_overdue(D(2026, 12, 1))
    assert chases.overdue_sweep(D(2026, 12, 1)) == {"overdue": 0}


def test_the_periodic_job_is_registered_once_and_runs_the_sweep(cast, chase, monkeypatch):
    from tongtui.dispatch import tasks as dispatch_tasks

    tasks_orders.register()
    tasks_orders.register()
    assert [j.name for j in dispatch_tasks.PERIODIC].count("supervision.chase_overdue_sweep") == 1
    monkeypatch.setattr("tongtui.supervision.actions_chases._today", lambda: D(2026, 10, 12))
    assert tasks_orders.chase_overdue_sweep.call() == {"overdue": 1}
