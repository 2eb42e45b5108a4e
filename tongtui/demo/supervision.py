"""The demo plan's supervision side, through the supervision actions: rectification orders, an admonition,
a spot check and the stored integrity flags. The build recomputes the traffic lights last."""

import datetime

from tongtui.core.workdays import calendar
from tongtui.demo.clock import at
from tongtui.demo.district import Org
from tongtui.demo.reports import Filers
from tongtui.plans.models import Plan, Task, TaskStatus
from tongtui.supervision import actions_orders, actions_spotchecks, integrity_db
from tongtui.supervision.models.spotchecks import CheckResult


def supervise(plan: Plan, org: Org, people: Filers, *, today: datetime.date) -> dict[str, int]:
    cal = calendar()
    office = people.office
    lagging = list(
        Task.objects.filter(plan=plan, progress_note__contains="滞后", status=TaskStatus.IN_PROGRESS)
        .exclude(lead_unit=None)
        .order_by("code_sort", "code")
    )
    if len(lagging) >= 2:
        first, second = lagging[0], lagging[1]
        issued = datetime.date(plan.year, 9, 7)
        with at(issued, 10):
            done = actions_orders.issue_order(
                by=office,
                plan=plan,
                unit=first.lead_unit,  # type: ignore[arg-type]
                task=first,
                problem=f"“{first.title}”进度滞后于计划,8月份进展报告未如实反映节点完成情况。",
                requirement="倒排工期,补齐滞后节点,并如实报送进展情况。",
                workdays=10,
                issued_on=issued,
            )
        with at(cal.add_workdays(issued, 8), 16):
            actions_orders.report_rectification(
                done,
                by=people.liaison[done.unit_id],
                text="已制定赶进度计划,增加施工力量,滞后节点已于本周完成,进展台账已更正。",
            )
        with at(cal.add_workdays(issued, 10), 10):
            actions_orders.verify_order(done, by=office, passed=True, note="经现场核查,整改到位。")
        open_on = cal.add_workdays(today, -3)
        with at(open_on, 10):
            actions_orders.issue_order(
                by=office,
                plan=plan,
                unit=second.lead_unit,  # type: ignore[arg-type]
                task=second,
                problem=f"“{second.title}”连续两个月进度滞后,赶进度措施落实不到位。",
                requirement="10个工作日内报送整改情况及佐证材料。",
                workdays=10,
                issued_on=open_on,
            )
        unit = second.lead_unit
        assert unit is not None
        with at(cal.add_workdays(today, -8), 11):
            adm = actions_orders.schedule_admonition(
                by=office,
                plan=plan,
                unit=unit,
                reason="承担的重点任务进度滞后,经督办仍未明显改善。",
                scheduled_for=cal.add_workdays(today, -6),
                talked_by="区委区政府督查室主任 吴晓峰",
                talked_with=f"{unit.short_name}主要负责人 {org.heads[unit.short_name].name}",
                tasks=[second],
            )
        with at(cal.add_workdays(today, -6), 15):
            actions_orders.record_admonition(
                adm,
                by=office,
                held_on=cal.add_workdays(today, -6),
                record="指出任务推进中存在的问题,听取单位说明,提出整改要求。",
                commitments="一、12月10日前补齐滞后节点;二、主要负责人每周现场调度一次;三、每周五报送进展。",
                follow_up_due=datetime.date(plan.year, 12, 11),
            )
    with at(today, 7):
        flags = integrity_db.store(integrity_db.run_integrity(plan, today))
    drawn_on = cal.add_workdays(today, -10)
    with at(drawn_on, 9):
        check = actions_spotchecks.draw_spot_check(
            by=office,
            plan=plan,
            title=f"{plan.year}年第四季度重点工作实地抽查",
            size=4,
            seed=f"{plan.year}-Q4-{drawn_on:%m%d}",
            completed=True,
            advanced_since=datetime.date(plan.year, 9, 1),
        )
    items = list(check.items.order_by("pk"))
    for item, (result, notes) in zip(items[:2], CHECKS, strict=False):
        with at(cal.add_workdays(drawn_on, 4), 16):
            actions_spotchecks.record_check(
                item, by=office, result=result, notes=notes, checked_on=cal.add_workdays(drawn_on, 4)
            )
    return {f"flags {k}": v for k, v in flags.items()}


CHECKS: list[tuple[str, str]] = [
    (CheckResult.CONFIRMED, "现场核查,工程形象进度与报送情况一致,佐证材料齐全。"),
    (CheckResult.PARTLY, "主体工作已完成,部分佐证材料(验收记录)尚未归档,已要求补充。"),
]
