"""Dispatch meetings: planning, the agenda read from the database, decisions tracked as tasks or milestones,
and the meeting pack (.docx) built on demand and 48 hours ahead by the worker."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from docx.oxml.ns import qn
from rest_framework.test import APIClient

from tongtui.core.errors import Conflict, Forbidden
from tongtui.dispatch import actions_meetings, actions_problems
from tongtui.dispatch.agenda_data import agenda_for, task_facts
from tongtui.dispatch.models import DecisionKind, Meeting, MeetingStatus, ProgressReport
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Source, Task, TaskStatus
from tongtui.supervision.models import TaskLight
from tongtui.supervision.recompute import reason_text, recompute_tasks

D = datetime.date
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def m(d):
    """task_a 10 % against a roadmap at 30 % on 31 March: off track on 20 April, its milestone overdue."""
    office = d.user("office")
    plan_actions.add_milestone(
        d.task_a, by=office, title="完成可研批复", due=D(2026, 3, 31), planned_progress=Decimal(30)
    )
    plan_actions.add_milestone(
        d.task_a, by=office, title="开工建设", due=D(2026, 6, 30), planned_progress=Decimal(60)
    )
    plan_actions.record_progress(
        d.task_a, by=office, progress=Decimal(10), note="受审批影响", on=D(2026, 4, 15)
    )
    plan_actions.add_milestone(
        d.task_c, by=office, title="预算执行", due=D(2026, 6, 30), planned_progress=Decimal(50)
    )
    d.task_c.refresh_from_db()
    plan_actions.record_progress(d.task_c, by=office, progress=Decimal(25), on=D(2026, 4, 15))  # plan 30.3
    d.meeting = actions_meetings.create_meeting(
        by=office, plan=d.plan, date=D(2026, 4, 20), title="2026年4月重点工作调度会", chair=d.leader
    )
    return d


def test_only_the_office_plans_a_meeting(d):
    with pytest.raises(Forbidden):
        actions_meetings.create_meeting(
            by=d.user("leader"), plan=d.plan, date=D(2026, 4, 20), title="x", chair=d.leader
        )


def test_a_category_meeting_needs_its_category(d):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions_meetings.create_meeting(
            by=d.user("office"), plan=d.plan, date=D(2026, 4, 20), title="x", chair=d.leader, scope="category"
        )


def test_the_agenda_lists_the_lagging_task_and_its_overdue_milestone(m):
    recompute_tasks([m.task_a.pk, m.task_c.pk])
    Task.objects.filter(pk=m.task_c.pk).update(status=TaskStatus.CLOSED)  # off the agenda however lit
    agenda = agenda_for(m.meeting, today=D(2026, 4, 20), lang="zh-hans")
    light = TaskLight.objects.get(task=m.task_a)
    assert light.light == "red"
    assert [o.task.code for o in agenda.off_track] == [m.task_a.code]
    assert agenda.off_track[0].reasons[0] == reason_text(light.reasons[0])
    assert [(o.task.code, o.milestone.title, o.days_late) for o in agenda.overdue_milestones] == [
        (
            m.task_a.code,
            "完成可研批复",
            13,
        )  # working days: 1 to 20 April less the Qingming holiday (4-6 April)
    ]
    assert agenda.working_days


def test_the_agenda_of_a_leaders_meeting_keeps_to_the_leaders_tasks(m):
    other = plan_actions.create_task(
        by=m.user("office"), plan=m.plan, code="9", title="别人的任务", lead_unit=m.unit_b
    )
    meeting = actions_meetings.create_meeting(
        by=m.user("office"), plan=m.plan, date=D(2026, 4, 20), title="分管调度", chair=m.leader, scope="leader",
        leader=m.leader,
    )  # fmt: skip
    Task.objects.filter(pk=other.pk).update(status=TaskStatus.IN_PROGRESS)
    codes = {f.code for f in task_facts(meeting)}
    assert codes == {m.task_a.code, m.task_c.code}


def test_the_agenda_lists_unanswered_problems_and_late_units(m):
    problem = actions_problems.raise_problem(
        m.task_a,
        by=m.user("liaison_a"),
        title="用地指标不足",
        addressed_to="leader",
        answer_by=D(2026, 4, 25),
    )
    for month in (1, 2, 3):
        end = D(2026, month + 1, 1) - datetime.timedelta(days=1)
        ProgressReport.objects.create(
            task=m.task_c, unit=m.unit_c, period_start=D(2026, month, 1), period_end=end, due=D(2026, month, 25),
            status="accepted", late_workdays=2 if month != 2 else 0, first_submitted_at=datetime.datetime(2026, month, 27, tzinfo=TZ),
        )  # fmt: skip
    agenda = agenda_for(m.meeting, today=D(2026, 4, 20))
    assert [p.id for p in agenda.problems] == [problem.pk]
    assert [(u.unit, u.late_periods) for u in agenda.late_units] == [("区财政局", 2)]


def test_a_decision_becomes_a_tracked_task_from_the_meeting(m):
    decision = actions_meetings.add_decision(
        m.meeting, by=m.user("office"), text="区财政局于4月底前落实配套资金", lead_unit=m.unit_c,
        co_units=[m.unit_a], deadline=D(2026, 4, 30),
    )  # fmt: skip
    task = decision.created_task
    assert task.source == Source.MEETING and task.lead_unit == m.unit_c and task.due == D(2026, 4, 30)
    assert list(task.co_units.all()) == [m.unit_a]
    assert task.history.first().history_user == m.user("office")
    assert decision.is_open


def test_a_decision_becomes_a_milestone_on_an_existing_task(m):
    decision = actions_meetings.add_decision(
        m.meeting, by=m.user("office"), text="5月底前完成用地报批", lead_unit=m.unit_a, deadline=D(2026, 5, 31),
        kind=DecisionKind.MILESTONE, task=m.task_a,
    )  # fmt: skip
    milestone = decision.created_milestone
    assert milestone.task == m.task_a and milestone.due == D(2026, 5, 31)
    # read off the roadmap: 30 % on 31 March, 60 % on 30 June
    assert milestone.planned_progress == Decimal("50.11")


def test_open_decisions_start_the_next_meetings_agenda_until_done(m):
    office = m.user("office")
    task_decision = actions_meetings.add_decision(
        m.meeting, by=office, text="落实配套资金", lead_unit=m.unit_c, deadline=D(2026, 4, 30)
    )
    ms_decision = actions_meetings.add_decision(
        m.meeting, by=office, text="完成用地报批", lead_unit=m.unit_a, deadline=D(2026, 5, 31),
        kind=DecisionKind.MILESTONE, task=m.task_a, planned_progress=Decimal(45),
    )  # fmt: skip
    actions_meetings.record_minutes(m.meeting, by=office, minutes="会议听取了汇报。")
    assert Meeting.objects.get(pk=m.meeting.pk).status == MeetingStatus.HELD
    nxt = actions_meetings.create_meeting(
        by=office, plan=m.plan, date=D(2026, 5, 20), title="5月调度会", chair=m.leader
    )
    assert [d.id for d in agenda_for(nxt).open_decisions] == [task_decision.pk, ms_decision.pk]
    assert agenda_for(m.meeting).open_decisions == []  # a meeting does not carry its own decisions
    plan_actions.update_milestone(ms_decision.created_milestone, by=office, done_on=D(2026, 5, 10))
    Task.objects.filter(pk=task_decision.created_task_id).update(status=TaskStatus.CLOSED)
    assert agenda_for(nxt).open_decisions == []


def test_the_agenda_takes_a_fixed_number_of_queries(m):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            agenda_for(Meeting.objects.get(pk=m.meeting.pk))
        return len(ctx)

    before = count()
    for i in range(5):
        t = plan_actions.create_task(
            by=m.user("office"), plan=m.plan, code=f"x{i}", title="t", lead_unit=m.unit_b
        )
        plan_actions.add_milestone(
            t, by=m.user("office"), title="节点", due=D(2026, 3, 1), planned_progress=Decimal(40)
        )
        Task.objects.filter(pk=t.pk).update(status=TaskStatus.IN_PROGRESS)
    assert count() == before


def _texts(content: bytes) -> tuple[list[str], list[list[str]], object]:
    document = docx.Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    tables = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    return paragraphs, tables, document


def test_the_pack_is_an_official_style_document_with_the_agenda(m):
    from django.utils import timezone

    from tongtui.core.gbt9704 import day

    recompute_tasks([m.task_a.pk, m.task_c.pk])
    actions_meetings.generate_pack(m.meeting, by=m.user("office"))
    m.meeting.refresh_from_db()
    assert m.meeting.pack.name.endswith(".docx") and m.meeting.pack_generated_at is not None
    paragraphs, rows, document = _texts(m.meeting.pack.read())
    assert paragraphs[0] == "关于2026年4月重点工作调度会的会议材料"
    assert "一、上次会议议定事项落实情况" in paragraphs
    assert (
        "二、严重滞后的重点任务（红灯）" in paragraphs and "三、存在滞后风险的重点任务（黄灯）" in paragraphs
    )
    built = day(timezone.localdate())
    assert any(p.startswith(f"截至{built}，") for p in paragraphs)  # as of the day it is built
    assert paragraphs[-2:] == ["区政府督查室", built]  # 落款: the office and the day
    row = next(r for r in rows if r[0] == m.task_a.code)
    assert row[:3] == [m.task_a.code, m.task_a.title, "区发改局"]
    stored = TaskLight.objects.get(task=m.task_a)
    assert row[4].split("\n")[0] == "1." + reason_text(stored.reasons[0])  # 滞后原因: the light's reasons
    assert "受审批影响" not in row[4]  # not the progress text
    assert any(r[-1].endswith("个工作日") for r in rows if r[3].startswith("2026-03-31"))
    title_run = document.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def test_the_code_column_of_the_pack_never_wraps(m):
    from tongtui.dispatch.meeting_pack import code_width

    assert code_width(["1.2.10"]) > code_width(["1"]) >= code_width([])
    Task.objects.filter(pk=m.task_a.pk).update(code="12.3.10-2")
    recompute_tasks([m.task_a.pk])
    actions_meetings.generate_pack(m.meeting, by=m.user("office"))
    document = docx.Document(io.BytesIO(Meeting.objects.get(pk=m.meeting.pk).pack.read()))
    for table in document.tables:
        first = table.rows[1].cells[0]._tc.tcPr if len(table.rows) > 1 else None
        if first is not None:
            assert first.find(qn("w:noWrap")) is not None
            width_mm = int(first.find(qn("w:tcW")).get(qn("w:w"))) / 56.7  # twentieths of a point
            assert width_mm >= code_width([c.cells[0].text for c in table.rows[1:]]) - 0.5


def test_decision_codes_number_the_meetings_of_a_day_not_their_rows(m):
    office = m.user("office")
    Meeting.objects.filter(plan=m.plan).exclude(pk=m.meeting.pk).delete()
    actions_meetings.create_meeting(  # a row id used and gone, as on any database with a history
        by=office, plan=m.plan, date=D(2026, 1, 5), title="已取消", chair=m.meeting.chair
    ).delete()
    second = actions_meetings.create_meeting(
        by=office, plan=m.plan, date=m.meeting.date, title="专题调度会", chair=m.meeting.chair
    )
    first_task = actions_meetings.add_decision(
        m.meeting, by=office, text="落实配套资金", lead_unit=m.unit_c, deadline=D(2026, 4, 30)
    ).created_task
    second_task = actions_meetings.add_decision(
        second, by=office, text="完成用地报批", lead_unit=m.unit_a, deadline=D(2026, 5, 31)
    ).created_task
    day = f"{m.meeting.date:%Y%m%d}"
    assert (first_task.code, second_task.code) == (f"DD{day}-1-1", f"DD{day}-2-1")


def test_a_held_meeting_keeps_its_pack(m):
    from django.test import Client

    m.meeting.status = MeetingStatus.HELD
    m.meeting.save()
    c = Client()
    c.force_login(m.user("office"))
    page = c.get(f"/meetings/{m.meeting.pk}/")
    assert page.status_code == 200 and 'id="generate-pack"' not in page.text
    c.post(f"/meetings/{m.meeting.pk}/pack/")
    assert not Meeting.objects.get(pk=m.meeting.pk).pack
    # the action itself refuses, so the API and a stale page cannot rebuild it either
    with translation.override("en"), pytest.raises(Conflict, match="its pack stays as it was given"):
        actions_meetings.generate_pack(m.meeting, by=m.user("office"))
    api = APIClient()
    api.force_authenticate(m.user("office"))
    assert api.post(f"/api/meetings/{m.meeting.pk}/pack/").status_code == 409
    assert not Meeting.objects.get(pk=m.meeting.pk).pack


def test_only_the_office_builds_the_pack(m):
    with pytest.raises(Forbidden):
        actions_meetings.generate_pack(m.meeting, by=m.user("leader"))


def test_the_worker_builds_the_pack_48_hours_ahead_once(m):
    start = datetime.datetime(2026, 4, 20, 9, tzinfo=TZ)
    assert actions_meetings.packs_due(start - datetime.timedelta(hours=49)) == 0
    assert actions_meetings.packs_due(start - datetime.timedelta(hours=47)) == 1
    assert actions_meetings.packs_due(start - datetime.timedelta(hours=46)) == 0
    m.meeting.refresh_from_db()
    assert m.meeting.pack and m.meeting.history.first().history_user.username == "tongtui-system"


def test_the_worker_skips_a_meeting_already_begun(m):
    assert actions_meetings.packs_due(datetime.datetime(2026, 4, 20, 10, tzinfo=TZ)) == 0


def test_the_hourly_dispatch_sweep_builds_due_packs(m):
    from django.utils import timezone

    from tongtui.dispatch.tasks import reminder_sweep

    soon = timezone.localtime() + datetime.timedelta(hours=24)
    meeting = actions_meetings.create_meeting(
        by=m.user("office"), plan=m.plan, date=soon.date(), time=soon.time().replace(microsecond=0), title="明日调度会",
        chair=m.leader,
    )  # fmt: skip
    reminder_sweep.call()
    assert Meeting.objects.get(pk=meeting.pk).pack


def test_a_decision_cannot_be_due_before_the_meeting(m):
    from tongtui.core.errors import ActionError

    with pytest.raises(ActionError):
        actions_meetings.add_decision(
            m.meeting, by=m.user("office"), text="x", lead_unit=m.unit_a, deadline=D(2026, 4, 1)
        )
