"""Codes sort naturally where tasks are listed: the list page, its pages, the API, pickers, the ledger;
kept by every write (single, bulk import, renumbering) in Task.code_sort."""

import importlib
import io

from openpyxl import load_workbook

from tongtui.plans import actions
from tongtui.plans.actions_bulk import TaskDraft, create_tasks
from tongtui.plans.codes_db import refresh_code_sort
from tongtui.plans.ledger import write_ledger
from tongtui.plans.models import Task
from tongtui.supervision.forms_chases import IssueChaseForm

# The cast holds "1" and "2"; with these, in natural order with sub-tasks under their parent.
BOOK = ["1.10", "1.2", "10", "2.3.1", "2.3", "3", "1.1", "11", "9", "2.10", "2.9"]
NATURAL = ["1", "1.1", "1.2", "1.10", "2", "2.3", "2.3.1", "2.9", "2.10", "3", "9", "10", "11"]


def make_book(cast) -> None:
    by = cast.office.user
    for code in BOOK:
        parent = Task.objects.filter(plan=cast.plan, code=code.rsplit(".", 1)[0]).first() if "." in code else None
        actions.create_task(by=by, plan=cast.plan, code=code, title=f"任务{code}", parent=parent)


def test_the_list_sorts_codes_naturally_across_pages(cast):
    make_book(cast)
    client = cast.client("office")
    first = client.get("/tasks/", {"per_page": 20}).context["page"].object_list
    assert [t.code for t in first] == NATURAL
    back = client.get("/tasks/", {"sort": "-code"}).context["page"].object_list
    assert [t.code for t in back] == NATURAL[::-1]


def test_pages_cut_the_natural_order_in_the_database(cast):
    by = cast.office.user
    for n in range(3, 46):
        actions.create_task(by=by, plan=cast.plan, code=str(n), title=f"任务{n}")
    client = cast.client("office")
    page2 = client.get("/tasks/", {"per_page": 20, "page": 2}).context["page"].object_list
    assert [t.code for t in page2] == [str(n) for n in range(21, 41)]


def test_the_api_orders_by_natural_code(cast):
    make_book(cast)
    client = cast.client("office")
    up = client.get("/api/tasks/", {"ordering": "code", "page_size": 100}).json()["results"]
    assert [t["code"] for t in up] == NATURAL
    down = client.get("/api/tasks/", {"ordering": "-code", "page_size": 100}).json()["results"]
    assert [t["code"] for t in down] == NATURAL[::-1]
    plain = client.get("/api/tasks/", {"page_size": 100}).json()["results"]
    assert [t["code"] for t in plain] == NATURAL


def test_a_task_picker_lists_codes_naturally(cast):
    make_book(cast)
    form = IssueChaseForm(cast.plan)
    assert [t.code for t in form.fields["tasks"].queryset] == NATURAL


def test_the_ledger_lists_codes_naturally(cast):
    make_book(cast)
    out = io.BytesIO()
    write_ledger(cast.plan, Task.objects.filter(plan=cast.plan), out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    written = [str(c.value) for c in sheet["A"] if c.value is not None and str(c.value) in NATURAL]
    assert written == NATURAL


def test_a_sub_task_numbered_on_its_own_sits_under_its_parent(cast):
    by = cast.office.user
    for code in ("3", "10"):
        actions.create_task(by=by, plan=cast.plan, code=code, title=code)
    actions.create_task(by=by, plan=cast.plan, code="（二）", title="二", parent=cast.task_a)
    actions.create_task(by=by, plan=cast.plan, code="（一）", title="一", parent=cast.task_a)
    codes = list(Task.objects.filter(plan=cast.plan).values_list("code", flat=True))
    assert codes == ["1", "（一）", "（二）", "2", "3", "10"]


def test_renumbering_a_parent_moves_its_sub_tasks(cast):
    by = cast.office.user
    child = actions.create_task(by=by, plan=cast.plan, code="（一）", title="一", parent=cast.task_a)
    actions.create_task(by=by, plan=cast.plan, code="5", title="五")
    task = Task.objects.get(pk=cast.task_a.pk)
    actions.update_task(task, by=by, code="9")
    assert list(Task.objects.filter(plan=cast.plan).values_list("code", flat=True)) == ["2", "5", "9", "（一）"]
    child.refresh_from_db()
    assert child.code_sort.startswith(Task.objects.get(pk=cast.task_a.pk).code_sort)


def test_a_bulk_import_keeps_the_keys(cast):
    top = TaskDraft(ref="r1", fields={"code": "一、", "title": "一"})
    sub = TaskDraft(ref="r2", fields={"code": "（十）", "title": "十"}, parent=top)
    sub2 = TaskDraft(ref="r3", fields={"code": "（二）", "title": "二"}, parent=top)
    create_tasks(by=cast.office.user, plan=cast.plan, drafts=[sub, top, sub2])
    codes = list(Task.objects.filter(plan=cast.plan).values_list("code", flat=True))
    assert codes == ["1", "一、", "（二）", "（十）", "2"]


def test_the_migration_and_the_refresh_fill_stale_keys(cast):
    make_book(cast)
    Task.objects.filter(plan=cast.plan).update(code_sort="")
    assert refresh_code_sort([cast.plan.pk]) == len(NATURAL)
    assert [t.code for t in Task.objects.filter(plan=cast.plan)] == NATURAL
    assert refresh_code_sort([cast.plan.pk]) == 0
    Task.objects.filter(plan=cast.plan).update(code_sort="")
    migration = importlib.import_module("tongtui.plans.migrations.0005_task_code_sort")
    from django.apps import apps

    migration.fill_code_sort(apps, None)
    assert [t.code for t in Task.objects.filter(plan=cast.plan)] == NATURAL
