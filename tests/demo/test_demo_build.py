import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from tests.demo.conftest import TODAY
from tongtui.core.system import SYSTEM_USERNAME
from tongtui.demo.build import build_demo
from tongtui.orgs.models import Membership, Person, Role, Unit, UnitGroup
from tongtui.plans.models import Category, CoUnit, Indicator, Milestone, Plan, Source, Task, TaskStatus


def test_it_builds_a_district_of_about_thirty_units_and_a_hundred_tasks(built, db):
    assert 25 <= Unit.objects.count() <= 35
    assert 80 <= Task.objects.filter(plan__year=2026).count() <= 120
    assert built.counts["tasks"] == Task.objects.count()
    names = set(Category.objects.filter(plan__year=2026).values_list("name", flat=True))
    assert {"产业转型升级", "乡村振兴", "生态环境保护", "民生保障", "项目建设", "营商环境"} <= names


def test_units_have_short_names_aliases_and_groups(built, db):
    ndrc = Unit.objects.get(short_name="区发改局")
    assert ndrc.name == "区发展和改革局"
    assert {"发改局", "区发改委"} <= set(ndrc.aliases.values_list("name", flat=True))
    towns = UnitGroup.objects.get(name="各镇街")
    assert "各街道" in towns.all_names() and "各镇(街道)" in towns.all_names()
    assert set(towns.units.values_list("kind", flat=True)) == {"town", "subdistrict"}
    assert UnitGroup.objects.filter(name__in=["区直各部门", "各相关部门"]).count() == 2
    assert Unit.objects.filter(kind="park").exists() and Unit.objects.filter(kind="company").exists()


def test_every_unit_has_a_head_and_a_liaison(built, db):
    for unit in Unit.objects.exclude(kind__in=["district", "office"]):
        roles = set(Membership.objects.filter(unit=unit).values_list("role", flat=True))
        assert {Role.UNIT_HEAD, Role.LIAISON} <= roles, unit.name
    assert Membership.objects.filter(role=Role.LEADER).count() >= 5
    assert Membership.objects.filter(role=Role.OFFICE).count() >= 2


def test_every_assigned_task_has_a_lead_unit_a_leader_and_a_responsible_person(built, db):
    assigned = Task.objects.exclude(status=TaskStatus.DRAFT)
    assert assigned.count() > 80
    assert not assigned.filter(lead_unit=None).exists()
    assert not assigned.filter(leader=None).exists()
    assert not assigned.filter(owner=None).exists()
    assert not assigned.filter(assigned_at=None).exists()


def test_a_few_drafts_still_miss_their_responsible_person(built, db):
    drafts = Task.objects.filter(status=TaskStatus.DRAFT)
    assert 1 <= drafts.count() <= 5
    assert all(t.owner is None and t.lead_unit and t.leader for t in drafts)


def test_the_plan_is_in_the_state_of_late_november(built, db):
    status = {value: Task.objects.filter(status=value).count() for value in TaskStatus.values}
    assert status[TaskStatus.IN_PROGRESS] > 70
    assert 3 <= status[TaskStatus.CLOSED] <= 10
    assert status[TaskStatus.SUSPENDED] == 1
    assert status[TaskStatus.COMPLETION_REQUESTED] >= 1
    assert not Task.objects.filter(status=TaskStatus.IN_PROGRESS, lead_acknowledged_at=None).exists()
    closed = Task.objects.filter(status=TaskStatus.CLOSED)
    assert all(t.progress == 100 and t.closed_on and t.closed_on <= TODAY for t in closed)


def test_progress_is_plausible_some_tasks_lag_and_milestones_are_mostly_done(built, db):
    progressing = Task.objects.filter(status=TaskStatus.IN_PROGRESS, parent=None)
    assert all(0 < t.progress < 100 and t.progress_on <= TODAY and t.progress_note for t in progressing)
    past = Milestone.objects.filter(due__lt=TODAY)
    done, overdue = past.exclude(done_on=None).count(), past.filter(done_on=None).count()
    assert done > 0.8 * past.count()
    assert overdue >= 5
    assert not Milestone.objects.filter(done_on__gt=TODAY).exists()
    lagging = [t for t in progressing if "滞后" in t.progress_note]
    assert 5 <= len(lagging) <= 0.3 * progressing.count()


