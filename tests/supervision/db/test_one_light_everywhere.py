"""One truth for lights: a red, a yellow and a green task get the same light and the same reasons on the meeting
agenda (and its pack), the supervision desk, the task page's light panel, the lights API and the exported ledger —
all read the TaskLight that `recompute` stored."""

import datetime
import io
import re
from decimal import Decimal
from html import unescape

import docx
import openpyxl
import pytest
from django.utils import timezone, translation

from tongtui.dispatch import actions_meetings
from tongtui.dispatch.agenda_data import agenda_for
from tongtui.dispatch.meeting_pack import build_pack
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.plans.ledger import write_ledger
from tongtui.plans.models import Milestone, Task, TaskStatus
from tongtui.supervision.models import TaskLight
from tongtui.supervision.recompute import reason_text, recompute_tasks

DAY = datetime.timedelta(days=1)


def _report(task: Task, progress: int, on: datetime.date) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    ProgressReport.objects.create(
        task=task, unit=task.lead_unit, period_start=on - 27 * DAY, period_end=on, due=on, progress=Decimal(progress),
        status=ReportStatus.SIGNED_OFF, first_submitted_at=moment, submitted_at=moment,
    )  # fmt: skip


def _task(cast, code: str, unit, *, start: int, due: int, milestone: tuple[int, int], progress: int) -> Task:
    """A task `start` days ago, due in `due` days, one milestone (in so many days, planned %), one report of
    `progress` filed a week ago: dates follow today, so the lights do not depend on the day the test runs."""
    today = timezone.localdate()
    task = Task.objects.create(
        plan=cast.plan, code=code, title=f"任务{code}", category=cast.category, lead_unit=unit, leader=cast.leader,
        start=today - start * DAY, due=today + due * DAY, status=TaskStatus.IN_PROGRESS,
    )  # fmt: skip
    Milestone.objects.create(
        task=task, title=f"节点{code}", due=today + milestone[0] * DAY, planned_progress=Decimal(milestone[1])
    )
    _report(task, progress, today - 7 * DAY)
    return task


@pytest.fixture
def lit(cast):
    Task.objects.filter(pk__in=[cast.task_a.pk, cast.task_c.pk]).update(status=TaskStatus.CANCELLED)
    red = _task(
        cast, "3.10", cast.unit_a, start=200, due=165, milestone=(-40, 40), progress=10
    )  # overdue milestone
    yellow = _task(
        cast, "3.2", cast.unit_c, start=60, due=140, milestone=(140, 100), progress=12
    )  # behind plan
    green = _task(cast, "3.1", cast.unit_b, start=60, due=140, milestone=(140, 100), progress=30)  # on plan
    recompute_tasks([red.pk, yellow.pk, green.pk])
    cast.tasks = {"red": red, "yellow": yellow, "green": green}
    return cast


def stored(task: Task, lang: str) -> tuple[str, list[str]]:
    light = TaskLight.objects.get(task=task)
    return light.light, [reason_text(r, lang) for r in light.reasons]


def english(cast, who: str = "office"):
    client = cast.client(who)
    client.cookies["django_language"] = "en"
    return client


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_cast_has_a_red_a_yellow_and_a_green_light(lit):
    assert {colour: stored(t, "en")[0] for colour, t in lit.tasks.items()} == {
        "red": "red",
        "yellow": "yellow",
        "green": "green",
    }


