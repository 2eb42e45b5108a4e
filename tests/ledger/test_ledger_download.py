import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.ledger.conftest import read, rows_of
from tongtui.dispatch.models import AddressedTo, Problem
from tongtui.plans.models import CoUnit, Plan, Task

URL = reverse("ledger-download")


def download(cast, who: str, query: str = "") -> list[dict]:
    response = cast.client(who).get(URL + query)
    assert response.status_code == 200
    return rows_of(read(b"".join(response.streaming_content)))


def test_the_url_is_tasks_ledger_xlsx():
    assert URL == "/tasks/ledger.xlsx"


def test_anonymous_is_sent_to_the_login_page(cast):
    response = cast.client("anonymous").get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_office_downloads_every_task_as_an_attachment(cast):
    response = cast.client("office").get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    rows = rows_of(read(b"".join(response.streaming_content)))
    assert [r["编号"] for r in rows] == ["1", "2"]


def test_a_liaison_gets_only_the_tasks_of_their_unit(cast):
    Task.objects.create(plan=cast.plan, code="3", title="城关街道背街小巷改造", lead_unit=cast.unit_b)
    assert [r["编号"] for r in download(cast, "liaison_b")] == ["3"]
    assert [r["编号"] for r in download(cast, "liaison_a")] == ["1"]


def test_a_co_unit_sees_the_tasks_it_cooperates_on(cast):
    cast.task_a.co_units.add(cast.unit_b)
    assert [r["编号"] for r in download(cast, "liaison_b")] == ["1"]


def test_the_download_honours_the_list_filters(cast):
    rows = download(cast, "office", f"?lead_unit={cast.unit_c.pk}")
    assert [r["编号"] for r in rows] == ["2"]
    rows = download(cast, "leader", "?q=生产总值")
    assert [r["编号"] for r in rows] == ["1"]


def test_it_exports_the_plan_asked_for(cast):
    older = Plan.objects.create(year=2025, title="2025年重点工作")
    Task.objects.create(plan=older, code="1", title="去年的任务")
    response = cast.client("office").get(URL + f"?plan={older.pk}")
    sheet = read(b"".join(response.streaming_content))
    assert sheet["A1"].value == "2025年重点工作台账"
    assert [r["重点任务"] for r in rows_of(sheet)] == ["去年的任务"]


def test_an_unknown_plan_is_404(cast):
    assert cast.client("office").get(URL + "?plan=99999").status_code == 404


def test_the_download_query_count_does_not_grow_with_the_tasks(cast, many_tasks):
    client = cast.client("office")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
            b"".join(response.streaming_content)
        return len(queries)

    many_tasks(5)
    few = count()
    for i in range(40):
        Task.objects.create(
            plan=cast.plan,
            code=f"8.{i}",
            title="更多任务",
            lead_unit=cast.unit_a,
            due=datetime.date(2026, 12, 31),
        )
    assert count() == few


def test_the_problems_column_shows_the_problems_the_downloader_may_see(cast):
    CoUnit.objects.create(task=cast.task_a, unit=cast.unit_b)
    Problem.objects.create(task=cast.task_a, unit=cast.unit_a, title="请协调用地", addressed_to=AddressedTo.OFFICE,
                           answer_by=datetime.date(2026, 5, 10))  # fmt: skip
    office = {r["编号"]: r for r in download(cast, "office")}
    assert office["1"]["存在问题"] == "请协调用地"
    co_unit = {r["编号"]: r for r in download(cast, "liaison_b")}
    assert co_unit["1"]["存在问题"] is None  # raised by unit A to the office: not unit B's to see