def test_progress_was_reported_month_by_month(built, db):
    task = Task.objects.get(code="1.2")
    reported = sorted({h.progress_on for h in task.history.all() if h.progress_on})
    assert len(reported) >= 8
    assert reported[0].month <= 2 and reported[-1] <= TODAY
    values = [h.progress for h in task.history.order_by("history_id") if h.progress_on]
    assert values == sorted(values)


def test_tasks_have_two_to_five_milestones_and_numeric_tasks_have_indicators(built, db):
    for task in Task.objects.exclude(source=Source.MEETING).prefetch_related("milestones"):
        steps = list(task.milestones.all())
        assert 2 <= len(steps) <= 5, task.code
        assert [s.planned_progress for s in steps] == sorted(s.planned_progress for s in steps)
    indicator = Indicator.objects.get(task__title="规上工业增加值增长8%以上")
    assert (indicator.baseline, indicator.target, indicator.unit_of_measure) == (Decimal("6.5"), 8, "%")
    assert Indicator.objects.filter(direction=Indicator.Direction.DECREASE).exists()
    assert Indicator.objects.count() >= 60


def test_district_tasks_split_across_towns_roll_up(built, db):
    farmland = Task.objects.get(title="完成高标准农田建设2万亩")
    children = list(farmland.children.all())
    assert {c.lead_unit.kind for c in children} == {"town"}
    weighted = sum(c.weight * c.progress for c in children) / sum(c.weight for c in children)
    assert abs(farmland.progress - weighted) < 1
    assert Task.objects.filter(parent__isnull=False).count() >= 8


def test_sources_are_mostly_the_work_report_with_some_city_deployments_and_decisions(built, db):
    count = {s: Task.objects.filter(source=s).count() for s in Source.values}
    assert count[Source.WORK_REPORT] > Task.objects.count() / 2
    assert count[Source.CITY] >= 10 and count[Source.MEETING] >= 3 and count[Source.INSTRUCTION] >= 3
    assert Task.objects.filter(is_public=True).count() >= 10
    assert CoUnit.objects.exclude(acknowledged_at=None).exclude(acknowledged_by=None).exists()


def test_history_names_the_system_account_or_the_office_accepting_reports(built, db):
    for model in (Unit, Person, Membership, Plan, Indicator):
        users = set(model.history.values_list("history_user__username", flat=True))
        assert users == {SYSTEM_USERNAME}, model.__name__
    for model in (Task, Milestone, CoUnit):
        users = set(model.history.values_list("history_user__username", flat=True))
        assert SYSTEM_USERNAME in users and users <= {SYSTEM_USERNAME, "office"}, model.__name__


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="the demo's database is SQLite (scripts/demo): a second year is built there; on PostgreSQL this "
    "package builds the demo once, and its last test (test_demo_reset) rebuilds it",
)
def test_another_year_is_added_beside_this_one_with_its_own_dates(built, db):
    units = Unit.objects.count()
    build_demo(year=2025, today=TODAY)
    plan = Plan.objects.get(year=2025)
    assert Unit.objects.count() == units
    decided = Task.objects.filter(plan__year=2026, code__startswith="DD")  # this year's meeting decided one
    assert plan.tasks.count() == Task.objects.filter(plan__year=2026).count() - decided.count()
    winter = plan.tasks.get(title="开展根治欠薪冬季专项行动")
    assert winter.due == datetime.date(2026, 2, 10)
    assert max(m.due for m in winter.milestones.all()) == datetime.date(2026, 2, 10)
    assert not plan.tasks.filter(status=TaskStatus.IN_PROGRESS, progress=0).exists()