def test_the_agenda_and_the_pack_give_the_stored_light_and_reasons(lit):
    meeting = actions_meetings.create_meeting(
        by=lit.user("office"),
        plan=lit.plan,
        date=timezone.localdate() + 3 * DAY,
        title="调度会",
        chair=lit.leader,
    )
    with translation.override("en"):
        agenda = agenda_for(meeting)
    shown = {o.task.id: (o.light.light, list(o.reasons)) for o in agenda.off_track + agenda.at_risk}
    for colour in ("red", "yellow"):
        task = lit.tasks[colour]
        assert shown[task.pk] == stored(task, "en")
    assert lit.tasks["green"].pk not in shown
    assert [o.task.code for o in agenda.off_track] == ["3.10"] and [o.task.code for o in agenda.at_risk] == [
        "3.2"
    ]

    rows = [
        [c.text for c in r.cells]
        for t in docx.Document(io.BytesIO(build_pack(meeting))).tables
        for r in t.rows
    ]
    for colour in ("red", "yellow"):
        task = lit.tasks[colour]
        row = next(r for r in rows if r[0] == task.code and r[1] == task.title)
        reasons = stored(task, "zh-hans")[1]
        expected = (
            reasons[0] if len(reasons) == 1 else "\n".join(f"{n}.{t}" for n, t in enumerate(reasons, 1))
        )
        assert row[4] == expected


def test_the_desk_gives_the_stored_light_and_reasons_red_first(lit):
    body = english(lit).get("/supervision/desk/").text
    rows = re.findall(r'<tr data-task="(\d+)" data-light="(\w+)">(.*?)</tr>', body, re.S)
    assert [int(pk) for pk, _light, _html in rows] == [lit.tasks["red"].pk, lit.tasks["yellow"].pk]
    for pk, light, html in rows:
        task = Task.objects.get(pk=pk)
        colour, reasons = stored(task, "en")
        assert light == colour
        assert all(reason in text_of(html) for reason in reasons)


def test_the_task_page_panel_gives_the_stored_light_and_reasons(lit):
    client = english(lit)
    for task in lit.tasks.values():
        html = client.get(f"/supervision/tasks/{task.pk}/light/").text
        colour, reasons = stored(task, "en")
        assert f'data-light="{colour}"' in html
        listed = re.search(r'<ul class="small mb-2" id="task-light-reasons">(.*?)</ul>', html, re.S).group(1)
        assert [text_of(li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", listed, re.S)] == reasons
        assert "SPI" not in html


def test_the_panel_shows_the_stored_light_even_when_the_data_moved_on(lit):
    """The stored light is the one truth until it is recomputed: the panel does not compute a different one."""
    task = lit.tasks["green"]
    TaskLight.objects.filter(task=task).update(light="red")
    html = lit.client("office").get(f"/supervision/tasks/{task.pk}/light/").text
    assert 'data-light="red"' in html


def test_the_ledger_gives_the_stored_light_and_reasons(lit):
    buffer = io.BytesIO()
    write_ledger(lit.plan, Task.objects.filter(plan=lit.plan), buffer)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    header = [c.value for c in sheet[2]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=3, values_only=True)}
    words = {"red": "红", "yellow": "黄", "green": "绿"}
    for task in lit.tasks.values():
        colour, reasons = stored(task, "zh-hans")
        row = rows[task.code]
        assert row["亮灯"] == words[colour]
        expected = (
            reasons[0] if len(reasons) == 1 else "\n".join(f"{n}.{t}" for n, t in enumerate(reasons, 1))
        )
        assert row["亮灯原因"] == expected


def test_the_lights_api_gives_the_stored_light_and_reasons(lit):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(lit.user("office"))
    api.cookies["django_language"] = "en"
    for task in lit.tasks.values():
        data = api.get(f"/api/lights/{task.pk}/").json()
        assert (data["light"], [r["text"] for r in data["reasons"]]) == stored(task, "en")
        assert set(data["progress"]) >= {"reported", "accepted", "verified", "planned"}


def test_the_task_page_labels_each_progress_figure(lit):
    task = lit.tasks["yellow"]  # reported 12 %, nothing accepted by the office yet
    text = text_of(english(lit).get(f"/supervision/tasks/{task.pk}/light/").text)
    assert "Reported by the unit 12%" in text and "Accepted by the office —" in text
    assert "Planned by now" in text and "Verified by milestones done —" in text
    page = text_of(english(lit).get(f"/tasks/{task.pk}/").text)
    assert "Accepted by the office 0%" in page
