"""Bulk work on the task list for the whole cast: the boxes and the bar are the office's; the confirmation page
lists what will happen; the run does it with one history entry per task; the result lists what was not done.
Everyone else gets 404 (the page does not exist for them), anonymous users the login page."""

import datetime
import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.race import at_once, statuses
from tongtui.dispatch.models import ReportCycle
from tongtui.orgs.models import Person, Post
from tongtui.plans import actions
from tongtui.plans.models import Category, Plan, Task, TaskStatus

BULK = "/tasks/bulk/"
RESULT = "/tasks/bulk/done/"
NOT_OFFICE = ["leader", "head_a", "liaison_a", "liaison_b"]


def client(cast, who: str) -> Client:
    c = cast.client(who)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages checked in English, whatever the catalogue says
    return c


def draft(cast, code: str, **fields) -> Task:
    values = {"plan": cast.plan, "code": code, "title": f"任务{code}", "category": cast.category,
              "lead_unit": cast.unit_a, "leader": cast.leader, "owner": cast.owner}
    values.update(fields)
    return Task.objects.create(**values)


@pytest.fixture
def drafts(cast):
    """Tasks 1 and 2 of the cast are ready; 3 lacks a person, 4 names a post nobody holds, 5 is assigned."""
    post = Post.objects.create(unit=cast.unit_a, title="负责人")
    made = {
        "3": draft(cast, "3", owner=None),
        "4": draft(cast, "4", owner=None, owner_post=post),
        "5": draft(cast, "5"),
    }
    actions.assign_task(made["5"], by=cast.user("office"))
    return made


def kinds(response) -> list[str]:
    return [line["kind"] for line in response.context["lines"]]


def line(response, kind: str) -> dict:
    return next(entry for entry in response.context["lines"] if entry["kind"] == kind)


def test_the_urls_are_named():
    assert reverse("dispatch:bulk") == BULK
    assert reverse("dispatch:bulk-result") == RESULT


# -- who may --------------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(cast):
    anonymous = cast.client("anonymous")
    for response in (
        anonymous.get(BULK, {"op": "assign", "task": cast.task_a.pk}),
        anonymous.post(f"{BULK}?op=assign&task={cast.task_a.pk}"),
        anonymous.get(RESULT),
    ):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Task.objects.get(pk=cast.task_a.pk).status == TaskStatus.DRAFT


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_everyone_but_the_office_gets_404_and_changes_nothing(cast, who):
    c = client(cast, who)
    for op in ["assign", "leader", "owner", "category", "cycle", "ledger"]:
        assert c.get(BULK, {"op": op, "task": cast.task_a.pk}).status_code == 404
        assert c.get(BULK, {"op": op, "scope": "filter", "plan": cast.plan.pk}).status_code == 404
    assert c.post(f"{BULK}?op=assign&task={cast.task_a.pk}").status_code == 404
    assert c.post(f"{BULK}?op=owner&scope=filter", {"owner": cast.head_a.pk}).status_code == 404
    assert c.get(RESULT).status_code == 404
    task = Task.objects.get(pk=cast.task_a.pk)
    assert (task.status, task.owner, task.history.count()) == (TaskStatus.DRAFT, cast.owner, 1)


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_only_the_office_sees_the_boxes_and_the_bar(cast, who):
    office = client(cast, "office").get("/tasks/").content.decode()
    assert 'id="bulk-form"' in office and f'name="task" value="{cast.task_a.pk}"' in office
    page = client(cast, who).get("/tasks/").content.decode()
    assert 'id="bulk-form"' not in page and 'name="task"' not in page and 'id="bulk-page"' not in page


def test_the_bar_carries_the_filter_for_all_matching_tasks(cast):
    page = client(cast, "office").get("/tasks/", {"status": "draft", "q": "预算", "page": 1}).content.decode()
    form = page[page.index('id="bulk-form"'):page.index("</form>", page.index('id="bulk-form"'))]
    assert '<input type="hidden" name="status" value="draft">' in form
    assert '<input type="hidden" name="q" value="预算">' in form
    assert f'<input type="hidden" name="plan" value="{cast.plan.pk}">' in form
    assert 'name="page"' not in form
    assert 'name="scope" value="filter"' in form


# -- confirmation ---------------------------------------------------------------------------------------


