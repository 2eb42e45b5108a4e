import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.supervision.models import IntegrityFlag, TaskLight

D = datetime.date


@pytest.fixture
def desk_data(cast, order):
    now = timezone.now()
    TaskLight.objects.create(task=cast.task_a, light="red", as_of=D(2026, 11, 1), computed_at=now,
                             reasons=[{"code": "missed_reports", "light": "red", "figures": {"count": 2}}])  # fmt: skip
    TaskLight.objects.create(task=cast.task_c, light="green", as_of=D(2026, 11, 1), computed_at=now)
    flag = IntegrityFlag.objects.create(plan=cast.plan, kind="deadline_jump", task=cast.task_a, unit=cast.unit_a,
                                        strength=0.8, reason="临近完成时限时进度由20%直接升至100%", reason_en="x",
                                        as_of=D(2026, 11, 1), computed_at=now, fingerprint="f1")  # fmt: skip
    for m in (3, 4, 5):
        end = D(2026, m, 28)
        ProgressReport.objects.create(task=cast.task_a, unit=cast.unit_a, period_start=end.replace(day=1),
                                      period_end=end, status=ReportStatus.ACCEPTED, late_workdays=m)  # fmt: skip
    return flag


@pytest.mark.parametrize("who,code", [("office", 200), ("leader", 200), ("head_a", 404), ("liaison_a", 404),
                                      ("liaison_b", 404)])  # fmt: skip
def test_the_desk_is_for_the_office_and_leaders(cast, desk_data, who, code):
    assert cast.client(who).get("/supervision/desk/").status_code == code


def test_the_desk_lists_lagging_tasks_open_orders_flags_and_late_units(cast, desk_data, order):
    r = cast.client("office").get("/supervision/desk/")
    body = r.text
    assert f'data-task="{cast.task_a.pk}"' in body and f'data-task="{cast.task_c.pk}"' not in body
    assert "连续2个周期未报送进展" in body
    assert f'data-order="{order.pk}"' in body
    assert f'data-flag="{desk_data.pk}"' in body
    assert f'data-unit="{cast.unit_a.pk}"' in body


def test_the_desk_filters_by_unit(cast, desk_data, order):
    body = cast.client("office").get(f"/supervision/desk/?unit={cast.unit_b.pk}").text
    assert f'data-task="{cast.task_a.pk}"' not in body and f'data-order="{order.pk}"' not in body
    assert f'data-flag="{desk_data.pk}"' not in body


@pytest.mark.parametrize(
    "name,first", [("lagging", "任务编号"), ("orders", "单位"), ("flags", "任务编号"), ("units", "单位")]
)
def test_each_list_downloads_as_xlsx(cast, desk_data, name, first):
    r = cast.client("leader").get(f"/supervision/desk/?export={name}")
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[0][0] == first and len(rows) == 2


def test_an_unknown_export_is_404(cast, desk_data):
    assert cast.client("office").get("/supervision/desk/?export=secret").status_code == 404


def test_the_office_marks_a_flag_explained(cast, desk_data):
    r = cast.client("office").post(
        f"/supervision/flags/{desk_data.pk}/decide/", {"status": "dismissed", "note": "补报材料已核实"}
    )
    assert r.status_code == 302
    desk_data.refresh_from_db()
    assert desk_data.status == "dismissed" and desk_data.decided_by == cast.user("office")
    assert f'data-flag="{desk_data.pk}"' not in cast.client("office").get("/supervision/desk/").text


@pytest.mark.parametrize("who", ["leader", "liaison_a"])
def test_others_cannot_decide_on_a_flag(cast, desk_data, who):
    assert (
        cast.client(who)
        .post(f"/supervision/flags/{desk_data.pk}/decide/", {"status": "verified"})
        .status_code
        == 404
    )
    desk_data.refresh_from_db()
    assert desk_data.status == "new"


def test_the_desk_shows_the_hundred_worst_of_many_and_downloads_them_all_in_that_order(
    cast, django_assert_max_num_queries
):
    """Red before yellow, more reasons before fewer, then codes in natural order; the page reads the reasons of
    every lagging light but the rows of the hundred it shows only, and the download has them all."""
    from tongtui.plans.models import Task

    now = timezone.now()
    one = [{"code": "behind_plan", "light": "red", "figures": {"behind": 30}}]
    two = [*one, {"code": "missed_reports", "light": "red", "figures": {"count": 2}}]
    yellow = [{"code": "behind_plan", "light": "yellow", "figures": {"behind": 10}}]
    kinds = [("red", two)] * 3 + [("red", one)] * 100 + [("yellow", yellow)] * 4
    lights = []
    for i, (light, reasons) in enumerate(kinds):
        task = Task.objects.create(plan=cast.plan, code=f"7.{len(kinds) - i}", title=f"滞后任务{i}",
                                   lead_unit=cast.unit_a)  # fmt: skip
        lights.append(TaskLight(task=task, light=light, reasons=reasons, as_of=D(2026, 11, 1), computed_at=now))
    TaskLight.objects.bulk_create(lights)
    client = cast.client("office")
    client.get("/supervision/desk/")
    with django_assert_max_num_queries(20):
        body = client.get("/supervision/desk/").text
    shown = [int(part.split('"')[0]) for part in body.split('data-task="')[1:]]
    by_task = {tl.task_id: tl for tl in TaskLight.objects.select_related("task")}
    codes = [by_task[pk].task.code for pk in shown]
    assert len(shown) == 100 and ">107</span>" in body  # the hundred worst of 107
    assert codes[:3] == ["7.105", "7.106", "7.107"]  # two red reasons, codes in natural order
    assert codes[3:5] == ["7.5", "7.6"] and codes[-1] == "7.101"  # then one reason; the yellow ones not shown
    r = client.get("/supervision/desk/?export=lagging")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [*codes, "7.102", "7.103", "7.104", "7.1", "7.2", "7.3", "7.4"]
