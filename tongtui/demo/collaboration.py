"""The demo plan's collaboration, through the collaboration actions: leaders' instructions on lagging tasks
(one answered and closed, one waiting for the leader's reading, one past its date and chased, one fresh, one
made into a milestone), a 圈阅 mark, coordination requests between units (accepted with a related task,
answered, declined, one overdue) and comments with @mentions."""

import datetime
from decimal import Decimal
from typing import Any

from tongtui.collaboration import actions, actions_comments, actions_requests
from tongtui.collaboration.models import TargetKind
from tongtui.collaboration.targets import Target
from tongtui.core.workdays import calendar
from tongtui.demo.clock import at
from tongtui.demo.district import Org
from tongtui.demo.reports import Filers
from tongtui.plans.models import CoUnit, Plan, Task, TaskStatus


def _t(task: Task) -> Target:
    return Target(TargetKind.TASK, task, task)


def collaborate(plan: Plan, org: Org, people: Filers, *, today: datetime.date) -> dict[str, int]:
    cal = calendar()
    open_tasks = list(
        Task.objects.filter(plan=plan, status=TaskStatus.IN_PROGRESS, lead_unit__isnull=False,
                            leader__user__isnull=False)
        .select_related("leader__user", "lead_unit").order_by("code_sort", "code")
    )  # fmt: skip
    lagging = [t for t in open_tasks if "滞后" in t.progress_note]
    others = [t for t in open_tasks if t not in lagging]
    picks = (lagging + others)[:6]
    if len(picks) < 6:
        return {}
    office = people.office
    co = {link.task_id: link.unit for link in CoUnit.objects.filter(task__in=picks).select_related("unit")}

    def liaison(task: Task) -> Any:
        return people.liaison[task.lead_unit_id]  # type: ignore[index]

    def leader(task: Task) -> Any:
        return task.leader.user  # type: ignore[union-attr]

    # 1. answered and closed
    t = picks[0]
    day = cal.add_workdays(today, -20)
    with at(day, 9):
        i = actions.instruct(_t(t), by=leader(t), text=f"“{t.title}”进度滞后,请{t.lead_unit.label}倒排工期,"  # type: ignore[union-attr]
                             "3个工作日内报送赶进度措施。", today=day)  # fmt: skip
    with at(cal.add_workdays(day, 2), 16):
        actions.reply(i, by=liaison(t), text="已制定赶进度计划,增加施工力量,确保本月底前补齐滞后节点。")
    with at(cal.add_workdays(day, 3), 10):
        actions.reply(i, by=leader(t), text="同意,请督查室跟踪。")
    with at(cal.add_workdays(day, 3), 11):
        actions.close(i, by=leader(t))

    # 2. the lead unit and a co-unit asked; the co-unit has not replied: past its date, chased
    t = picks[1]
    day = cal.add_workdays(today, -9)
    units = [t.lead_unit, *([co[t.pk]] if t.pk in co else [])]
    with at(day, 9):
        i = actions.instruct(_t(t), by=leader(t), text="请牵头单位会同配合单位研究解决要素保障问题,"
                             "并报送书面意见。", units=units, today=day)  # type: ignore[arg-type]  # fmt: skip
    if len(units) > 1:
        with at(cal.add_workdays(day, 2), 15):
            actions.reply(i, by=liaison(t), text="已召开专题会,形成初步方案,待配合单位反馈。")

    # 3. every unit replied: waiting for the leader's reading
    t = picks[2]
    day = cal.add_workdays(today, -4)
    with at(day, 9):
        i = actions.instruct(_t(t), by=leader(t), text="请说明下步计划及完成时限。", today=day)
    with at(cal.add_workdays(day, 1), 17):
        actions.reply(i, by=liaison(t), text="计划下月中旬完成主体工程,年底前通过验收。")

    # 4. fresh: written yesterday
    t = picks[3]
    day = cal.add_workdays(today, -1)
    with at(day, 10):
        actions.instruct(_t(t), by=leader(t), text="请加大推进力度,确保年度目标完成。", today=day)

    # 5. new work: a milestone on the task, added by the office
    t = picks[4]
    day = cal.add_workdays(today, -12)
    with at(day, 9):
        i = actions.instruct(_t(t), by=leader(t), text="年底前完成项目竣工验收,形成验收报告。", today=day)
    with at(cal.add_workdays(day, 1), 10):
        actions.make_milestone(i, by=office, title="完成项目竣工验收", due=datetime.date(plan.year, 12, 25),
                               planned_progress=Decimal(100))  # fmt: skip
    with at(cal.add_workdays(day, 2), 10):
        actions.reply(i, by=liaison(t), text="已纳入工作计划,按期推进。")

    # 6. 圈阅
    t = picks[5]
    with at(cal.add_workdays(today, -2), 8):
        actions.mark_read(_t(t), by=leader(t))

    with at(today, 8):
        chased = actions.chase_overdue(today)

    # coordination requests between the lead units of the picked tasks
    asks = [
        (picks[0], picks[2], "请提供项目用地规划条件", "accept_answer"),
        (picks[1], picks[3], "请协助办理施工许可前置手续", "decline"),
        (picks[2], picks[4], "请提供配套资金拨付计划", "accept"),
        (picks[3], picks[0], "请共享企业用能数据", "overdue"),
    ]
    requests = 0
    for n, (mine, theirs, subject, fate) in enumerate(asks):
        if mine.lead_unit_id == theirs.lead_unit_id:
            continue
        day = cal.add_workdays(today, -(15 - 3 * n))
        with at(day, 10):
            req = actions_requests.ask(mine, by=liaison(mine), to_unit=theirs.lead_unit, subject=subject,
                                       body=f"为推进“{mine.title}”,{subject},盼予支持。", reply_within=5,
                                       today=day)  # fmt: skip
        requests += 1
        answerer = liaison(theirs)
        if fate in ("accept", "accept_answer"):
            with at(cal.add_workdays(day, 1), 15):
                actions_requests.accept(req, by=answerer, related_task=theirs, note="已安排专人对接。")
        if fate == "accept_answer":
            with at(cal.add_workdays(day, 3), 16):
                actions_requests.answer(req, by=answerer, text="相关资料已提供,请查收。")
        if fate == "decline":
            with at(cal.add_workdays(day, 2), 11):
                actions_requests.decline(req, by=answerer, reason="该事项不属于本单位职责,建议向区行政审批局申请。")
    with at(today, 8):
        actions_requests.chase_overdue(today)

    # comments with mentions
    comments = 0
    office_name = office.person.name
    for t in picks[:3]:
        head = next((p for p in org.heads.values() if p.unit_id == t.lead_unit_id and p.user_id), None)
        if head is None:
            continue
        with at(cal.add_workdays(today, -3), 14):
            actions_comments.write(_t(t), by=liaison(t), text=f"@{head.name} @{office_name} 本月进展材料已上传,请审核。")
        with at(cal.add_workdays(today, -2), 9):
            actions_comments.write(_t(t), by=head.user, text="收到,已审核,请按计划推进。")
        comments += 2
    return {"instructions": 6, "instructions chased": chased, "coordination requests": requests,
            "comments": comments}
