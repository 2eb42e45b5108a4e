"""The requests issue 13 measures against Redmine run a fixed number of queries, whatever the number of rows:
A (one unit's open tasks due within 30 days, sorted, page 100), B (overdue tasks of every unit, page 100),
C (a task with its reports, `?include=reports`), the task list page filtered like A, and the three requests
of filing one report (with what runs after commit counted too)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tongtui.dispatch.models import ProgressReport, ReportContribution, ReportStatus
from tongtui.plans.models import CoUnit, Task, TaskStatus

D = datetime.date
OPEN = ["assigned", "acknowledged", "in_progress", "completion_requested"]
A = {
    "status": OPEN,
    "due_after": "2026-12-01",
    "due_before": "2026-12-31",
    "ordering": "due",
    "page_size": 100,
}
B = {"overdue": "true", "ordering": "due", "page_size": 100}


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def grow(d, n: int) -> None:
    """n more open tasks of unit A due in December (co-unit C), n overdue ones, and two reports each."""
    tasks = Task.objects.bulk_create(
        [Task(plan=d.plan, code=f"9.{i}", title=f"任务{i}", category=d.category, lead_unit=d.unit_a,
              leader=d.leader, owner=d.owner, status=TaskStatus.IN_PROGRESS,
              due=D(2026, 12, 20) if i % 2 else D(2026, 2, 1))
         for i in range(2 * n)]
    )  # fmt: skip
    CoUnit.objects.bulk_create([CoUnit(task=t, unit=d.unit_c) for t in tasks])
    ProgressReport.objects.bulk_create(
        [ProgressReport(task=t, unit=d.unit_a, period_start=D(2026, m, 1), period_end=D(2026, m, 28),
                        status=ReportStatus.ACCEPTED, progress=Decimal(10 * m), done=f"第{m}月")
         for t in tasks for m in (1, 2)]
    )  # fmt: skip


def reports_of(d, task, n: int) -> None:
    made = ProgressReport.objects.bulk_create(
        [ProgressReport(task=task, unit=d.unit_a, period_start=D(2025, m, 1), period_end=D(2025, m, 28),
                        status=ReportStatus.ACCEPTED, progress=Decimal(5 * m), done=f"第{m}月")
         for m in range(1, n + 1)]
    )  # fmt: skip
    ReportContribution.objects.bulk_create(
        [ReportContribution(report=r, unit=d.unit_c, text="配合") for r in made]
    )


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("n", [3, 30])
def test_a_one_units_open_tasks_due_soon_cost_five_queries(d, n, full, django_assert_num_queries):
    grow(d, n)
    client = token_client(d.user("office"))
    size = n + 1 if full else 100  # n tasks and the cast's task_a, due on 31 December
    # token and user, the reader's roles, the unit asked for, page (the task table alone), co-unit links; the
    # count only when the page is full (a shorter page is the whole list)
    with django_assert_num_queries(6 if full else 5):
        response = client.get("/api/tasks/", {**A, "unit": d.unit_a.pk, "page_size": size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == response.json()["count"] == n + 1


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("n", [3, 30])
def test_b_overdue_tasks_of_every_unit_cost_four_queries(d, n, full, django_assert_num_queries):
    grow(d, n)
    client = token_client(d.user("office"))
    # token and user, roles, page, co-unit links; the count only when the page is full
    with django_assert_num_queries(5 if full else 4):
        response = client.get("/api/tasks/", {**B, "page_size": n if full else 100})
    assert response.status_code == 200
    assert len(response.json()["results"]) == response.json()["count"] == n


@pytest.mark.parametrize("n", [2, 10])
def test_c_a_task_with_its_reports_costs_seven_queries(d, n, django_assert_num_queries):
    reports_of(d, d.task_a, n)
    client = token_client(d.user("office"))
    # token, roles, the task, its co-unit links, the reports (users joined), contributions (unit and
    # author joined), attachments, indicator values
    with django_assert_num_queries(8):
        response = client.get(f"/api/tasks/{d.task_a.pk}/", {"include": "reports"})
    assert response.status_code == 200
    assert len(response.json()["reports"]) == n


@pytest.mark.parametrize("n", [3, 30])
def test_the_task_list_page_filtered_like_a_costs_the_same_at_any_size(d, n, django_assert_num_queries):
    grow(d, n)
    client = d.client("office")
    query = {**A, "unit": d.unit_a.pk, "sort": "due", "per_page": 100}
    del query["ordering"], query["page_size"]
    client.get("/tasks/", query)  # the session and the working-day calendar
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get("/tasks/", query)
    assert response.status_code == 200
    assert response.content.count(b"\xe4\xbb\xbb\xe5\x8a\xa1") >= n  # 任务


# no count: the page is shorter than its size; the navbar's person comes with the roles; the unit filtered by, the
# current plan and the plan chosen are found among the filter bar's lists
PAGE_QUERIES = 11


@pytest.mark.parametrize("minimal", [False, True])
@pytest.mark.parametrize("n", [0, 8])
def test_filing_a_report_is_three_requests_of_fixed_cost(d, n, minimal, settings, django_assert_num_queries,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    settings.DERIVED_REFRESH = "worker"  # as deployed: the lights and scores are the worker's
    reports_of(d, d.task_a, n)
    grow(d, n)
    client = token_client(d.user("liaison_a"))
    if minimal:
        client.credentials(
            HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_PREFER="return=minimal"
        )
    start, save, submit = FILING[minimal]
    with django_assert_num_queries(start), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/reports/", {"task": d.task_a.pk, "period_start": "2026-03-01"}, format="json"
        )
    assert response.status_code == 201, response.json()
    report = response.json()
    with django_assert_num_queries(save), django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            f"/api/reports/{report['id']}/",
            {"version": report["version"], "progress": "35.00", "done": "完成可研批复"},
            format="json",
        )
    assert response.status_code == 200, response.json()
    with django_assert_num_queries(submit), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/reports/{report['id']}/submit/", {"version": response.json()["version"]}, format="json"
        )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert ("attachments" in response.json()) is not minimal


# start, save, submit; with `Prefer: return=minimal` (True) the answers read nothing more
# (submitting asks whether the report carries evidence only when a claimed milestone requires some)
FILING = {False: (13, 12, 21), True: (13, 8, 17)}


def joined_only_to_order(sql: str) -> set[str]:
    """The tables a SELECT joins and reads nothing from: neither a selected column nor a condition names them.
    (A model's ordering by a relation, e.g. `ordering = ["report", …]`, joins the report, its task and their
    plan to order by theirs.)"""
    if not sql.startswith("SELECT"):
        return set()
    head, _, rest = sql.partition(" FROM ")
    where = rest.split(" ORDER BY ")[0]
    where = where.split(" WHERE ", 1)[1] if " WHERE " in where else ""
    joined = re.findall(r'JOIN "(\w+)" ON', rest)
    return {t for t in joined if f'"{t}".' not in head and f'"{t}".' not in where}


def test_c_and_filing_join_no_table_only_to_order_their_rows(d):
    """The lookups of filing and the reports' parts in C ask the tables they read and no more."""
    reports_of(d, d.task_a, 3)
    office, liaison = token_client(d.user("office")), token_client(d.user("liaison_a"))
    with CaptureQueriesContext(connection) as ctx:
        assert office.get(f"/api/tasks/{d.task_a.pk}/", {"include": "reports"}).status_code == 200
        report = liaison.post("/api/reports/", {"task": d.task_a.pk, "period_start": "2026-03-01"}, format="json")
        body = report.json()
        saved = liaison.patch(f"/api/reports/{body['id']}/", {"version": body["version"], "progress": "35.00",
                                                                "done": "完成可研批复"}, format="json")  # fmt: skip
        submitted = liaison.post(
            f"/api/reports/{body['id']}/submit/", {"version": saved.json()["version"]}, format="json"
        )
    assert submitted.status_code == 200, submitted.json()
    # (a task's co-units are listed in their units' order on purpose: that join stays)
    needless = {
        q["sql"][:120]: joined_only_to_order(q["sql"])
        for q in ctx.captured_queries
        if not q["sql"].startswith('SELECT "plans_counit"')
    }
    assert {sql: tables for sql, tables in needless.items() if tables} == {}
    assert len(ctx.captured_queries) > 20  # the check read the requests' queries


