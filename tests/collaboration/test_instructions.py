"""Leader instructions through the actions: who may write, reply and close; the reply date in working days;
the thread; 圈阅; the office turning one into a task or a milestone; the sweep that chases, once."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.collaboration.conftest import TODAY, instruct
from tongtui.collaboration import access, actions, targets
from tongtui.collaboration.models import Instruction, InstructionKind, InstructionStatus
from tongtui.core.errors import ActionError, Forbidden
from tongtui.notify.models import Notification
from tongtui.plans.models import Source

D = datetime.date


def notes(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


def test_a_leader_instructs_the_lead_unit_by_three_working_days(d):
    i = instruct(d)
    assert i.reply_by == D(2026, 3, 11)
    assert list(i.unit_links.values_list("unit_id", flat=True)) == [d.unit_a.pk]
    assert notes(d.user("liaison_a"), "instruction").count() == 1
    assert notes(d.user("head_a"), "instruction").count() == 1
    assert not notes(d.user("liaison_b"), "instruction").exists()
    assert i.history.first().history_user == d.user("leader")


def test_the_reply_date_skips_the_national_day_holiday(d):
    assert instruct(d, today=D(2026, 9, 30)).reply_by == D(2026, 10, 10)  # 10 October is a 调休 working day


def test_the_leader_may_add_co_units_but_not_units_outside_the_task(d):
    i = instruct(d, units=[d.unit_a, d.unit_c])
    assert set(i.unit_links.values_list("unit_id", flat=True)) == {d.unit_a.pk, d.unit_c.pk}
    with pytest.raises(ActionError):
        instruct(d, units=[d.unit_b])


def test_only_a_leader_instructs(d):
    target = targets.resolve(d.user("office"), "task", d.task_a.pk)
    for who in ("office", "head_a", "liaison_a"):
        with pytest.raises(Forbidden):
            actions.instruct(target, by=d.user(who), text="x")


def test_the_units_reply_then_the_leader_reads_and_closes(d):
    i = instruct(d, units=[d.unit_a, d.unit_c])
    actions.reply(i, by=d.user("liaison_a"), text="已完成立项批复。")
    i.refresh_from_db()
    assert i.status == InstructionStatus.OPEN  # unit C has not replied yet
    assert notes(d.user("leader"), "instruction_reply").count() == 1
    actions.reply(i, by=d.user("liaison_c"), text="配合做好资金保障。")
    i.refresh_from_db()
    assert i.status == InstructionStatus.REPLIED
    actions.reply(i, by=d.user("leader"), text="很好,继续跟进。")
    assert notes(d.user("liaison_a"), "instruction_reply").count() == 1
    assert [r.unit_id for r in i.replies.all()] == [d.unit_a.pk, d.unit_c.pk, None]
    actions.close(i, by=d.user("leader"))
    i.refresh_from_db()
    assert i.status == InstructionStatus.CLOSED and i.closed_by == d.user("leader")
    with pytest.raises(ActionError):
        actions.reply(i, by=d.user("liaison_a"), text="补充")


def test_the_leader_asks_again_with_a_new_date(d):
    i = instruct(d)
    actions.reply(i, by=d.user("liaison_a"), text="已办。")
    i.refresh_from_db()
    actions.reply(i, by=d.user("leader"), text="请补充资金到位情况。", ask_again_within=2, today=D(2026, 3, 13))
    i.refresh_from_db()
    assert i.status == InstructionStatus.OPEN and i.reply_by == D(2026, 3, 17)
    assert not i.unit_links.filter(replied_at__isnull=False).exists()


def test_others_cannot_reply_or_close(d):
    i = instruct(d)
    with pytest.raises(Forbidden):
        actions.reply(i, by=d.user("liaison_b"), text="x")
    for who in ("liaison_a", "head_a"):
        with pytest.raises(Forbidden):
            actions.close(i, by=d.user(who))
    actions.close(i, by=d.user("office"))


def test_a_second_identical_reply_is_refused(d, en):
    i = instruct(d)
    actions.reply(i, by=d.user("liaison_a"), text="已办。")
    i.refresh_from_db()
    with pytest.raises(ActionError, match="already been recorded"):
        actions.reply(i, by=d.user("liaison_a"), text="已办。")


def test_a_leader_marks_read_once(d):
    target = targets.resolve(d.user("leader"), "task", d.task_a.pk)
    mark = actions.mark_read(target, by=d.user("leader"))
    assert mark.kind == InstructionKind.READ and mark.status == InstructionStatus.CLOSED
    with pytest.raises(ActionError):
        actions.mark_read(target, by=d.user("leader"))


def test_instructions_on_a_report_a_problem_and_a_bulletin_follow_their_access(d):
    from tongtui.dispatch import actions_problems
    from tongtui.dispatch.models import ProgressReport
    from tongtui.publicity.models import Bulletin

    report = ProgressReport.objects.create(task=d.task_a, unit=d.unit_a, period_start=D(2026, 3, 1),
                                           period_end=D(2026, 3, 31))  # fmt: skip
    problem = actions_problems.raise_problem(d.task_c, by=d.user("liaison_c"), title="资金缺口",
                                             addressed_to="office", answer_by=D(2026, 3, 20))  # fmt: skip
    bulletin = Bulletin.objects.create(plan=d.plan, period_start=D(2026, 3, 1), as_of=D(2026, 3, 31), title="通报")
    leader = d.user("leader")
    on_report = actions.instruct(targets.resolve(leader, "report", report.pk), by=leader, text="请核实", today=TODAY)
    on_problem = actions.instruct(targets.resolve(leader, "problem", problem.pk), by=leader, text="财政局牵头研究",
                                  today=TODAY)  # fmt: skip
    on_draft = actions.instruct(targets.resolve(leader, "bulletin", bulletin.pk), by=leader, text="修改后印发",
                                today=TODAY)  # fmt: skip
    assert set(on_problem.unit_links.values_list("unit_id", flat=True)) == {d.unit_c.pk}
    seen = {who: set(access.instructions_visible_to(d.user(who)).values_list("pk", flat=True))
            for who in ("office", "liaison_a", "liaison_c", "liaison_b")}  # fmt: skip
    assert seen["office"] == {on_report.pk, on_problem.pk, on_draft.pk}
    assert seen["liaison_a"] == {on_report.pk}  # the task's report; not task C's problem, not a draft bulletin
    assert seen["liaison_c"] == {on_report.pk, on_problem.pk}  # unit C co-operates on task A
    assert seen["liaison_b"] == set()


def test_the_office_makes_a_task_from_an_instruction_linked_both_ways(d):
    i = instruct(d, text="研究制定低效用地再开发方案")
    task = actions.make_task(i, by=d.user("office"), code="9", title="低效用地再开发", lead_unit=d.unit_a,
                             due=D(2026, 9, 30))  # fmt: skip
    i.refresh_from_db()
    assert i.new_task == task and task.source == Source.INSTRUCTION and task.leader == d.leader
    with pytest.raises(ActionError):
        actions.make_milestone(i, by=d.user("office"), title="x", due=D(2026, 5, 1), planned_progress=Decimal(10))
    resp = d.client("office").get(reverse("task-detail", args=[task.pk]))
    assert reverse("collaboration:instruction-detail", args=[i.pk]) in resp.content.decode()


def test_the_office_makes_a_milestone_and_nobody_else_makes_work(d):
    i = instruct(d)
    with pytest.raises(Forbidden):
        actions.make_milestone(i, by=d.user("leader"), title="x", due=D(2026, 5, 1), planned_progress=Decimal(10))
    m = actions.make_milestone(i, by=d.user("office"), title="完成土地报批", due=D(2026, 5, 31),
                               planned_progress=Decimal(40))  # fmt: skip
    assert m.task == d.task_a
    i.refresh_from_db()
    assert i.new_milestone == m


def test_the_sweep_chases_each_silent_unit_once(d):
    i = instruct(d, units=[d.unit_a, d.unit_c])
    actions.reply(i, by=d.user("liaison_c"), text="已配合。")
    assert actions.chase_overdue(D(2026, 3, 11)) == 0  # on the day: not yet
    assert actions.chase_overdue(D(2026, 3, 12)) == 1  # unit A only
    assert actions.chase_overdue(D(2026, 3, 12)) == 0
    assert actions.chase_overdue(D(2026, 3, 13)) == 0
    assert notes(d.user("liaison_a"), "instruction_overdue").count() == 1
    assert notes(d.user("office"), "instruction_overdue").count() == 1
    assert not notes(d.user("liaison_c"), "instruction_overdue").exists()
    assert Instruction.objects.get(pk=i.pk).status == InstructionStatus.OPEN


def test_the_worker_holds_the_sweep_once_and_it_runs_both_chases(d):
    from tongtui.collaboration import tasks
    from tongtui.dispatch import tasks as dispatch_tasks

    tasks.register()
    tasks.register()
    assert [j.name for j in dispatch_tasks.PERIODIC].count("collaboration.sweep") == 1
    instruct(d)
    assert tasks.collaboration_sweep.call() == {"instructions": 1, "requests": 0}  # TODAY is long past
    assert tasks.collaboration_sweep.call() == {"instructions": 0, "requests": 0}


def test_the_task_page_reads_the_instructions_on_it_and_those_it_came_from_together(d, django_assert_num_queries):
    """One query: the instructions on the task, and the ones the task or a milestone of it came from, as far as
    the reader may see those (an instruction on a draft bulletin stays the office's)."""
    from tongtui.publicity.models import Bulletin

    bulletin = Bulletin.objects.create(plan=d.plan, period_start=D(2026, 3, 1), as_of=D(2026, 3, 31), title="通报")
    leader, office = d.user("leader"), d.user("office")
    on_draft = actions.instruct(targets.resolve(leader, "bulletin", bulletin.pk), by=leader, text="补上低效用地",
                                today=TODAY)  # fmt: skip
    task = actions.make_task(on_draft, by=office, code="9", title="低效用地再开发", lead_unit=d.unit_a,
                             due=D(2026, 9, 30))  # fmt: skip
    on_task = instruct(d, task=task, text="请细化节点")
    actions.make_milestone(on_task, by=office, title="完成土地报批", due=D(2026, 5, 31),
                           planned_progress=Decimal(40))  # fmt: skip
    actions.instruct(targets.resolve(leader, "task", d.task_a.pk), by=leader, text="另一项", today=TODAY)

    def panel(who: str) -> tuple[list[int], list[int]]:
        page = d.client(who).get(reverse("task-detail", args=[task.pk])).content.decode()
        sources = [int(pk) for pk in re.findall(r'data-source-instruction>.*?instructions/(\d+)/', page, re.S)]
        here = [int(pk) for pk in re.findall(r'data-instruction="(\d+)"', page)]
        return sources, here

    assert panel("office") == ([on_task.pk, on_draft.pk], [on_task.pk])  # newest first
    assert panel("liaison_a") == ([on_task.pk], [on_task.pk])  # the draft bulletin's instruction is not theirs
    from tongtui.collaboration.templatetags.collaboration_tags import collaboration_panel

    # the roles; the instructions, their units; requests; the co-units the liaison may ask for; comments
    with django_assert_num_queries(6):
        out = collaboration_panel({"user": d.user("liaison_a")}, "task", task)
    assert [i.pk for i in out["from_instructions"]] == [on_task.pk]
    assert [i.pk for i in out["instructions"]] == [on_task.pk] and out["reads"] == []
