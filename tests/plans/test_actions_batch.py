"""Bulk work on many tasks: 交办 and the leader, person and category of a whole selection, with the rules of the
per-task actions, one history entry per task naming the actor, and of two batches at once one assigns."""

import datetime

import pytest
from django.test import override_settings
from django.utils import translation

from tests.race import at_once
from tongtui.core.errors import Forbidden
from tongtui.orgs.models import Person, Post
from tongtui.orgs.roles import roles_of
from tongtui.plans import actions
from tongtui.plans.actions_batch import assign_tasks, plan_assignment, set_field
from tongtui.plans.filters import TaskFilter
from tongtui.plans.models import Category, Plan, Task, TaskStatus
from tongtui.plans.signals import tasks_changed


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English, whatever the catalogue says in Chinese."""
    with translation.override("en"):
        yield


def draft(cast, code: str, **fields) -> Task:
    values = {
        "plan": cast.plan,
        "code": code,
        "title": f"任务{code}",
        "category": cast.category,
        "lead_unit": cast.unit_a,
        "leader": cast.leader,
        "owner": cast.owner,
    }
    values.update(fields)
    return Task.objects.create(**values)


@pytest.fixture
def drafts(cast):
    """Task 1 and 2 of the cast, 3 and 10 ready too, 4 without a person, 5 without a leader or a person."""
    return {
        "3": draft(cast, "3"),
        "10": draft(cast, "10"),
        "4": draft(cast, "4", owner=None),
        "5": draft(cast, "5", leader=None, owner=None),
    }


def codes(tasks) -> list[str]:
    return [t.code for t in tasks]


def test_the_office_assigns_every_ready_draft_and_lists_the_others_with_what_they_lack(cast, drafts):
    office = cast.user("office")
    outcome = assign_tasks(Task.objects.all(), by=office)
    assert codes(outcome.done) == ["1", "2", "3", "10"]
    assert [(t.code, why) for t, why in outcome.refused] == [
        ("4", "lacks responsible person"),
        ("5", "lacks responsible leader, responsible person"),
    ]
    assigned = Task.objects.filter(status=TaskStatus.ASSIGNED).order_by("assignment_no")
    assert codes(assigned) == ["1", "2", "3", "10"]  # numbered in code order
    assert list(assigned.values_list("assignment_no", flat=True)) == [1, 2, 3, 4]
    task = assigned.first()
    assert task.assigned_at is not None
    assert task.ack_due == actions.acknowledge_due(cast.plan, task.assigned_at)
    assert set(Task.objects.filter(code__in=["4", "5"]).values_list("status", flat=True)) == {"draft"}


def test_each_assigned_task_gets_one_history_entry_naming_the_office_and_a_new_version(cast, drafts):
    office = cast.user("office")
    before = {t.pk: (t.history.count(), t.version) for t in Task.objects.all()}
    assign_tasks([cast.task_a.pk, drafts["4"].pk], by=office, reason="年度任务集中交办")
    task = Task.objects.get(pk=cast.task_a.pk)
    assert task.history.count() == before[task.pk][0] + 1
    assert task.version == before[task.pk][1] + 1
    entry = task.history.first()
    assert entry.history_user == office
    assert entry.history_change_reason == "年度任务集中交办"
    assert entry.status == TaskStatus.ASSIGNED
    assert entry.assignment_no == 1
    untouched = Task.objects.get(pk=drafts["4"].pk)
    assert (untouched.history.count(), untouched.version) == before[untouched.pk]


def test_tasks_not_in_draft_are_skipped_and_said_so(cast, drafts):
    office = cast.user("office")
    actions.assign_task(cast.task_a, by=office)
    outcome = assign_tasks([cast.task_a.pk, cast.task_c.pk], by=office)
    assert codes(outcome.done) == ["2"]
    (task, why), = outcome.refused
    assert task.code == "1" and "not in draft" in why and "Assigned" in why
    assert Task.objects.get(pk=cast.task_a.pk).assignment_no == 1  # kept
    assert Task.objects.get(pk=cast.task_c.pk).assignment_no == 2


def test_a_person_named_by_a_post_nobody_holds_yet_is_said_so(cast):
    post = Post.objects.create(unit=cast.unit_a, title="负责人")
    task = draft(cast, "7", owner=None, owner_post=post)
    [(_, why)] = plan_assignment([task]).refused
    assert why == "the responsible person is the post “区发改局负责人”, which has no person named yet"
    both = draft(cast, "8", owner=None, owner_post=post, leader=None, lead_unit=None)
    [(_, why)] = plan_assignment([both]).refused
    assert why.startswith("lacks lead unit, responsible leader; the responsible person is the post")


def test_the_selection_can_be_a_filter_run_on_the_server(cast, drafts):
    office = cast.user("office")
    other = Plan.objects.create(year=2027, title="2027")
    Task.objects.create(plan=other, code="1", title="明年的", lead_unit=cast.unit_a, leader=cast.leader,
                        owner=cast.owner)
    chosen = TaskFilter({"plan": cast.plan.pk, "status": ["draft"], "q": "任务"}, queryset=Task.objects.all()).qs
    outcome = assign_tasks(chosen, by=office)
    assert codes(outcome.done) == ["3", "10"]
    assert Task.objects.get(plan=other).status == TaskStatus.DRAFT


def test_only_the_office_works_in_bulk(cast, drafts):
    for who in ["leader", "head_a", "liaison_a"]:
        with pytest.raises(Forbidden):
            assign_tasks(Task.objects.all(), by=cast.user(who))
        with pytest.raises(Forbidden):
            set_field(Task.objects.all(), "owner", cast.owner, by=cast.user(who))
    assert not Task.objects.exclude(status=TaskStatus.DRAFT).exists()


def test_assigning_numbers_each_plan_on_its_own(cast):
    office = cast.user("office")
    other = Plan.objects.create(year=2027, title="2027")
    for code in ["1", "2"]:
        Task.objects.create(plan=other, code=code, title="明年", lead_unit=cast.unit_a, leader=cast.leader,
                            owner=cast.owner)
    actions.assign_task(cast.task_c, by=office)  # number 1 of 2026
    assign_tasks(Task.objects.all(), by=office)
    numbers = {(t.plan.year, t.code): t.assignment_no for t in Task.objects.select_related("plan")}
    assert numbers == {(2026, "1"): 2, (2026, "2"): 1, (2027, "1"): 1, (2027, "2"): 2}


def test_the_changed_tasks_are_announced_to_the_lights(cast, drafts):
    heard = []

    def listen(sender, task_ids, **kwargs):
        heard.append(sorted(task_ids))

    tasks_changed.connect(listen)
    try:
        assign_tasks([cast.task_a.pk, drafts["4"].pk], by=cast.user("office"))
        set_field([drafts["4"].pk], "owner", cast.owner, by=cast.user("office"))
    finally:
        tasks_changed.disconnect(listen)
    assert heard == [[cast.task_a.pk], [drafts["4"].pk]]


def test_setting_the_person_fills_the_gaps_and_then_they_can_be_assigned(cast, drafts):
    office = cast.user("office")
    person = Person.objects.create(name="孙责任", unit=cast.unit_a)
    outcome = set_field(Task.objects.filter(code__in=["4", "5", "3"]), "owner", person, by=office, reason="补责任人")
    assert codes(outcome.done) == ["3", "4", "5"]
    task = Task.objects.get(pk=drafts["4"].pk)
    assert task.owner == person
    assert task.history.first().history_user == office
    assert task.history.first().history_change_reason == "补责任人"
    again = set_field([task.pk], "owner", person, by=office)
    assert codes(again.unchanged) == ["4"] and not again.done
    assert task.history.count() == 2  # created, the person set once
    assert codes(assign_tasks([task.pk], by=office).done) == ["4"]


def test_closed_and_cancelled_tasks_are_left_alone(cast, drafts):
    office = cast.user("office")
    actions.assign_task(cast.task_a, by=office)
    actions.cancel_task(cast.task_a, by=office, reason="撤销")
    outcome = set_field(Task.objects.all(), "leader", cast.head_a, by=office)
    assert [(t.code, why) for t, why in outcome.refused] == [("1", "it is “Cancelled”")]
    assert Task.objects.get(pk=cast.task_a.pk).leader == cast.leader


def test_a_category_of_another_plan_year_is_refused_for_each_task(cast, drafts):
    office = cast.user("office")
    other = Plan.objects.create(year=2027, title="2027")
    theirs = Category.objects.create(plan=other, name="乡村振兴")
    outcome = set_field([cast.task_a.pk, drafts["3"].pk], "category", theirs, by=office)
    assert not outcome.done
    assert [t.code for t, _ in outcome.refused] == ["1", "3"]
    assert "another plan year" in outcome.refused[0][1]
    assert Task.objects.get(pk=cast.task_a.pk).category == cast.category  # as stored
    ours = Category.objects.create(plan=cast.plan, name="民生保障")
    assert codes(set_field([cast.task_a.pk], "category", ours, by=office).done) == ["1"]
    assert Task.objects.get(pk=cast.task_a.pk).version == 2


def test_an_edit_that_started_before_a_bulk_change_gets_a_conflict(cast):
    from tongtui.core.errors import Conflict

    office = cast.user("office")
    seen = Task.objects.get(pk=cast.task_a.pk)
    set_field([seen.pk], "owner", cast.head_a, by=office)
    with pytest.raises(Conflict):
        actions.update_task(seen, by=office, version=seen.version, title="改名")


@pytest.mark.parametrize("n", [3, 12])
def test_assigning_and_setting_run_a_fixed_number_of_queries_whatever_the_number_of_tasks(
    cast, n, django_assert_num_queries
):
    """Set-based: a few statements for the whole selection, not one per task. (Past some hundreds of rows the
    number and history statements go in batches: SQLite takes at most 999 parameters per statement.)"""
    office = cast.user("office")
    Task.objects.bulk_create(
        [
            Task(plan=cast.plan, code=f"9.{i}", title="批量", lead_unit=cast.unit_a, leader=cast.leader,
                 owner=cast.owner, due=datetime.date(2026, 12, 31))
            for i in range(n)
        ]
    )
    roles_of(office)  # the roles lookup is not what this counts
    # savepoint, the rows locked and read, the working-day overrides, the claim, the plan lock, the last
    # number, the numbers, the history, release
    with django_assert_num_queries(9):
        outcome = assign_tasks(Task.objects.all(), by=office)
    assert len(outcome.done) == n + 2
    # savepoint, the rows locked and read, one UPDATE, the history, release
    with django_assert_num_queries(5):
        set_field(Task.objects.all(), "leader", cast.head_a, by=office)


# -- two people at once -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@override_settings(SUPERVISION_LIGHTS_ON_CHANGE=False)
def test_two_batches_over_overlapping_selections_at_once_assign_each_task_once(cast):
    office = cast.user("office")
    extra = [draft(cast, str(i)) for i in range(3, 13)]
    everyone = [cast.task_a, cast.task_c, *extra]
    first = [t.pk for t in everyone[:8]]
    second = [t.pk for t in everyone[4:]]
    outcomes = at_once(2, lambda i: assign_tasks([first, second][i], by=office))
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome
    done = [t.pk for o in outcomes for t in o.done]
    assert sorted(done) == sorted(t.pk for t in everyone)  # each task exactly once, by one of the two
    skipped = [t.pk for o in outcomes for t, _ in o.refused]
    assert sorted(skipped) == sorted(set(first) & set(second))  # the other found them assigned
    numbers = sorted(Task.objects.values_list("assignment_no", flat=True))
    assert numbers == list(range(1, 13))
    for task in Task.objects.all():
        assert task.history.filter(status=TaskStatus.ASSIGNED).count() == 1


@pytest.mark.django_db(transaction=True)
@override_settings(SUPERVISION_LIGHTS_ON_CHANGE=False)
def test_a_batch_and_single_assigns_at_once_assign_each_task_once(cast):
    office = cast.user("office")
    extra = [draft(cast, str(i)) for i in range(3, 8)]
    ids = [cast.task_a.pk, cast.task_c.pk, *(t.pk for t in extra)]

    def send(i: int):
        if i == 0:
            return assign_tasks(ids, by=office)
        return actions.assign_task(Task.objects.get(pk=ids[i]), by=office)

    results = at_once(4, send)
    singles = [r for r in results[1:] if isinstance(r, Task)]
    batch = results[0]
    assert not isinstance(batch, Exception), batch
    assert len(batch.done) + len(singles) == len(ids)
    assert sorted(Task.objects.values_list("assignment_no", flat=True)) == list(range(1, len(ids) + 1))
    for task in Task.objects.all():
        assert task.status == TaskStatus.ASSIGNED
        assert task.history.filter(status=TaskStatus.ASSIGNED).count() == 1