def test_the_join_check_sees_a_join_for_ordering():
    ordered = ProgressReport.objects.filter(task_id=1).order_by("task")  # the task's ordering: its plan first
    assert joined_only_to_order(str(ordered.query)) == {"plans_task", "plans_plan"}
    assert joined_only_to_order(str(ordered.order_by("pk").query)) == set()


def test_a_step_reads_its_report_by_key_without_the_scope_subquery(d):
    """Building the list's scope (a subquery over the tasks with an EXISTS over the co-units) cost the ORM more
    than the lookup: a step reads the report by its key and checks the scope on that row."""
    client = token_client(d.user("liaison_a"))
    started = client.post("/api/reports/", {"task": d.task_a.pk, "period_start": "2026-03-01"}, format="json")
    body = started.json()
    with CaptureQueriesContext(connection) as ctx:
        saved = client.patch(f"/api/reports/{body['id']}/", {"version": body["version"], "done": "完成立项"},
                             format="json")  # fmt: skip
    assert saved.status_code == 200, saved.json()
    by_key = f'"dispatch_progressreport"."id" = {body["id"]}'
    lookups = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT") and by_key in q["sql"]]
    assert len(lookups) == 1
    assert "EXISTS" not in lookups[0] and '"plans_counit"' not in lookups[0]
