from collections import Counter

from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.demo.conftest import TODAY
from tongtui.dispatch.due import due_for
from tongtui.dispatch.models import (
    Decision,
    Meeting,
    MilestoneClaim,
    Problem,
    ProgressReport,
    ReminderPolicy,
    ReportCycle,
    ReportStatus,
)
from tongtui.orgs.models import Person
from tongtui.plans.models import Task, TaskStatus


def _user(username):
    return get_user_model().objects.get(username=username)


def test_the_plan_reports_monthly_on_the_25th_with_reminders(built, db):
    cycle = ReportCycle.objects.get(plan__year=2026, category=None, task=None)
    assert (cycle.frequency, cycle.due_kind, cycle.day_of_month, cycle.shift) == (
        "monthly",
        "day_of_month",
        25,
        "previous",
    )
    assert ReminderPolicy.objects.filter(plan__year=2026).exists()


def test_reports_exist_in_every_state(built, db):
    states = Counter(ProgressReport.objects.values_list("status", flat=True))
    assert set(states) == set(ReportStatus.values)
    assert states[ReportStatus.ACCEPTED] > 500
    assert states[ReportStatus.SUBMITTED] >= 3 and states[ReportStatus.SIGNED_OFF] >= 3


def test_each_running_task_has_accepted_reports_for_the_months_before_november(built, db):
    running = Task.objects.filter(status=TaskStatus.IN_PROGRESS, children=None, start__month=1)
    for task in running:
        months = {r.period_end.month for r in task.reports.filter(status=ReportStatus.ACCEPTED)}
        assert set(range(2, 10)) <= months, task.code


def test_reports_are_filed_by_the_liaison_signed_by_the_head_and_accepted_by_the_office(built, db):
    report = ProgressReport.objects.filter(status=ReportStatus.ACCEPTED).select_related("unit").first()
    liaison = Person.objects.get(user=report.submitted_by)
    head = Person.objects.get(user=report.signed_off_by)
    assert liaison.memberships.filter(unit=report.unit, role="liaison").exists()
    assert head.memberships.filter(unit=report.unit, role="unit_head").exists()
    assert report.reviewed_by == _user("office")
    assert report.first_submitted_at.date() < TODAY


def test_a_few_reports_came_in_late_and_two_were_returned_then_resubmitted(built, db):
    late = ProgressReport.objects.filter(late_workdays__gt=0)
    assert 10 <= late.count() <= 0.15 * ProgressReport.objects.count()
    returned_once = {h.id for h in ProgressReport.history.filter(status=ReportStatus.RETURNED)} & set(
        ProgressReport.objects.filter(status=ReportStatus.ACCEPTED).values_list("pk", flat=True)
    )
    assert len(returned_once) == 2


def test_milestones_are_claimed_done_through_reports(built, db):
    claims = MilestoneClaim.objects.select_related("milestone", "report")
    assert claims.count() > 150
    accepted = [c for c in claims if c.report.status == ReportStatus.ACCEPTED]
    assert all(c.milestone.done_on == c.done_on for c in accepted)


def test_accepted_reports_carry_the_tasks_recorded_progress(built, db):
    task = Task.objects.filter(status=TaskStatus.IN_PROGRESS, children=None).order_by("code").first()
    last = task.reports.filter(status=ReportStatus.ACCEPTED).order_by("-period_end").first()
    filed_on = timezone.localdate(last.submitted_at)
    assert (task.progress, task.progress_on) == (last.progress, min(last.period_end, filed_on))


def test_the_demo_liaison_and_the_town_liaison_have_reports_due(built, db):
    assert due_for(_user("liaison"), TODAY)
    assert due_for(_user("town"), TODAY)


def test_the_review_queue_has_reports_signed_off_and_waiting(built, db):
    assert ProgressReport.objects.filter(status=ReportStatus.SIGNED_OFF, period_end__month=11).count() >= 3


def test_problems_are_answered_resolved_and_one_is_escalated(built, db):
    states = Counter(Problem.objects.values_list("status", flat=True))
    assert 4 <= Problem.objects.count() <= 6
    assert states["answered"] >= 1 and states["resolved"] >= 1 and states["open"] >= 1
    assert Problem.objects.filter(escalated_at__isnull=False, status="open").count() == 1


def test_one_meeting_was_held_with_two_decisions_and_one_is_planned_next_week(built, db):
    held = Meeting.objects.get(status="held")
    assert held.minutes and held.date < TODAY
    decisions = Decision.objects.filter(meeting=held)
    assert decisions.count() == 2
    assert decisions.exclude(created_task=None).count() == 1
    planned = Meeting.objects.get(status="planned")
    assert 0 < (planned.date - TODAY).days <= 9