def test_the_confirmation_lists_what_will_be_assigned_what_lacks_what_and_what_is_skipped(cast, drafts):
    ids = [cast.task_a.pk, cast.task_c.pk, *(t.pk for t in drafts.values())]
    response = client(cast, "office").get(BULK, {"op": "assign", "task": ids})
    assert response.status_code == 200
    assert kinds(response) == ["done", "lacking", "lacking", "skipped"]
    assert line(response, "done")["text"] == "2 tasks will be assigned"
    lacking = [entry for entry in response.context["lines"] if entry["kind"] == "lacking"]
    assert lacking[0]["text"] == "1 cannot be assigned: lacks responsible person"
    assert [t.code for t in lacking[0]["tasks"]] == ["3"]
    assert lacking[1]["text"] == (
        "1 cannot be assigned: the responsible person is the post “区发改局负责人”, which has no person named yet"
    )
    assert line(response, "skipped")["text"] == "1 skipped: not in draft, it is “Assigned”"
    page = response.content.decode()
    assert reverse("task-detail", args=[drafts["3"].pk]) in page
    assert 'id="bulk-fill-owner"' in page  # fill in what they lack, straight from here
    assert Task.objects.filter(status=TaskStatus.ASSIGNED).count() == 1  # a GET changes nothing


def test_all_tasks_matching_the_filter_are_the_filter_run_on_the_server(cast, drafts):
    response = client(cast, "office").get(
        BULK, {"op": "assign", "scope": "filter", "plan": cast.plan.pk, "status": "draft", "unit": cast.unit_a.pk}
    )
    assert response.context["selection"].by_filter
    assert response.context["selected"] == 3  # task 1, 3 and 4 (2 is unit C's, 5 is assigned)
    assert [t.code for t in response.context["outcome"].done] == ["1"]


def test_a_filter_that_is_not_understood_selects_nothing(cast, drafts):
    c = client(cast, "office")
    response = c.get(BULK, {"op": "assign", "scope": "filter", "plan": cast.plan.pk, "unit": "999999"})
    assert response.status_code == 200
    assert 'id="bulk-filter-errors"' in response.content.decode()
    assert response.context["selected"] == 0
    posted = c.post(f"{BULK}?op=assign&scope=filter&plan={cast.plan.pk}&unit=999999")
    assert posted.status_code == 400
    assert not Task.objects.filter(pk=cast.task_a.pk, status=TaskStatus.ASSIGNED).exists()


def test_nothing_selected_says_so(cast):
    response = client(cast, "office").get(BULK, {"op": "assign"})
    assert 'id="bulk-empty"' in response.content.decode()
    assert client(cast, "office").get(BULK, {"op": "no-such-thing", "task": cast.task_a.pk}).status_code == 404


def test_the_leader_form_offers_the_districts_leaders(cast):
    response = client(cast, "office").get(BULK, {"op": "leader", "task": cast.task_a.pk})
    choices = list(response.context["form"].fields["leader"].queryset)
    assert choices == [cast.leader]


def test_the_category_form_offers_the_plans_categories_only(cast):
    Plan.objects.create(year=2030, title="2030").categories.create(name="别的板块")
    response = client(cast, "office").get(BULK, {"op": "category", "task": cast.task_a.pk})
    assert [c.name for c in response.context["form"].fields["category"].queryset] == ["产业转型升级"]


def test_the_cycle_form_starts_from_the_plans_cycle(cast):
    from tongtui.dispatch import actions_cycles

    actions_cycles.set_report_cycle(by=cast.user("office"), plan=cast.plan, frequency="quarterly", day_of_month=10)
    form = client(cast, "office").get(BULK, {"op": "cycle", "task": cast.task_a.pk}).context["form"]
    assert (form["frequency"].value(), form["day_of_month"].value()) == ("quarterly", 10)


# -- the run --------------------------------------------------------------------------------------------


def test_assigning_assigns_the_ready_ones_and_the_result_lists_the_others_with_links(cast, drafts):
    ids = [cast.task_a.pk, cast.task_c.pk, drafts["3"].pk, drafts["4"].pk, drafts["5"].pk]
    c = client(cast, "office")
    query = "&".join(f"task={pk}" for pk in ids) + f"&plan={cast.plan.pk}&status=draft"
    response = c.post(f"{BULK}?op=assign&{query}", {"reason": "集中交办"})
    assert response.status_code == 302 and response.url == RESULT
    assert set(Task.objects.filter(status=TaskStatus.ASSIGNED).values_list("code", flat=True)) == {"1", "2", "5"}
    task = Task.objects.get(pk=cast.task_a.pk)
    assert task.history.first().history_user == cast.user("office")
    assert task.history.first().history_change_reason == "集中交办"
    result = c.get(RESULT)
    assert kinds(result) == ["done", "lacking", "lacking", "skipped"]
    assert line(result, "done")["text"] == "2 tasks assigned"
    assert result.context["lines"][1]["text"] == "1 not assigned: lacks responsible person"
    page = result.content.decode()
    for t in (drafts["3"], drafts["4"], drafts["5"]):
        assert reverse("task-detail", args=[t.pk]) in page
    assert result.context["back"] == f"/tasks/?plan={cast.plan.pk}&status=draft"
    owner_link = next(f for f in result.context["follow_ups"] if f["op"] == "owner")
    assert owner_link["query"] == f"task={drafts['3'].pk}&task={drafts['4'].pk}&op=owner"


