"""The demo plan's dispatch side: its report cycle and reminders, problems raised on tasks, meetings."""

import datetime
from typing import Any

from tongtui.core.workdays import calendar
from tongtui.demo.clock import at
from tongtui.demo.district import Org
from tongtui.demo.reports import Filers
from tongtui.dispatch import actions_cycles, actions_meetings, actions_problems
from tongtui.dispatch.due import reportable_tasks
from tongtui.dispatch.models import ReportCycle
from tongtui.dispatch.models.meetings import DecisionKind
from tongtui.dispatch.models.problems import AddressedTo
from tongtui.plans.models import Plan, Task

# title, addressed to, the answer (empty: still open), resolved afterwards
PROBLEMS: list[tuple[str, str, str, bool]] = [
    (
        "项目用地指标不足,需区级统筹调剂",
        AddressedTo.LEADER,
        "已责成区自然资源局统筹调剂用地指标,12月上旬前落实。",
        True,
    ),
    (
        "上级专项资金尚未拨付,影响工程款支付",
        AddressedTo.OFFICE,
        "已协调区财政局先行垫付,上级资金到位后归垫。",
        False,
    ),
    ("配套管线迁改需产权单位配合", AddressedTo.UNIT, "我局已与产权单位对接,本月底前完成迁改方案审查。", True),
    ("施工许可办理需跨部门会商", AddressedTo.OFFICE, "", False),
    ("部分企业数据报送不及时,影响指标调度", AddressedTo.LEADER, "", False),
]


def set_cycle(plan: Plan, *, by: Any) -> ReportCycle:
    """Monthly reports due on the 25th (the previous working day when it is not one); reminders."""
    cycle = actions_cycles.set_report_cycle(
        by=by,
        plan=plan,
        frequency="monthly",
        due_kind="day_of_month",
        day_of_month=25,
        shift="previous",
        reason="按照《重点工作推进落实办法》,每月25日前报送进展情况",
    )
    actions_cycles.set_reminder_policy(
        plan,
        by=by,
        days_before=3,
        on_the_day=True,
        after_every=2,
        escalate_to_head_after=3,
        escalate_to_leader_after=5,
        max_per_period=5,
        reason="报送提醒",
    )
    return cycle


def problems_and_meetings(plan: Plan, org: Org, people: Filers, *, today: datetime.date, by: Any) -> None:
    """Five problems raised by lead units (answered, resolved, open, one overdue and escalated), a held
    dispatch meeting with its minutes and two decisions, and next week's meeting."""
    cal = calendar()
    helper = org.units["区自然资源局"]  # the unit a problem asks for help; it cannot be its own lead
    lagging = [t for t in _tasks(plan, "滞后") if t.lead_unit_id != helper.pk]
    others = [t for t in _tasks(plan, "") if t not in lagging and t.lead_unit_id != helper.pk]
    picks = (lagging + others)[:5]
    if len(picks) < 5:
        return
    office, leader = people.office, org.leaders["economy"]
    leader_user = leader.user
    for n, (task, (title, addressed, answer, resolve)) in enumerate(zip(picks, PROBLEMS, strict=False)):
        raised_on = cal.add_workdays(today, -(22 - 4 * n))
        assert task.lead_unit_id is not None
        liaison = people.liaison[task.lead_unit_id]
        addressed_unit = helper if addressed == AddressedTo.UNIT else None
        with at(raised_on, 10):
            problem = actions_problems.raise_problem(
                task,
                by=liaison,
                title=title,
                description=f"{task.title}推进中遇到的困难:{title}。恳请协调解决。",
                addressed_to=addressed,
                addressed_unit=addressed_unit,
                answer_by=cal.add_workdays(raised_on, {3: 3, 4: 10}.get(n, 5)),
            )
        if answer:
            answerer = {
                AddressedTo.OFFICE: office,
                AddressedTo.LEADER: leader_user if task.leader_id == leader.pk else office,
                AddressedTo.UNIT: people.liaison.get(addressed_unit.pk if addressed_unit else 0, office),
            }[AddressedTo(addressed)]
            with at(cal.add_workdays(raised_on, 3), 15):
                actions_problems.answer_problem(problem, by=answerer, text=answer)
        if resolve:
            with at(cal.add_workdays(raised_on, 6), 11):
                actions_problems.resolve_problem(problem, by=liaison, note="问题已协调解决。")
    with at(today, 8):
        actions_problems.escalate_overdue()
    _meetings(plan, org, people, today=today, cal=cal, lagging=lagging)


def _meetings(
    plan: Plan, org: Org, people: Filers, *, today: datetime.date, cal: Any, lagging: list[Task]
) -> None:
    office, chair = people.office, org.leaders["economy"]
    held_on = cal.add_workdays(today, -5)
    with at(cal.add_workdays(held_on, -3), 9):
        meeting = actions_meetings.create_meeting(
            by=office,
            plan=plan,
            date=held_on,
            title=f"{plan.year}年重点工作{held_on.month}月调度会",
            chair=chair,
            scope="plan",
        )
    with at(held_on, 17):
        actions_meetings.record_minutes(
            meeting,
            by=office,
            minutes=(
                f"{held_on.month}月{held_on.day}日,{chair.name}同志主持召开全区重点工作调度会,听取进度滞后任务"
                "牵头单位情况汇报,研究解决项目用地、资金拨付等问题。会议要求:各牵头单位倒排工期,确保年度目标"
                "任务全面完成;区督查室加强跟踪督办,对整改不力的单位进行约谈。"
            ),
        )
        target = lagging[0] if lagging else None
        actions_meetings.add_decision(
            meeting,
            by=office,
            text="建立重点项目要素保障专班,每周会商用地、资金问题\n由区发改局牵头,区自然资源局、区财政局配合。",
            lead_unit=org.units["区发改局"],
            co_units=[org.units["区自然资源局"], org.units["区财政局"]],
            deadline=cal.add_workdays(held_on, 15),
            kind=DecisionKind.TASK,
        )
        if target is not None and target.lead_unit is not None:
            actions_meetings.add_decision(
                meeting,
                by=office,
                text=f"{target.title}:12月15日前完成滞后节点,补齐进度",
                lead_unit=target.lead_unit,
                deadline=datetime.date(plan.year, 12, 15),
                kind=DecisionKind.MILESTONE,
                task=target,
            )
    with at(today, 16):
        actions_meetings.create_meeting(
            by=office,
            plan=plan,
            date=cal.add_workdays(today, 5),
            title=f"{plan.year}年重点工作{today.month}月第二次调度会",
            chair=chair,
            scope="plan",
        )


def _tasks(plan: Plan, note: str) -> list[Task]:
    qs = reportable_tasks(Task.objects.filter(plan=plan, progress_on__isnull=False)).order_by("code_sort", "code")
    if note:
        qs = qs.filter(progress_note__contains=note)
    return list(qs)
