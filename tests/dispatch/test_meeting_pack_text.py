"""The meeting pack takes text pasted from Word (a manual line break, control characters, formula-like text)
in a task, its note and a problem, and still builds a .docx that opens."""

import datetime
import io
from decimal import Decimal

import docx

from tongtui.dispatch import actions_meetings
from tongtui.dispatch.meeting_pack import build_pack
from tongtui.dispatch.models import AddressedTo, Problem
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Task

D = datetime.date
TITLE = '老旧小区改造\x0b=HYPERLINK("http://evil.example","点我")\x01'
NOTE = "-1+2\x0c受审批影响\x1f"
PROBLEM = "@SUM(A1)\x0b资金未到位\ufffe"


def test_the_pack_opens_and_holds_the_text(d):
    office = d.user("office")
    plan_actions.add_milestone(
        d.task_a, by=office, title="完成可研批复", due=D(2026, 3, 31), planned_progress=Decimal(30)
    )
    plan_actions.record_progress(d.task_a, by=office, progress=Decimal(10), note="x", on=D(2026, 4, 15))
    Task.objects.filter(pk=d.task_a.pk).update(title=TITLE, progress_note=NOTE)
    Problem.objects.create(task=d.task_a, unit=d.unit_a, title=PROBLEM, addressed_to=AddressedTo.OFFICE,
                           answer_by=D(2026, 4, 10))  # fmt: skip
    meeting = actions_meetings.create_meeting(
        by=office, plan=d.plan, date=D(2026, 4, 20), title="4月\x0b调度会", chair=d.leader
    )
    document = docx.Document(io.BytesIO(build_pack(meeting)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert '老旧小区改造\n=HYPERLINK("http://evil.example","点我")' in cells
    assert not any("受审批影响" in c for c in cells)  # the progress text is no reason for a light
    assert "@SUM(A1)\n资金未到位" in cells
    assert document.paragraphs[0].text == "关于4月\n调度会的会议材料"