def test_the_responsible_person_set_in_bulk_then_the_tasks_assigned(cast, drafts):
    c = client(cast, "office")
    person = Person.objects.create(name="孙责任", unit=cast.unit_a)
    query = f"task={drafts['3'].pk}&task={drafts['4'].pk}"
    response = c.post(f"{BULK}?op=owner&{query}", {"owner": person.pk, "reason": "补责任人"})
    assert response.status_code == 302
    for t in (drafts["3"], drafts["4"]):
        t.refresh_from_db()
        assert t.owner == person and t.history.first().history_change_reason == "补责任人"
    result = c.get(RESULT)
    assert line(result, "done")["text"] == "Responsible person set on 2 tasks"
    assign_link = result.context["follow_ups"][0]
    assert assign_link["op"] == "assign"
    assert c.post(f"{BULK}?{assign_link['query']}").status_code == 302
    assert Task.objects.get(pk=drafts["3"].pk).status == TaskStatus.ASSIGNED


def test_setting_the_leader_leaves_closed_and_cancelled_tasks_and_counts_the_unchanged(cast, drafts):
    actions.cancel_task(drafts["5"], by=cast.user("office"), reason="撤销")
    c = client(cast, "office")
    ids = "&".join(f"task={pk}" for pk in [cast.task_a.pk, drafts["3"].pk, drafts["5"].pk])
    c.post(f"{BULK}?op=leader&{ids}", {"leader": cast.leader.pk})
    result = c.get(RESULT)
    assert kinds(result) == ["done", "skipped", "unchanged"]
    assert line(result, "done")["text"] == "Responsible leader set on 0 tasks"
    assert line(result, "unchanged")["text"] == "2 tasks already have it and are left as they are"
    assert Task.objects.get(pk=cast.task_a.pk).history.count() == 1


def test_setting_the_category_in_bulk(cast, drafts):
    theirs = Category.objects.create(plan=cast.plan, name="民生保障")
    c = client(cast, "office")
    c.post(f"{BULK}?op=category&scope=filter&plan={cast.plan.pk}&status=draft", {"category": theirs.pk})
    assert set(Task.objects.filter(category=theirs).values_list("code", flat=True)) == {"1", "2", "3", "4"}


def test_a_report_cycle_of_their_own_for_the_selected_tasks(cast, drafts):
    c = client(cast, "office")
    ids = f"task={cast.task_a.pk}&task={cast.task_c.pk}"
    body = {"frequency": "weekly", "due_kind": "weekday", "weekday": 4, "workdays_before_end": 0, "shift": "previous"}
    response = c.post(f"{BULK}?op=cycle&{ids}", body)
    assert response.status_code == 302
    cycles = ReportCycle.objects.filter(task__isnull=False).order_by("task__code")
    assert [(c.task.code, c.frequency, c.weekday) for c in cycles] == [("1", "weekly", 4), ("2", "weekly", 4)]
    assert cycles[0].history.first().history_user == cast.user("office")
    # the same again changes nothing; another rule replaces the tasks' own
    c.post(f"{BULK}?op=cycle&{ids}", body)
    assert line(c.get(RESULT), "unchanged")["text"] == "2 tasks already have it and are left as they are"
    preview = c.get(BULK, {"op": "cycle", "task": [cast.task_a.pk]})
    assert preview.context["replaced"] == 1  # the page says the task's own cycle will be replaced
    assert 'id="bulk-replaced"' in preview.content.decode()
    c.post(f"{BULK}?op=cycle&{ids}", {**body, "frequency": "monthly", "due_kind": "day_of_month", "day_of_month": 5})
    assert set(ReportCycle.objects.filter(task__isnull=False).values_list("frequency", flat=True)) == {"monthly"}
    assert ReportCycle.objects.filter(task__isnull=False).count() == 2


def test_a_report_cycle_that_does_not_fit_its_frequency_is_refused_on_the_form(cast):
    c = client(cast, "office")
    body = {"frequency": "weekly", "due_kind": "day_of_month", "day_of_month": 5, "workdays_before_end": 0,
            "shift": "previous"}
    response = c.post(f"{BULK}?op=cycle&task={cast.task_a.pk}", body)
    assert response.status_code == 400
    assert response.context["form"].errors["due_kind"]
    assert not ReportCycle.objects.exists()


def test_a_form_without_its_value_is_shown_again(cast):
    response = client(cast, "office").post(f"{BULK}?op=owner&task={cast.task_a.pk}", {})
    assert response.status_code == 400
    assert response.context["form"].errors["owner"]


def test_the_result_page_without_a_run_goes_back_to_the_list(cast):
    response = client(cast, "office").get(RESULT)
    assert response.status_code == 302 and response.url == reverse("task-list")


def test_the_ledger_of_the_selection_downloads_at_once(cast, drafts):
    c = client(cast, "office")
    response = c.get(BULK, {"op": "ledger", "task": [cast.task_c.pk, drafts["3"].pk]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    titles = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell in ("一般公共预算收入增长5%", "任务3")]
    assert sorted(titles) == ["一般公共预算收入增长5%", "任务3"]
    assert "地区生产总值增长6%左右" not in [c for row in sheet.iter_rows(values_only=True) for c in row]
    everything = c.get(BULK, {"op": "ledger", "scope": "filter", "plan": cast.plan.pk, "status": "draft"})
    assert everything.status_code == 200


def test_the_ledger_of_tasks_of_two_years_is_refused(cast):
    other = Plan.objects.create(year=2027, title="2027")
    theirs = Task.objects.create(plan=other, code="1", title="明年")
    response = client(cast, "office").get(BULK, {"op": "ledger", "task": [cast.task_a.pk, theirs.pk]})
    assert response.status_code == 302


# -- query counts ---------------------------------------------------------------------------------------


@pytest.fixture
def many(cast):
    def make(n: int) -> list[Task]:
        return Task.objects.bulk_create(
            [Task(plan=cast.plan, code=f"9.{i}", title="批量", lead_unit=cast.unit_a, leader=cast.leader,
                  owner=None if i % 3 else cast.owner, due=datetime.date(2026, 12, 31)) for i in range(n)]
        )

    return make


@pytest.mark.parametrize("n", [10, 60])
def test_the_office_list_with_boxes_runs_a_fixed_number_of_queries(cast, many, n, django_assert_num_queries):
    many(n)
    c = client(cast, "office")
    c.get("/tasks/")
    # session, user, roles (with the navbar's person), the filter bar's four lists (plans, categories, leaders,
    # units; the current plan and a choice are found among them), tasks, co-units and co-unit groups of the page's
    # tasks, the bell's unread notifications: the boxes and the bar add none (no count: the list fits the page)
    with django_assert_num_queries(11):
        response = c.get("/tasks/", {"per_page": 100})
    assert response.content.decode().count('name="task"') == n + 2


@pytest.mark.parametrize("n", [10, 60])
@pytest.mark.parametrize("op, queries", [("assign", 7), ("owner", 8), ("cycle", 9)])
def test_the_confirmation_runs_a_fixed_number_of_queries(cast, many, n, op, queries, django_assert_num_queries):
    many(n)
    c = client(cast, "office")
    c.get("/tasks/")
    # session, user, roles (with the navbar's person), the plan filter value, the selected tasks with what they
    # show, the navbar's plan year, the bell; the person's choices; the tasks' own cycles and the plan's cycle to start from
    with django_assert_num_queries(queries):
        response = c.get(BULK, {"op": op, "scope": "filter", "plan": cast.plan.pk})
    assert response.context["selected"] == n + 2


# -- two people at once ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_offices_assigning_overlapping_selections_at_once_assign_each_task_once(cast, settings):
    settings.SUPERVISION_LIGHTS_ON_CHANGE = False
    extra = [draft(cast, str(i)) for i in range(3, 9)]
    everyone = [cast.task_a, cast.task_c, *extra]
    firsts = "&".join(f"task={t.pk}" for t in everyone[:6])
    seconds = "&".join(f"task={t.pk}" for t in everyone[3:])
    urls = [f"{BULK}?op=assign&{firsts}", f"{BULK}?op=assign&{seconds}"]
    responses = at_once(2, lambda i: client(cast, "office").post(urls[i]))
    assert statuses(responses) == [302, 302]
    assert Task.objects.filter(status=TaskStatus.ASSIGNED).count() == len(everyone)
    assert sorted(Task.objects.values_list("assignment_no", flat=True)) == list(range(1, len(everyone) + 1))
    for task in Task.objects.all():
        assert task.history.filter(status=TaskStatus.ASSIGNED).count() == 1


def test_the_ledger_of_the_selection_shows_the_open_problems_to_the_office(cast):
    from tests.ledger.conftest import read, rows_of
    from tongtui.dispatch.models import AddressedTo, Problem

    Problem.objects.create(
        task=cast.task_a, unit=cast.unit_a, title="用地指标未落实", addressed_to=AddressedTo.OFFICE,
        answer_by=datetime.date(2026, 5, 10),
    )  # fmt: skip
    response = client(cast, "office").get(BULK, {"op": "ledger", "task": [cast.task_a.pk]})
    rows = {r["编号"]: r for r in rows_of(read(b"".join(response.streaming_content)))}
    assert "用地指标未落实" in rows["1"]["存在问题"]
