"""Problems (问题/困难): raising, answering, resolving, reopening, read scope and the one-time escalation."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tests.dispatch.conftest import MARCH
from tongtui.core.errors import ActionError, Forbidden
from tongtui.dispatch import actions, actions_problems
from tongtui.dispatch.access_problems import problems_addressed_to, problems_visible_to
from tongtui.dispatch.models import Notification, Problem, ProblemStatus

D = datetime.date
TZ = ZoneInfo("Asia/Shanghai")


def raise_one(d, by="liaison_a", to="leader", **kw):
    kw.setdefault("answer_by", D(2026, 4, 10))
    return actions_problems.raise_problem(
        d.task_a, by=d.user(by), title="项目用地指标不足", addressed_to=to, **kw
    )


def test_a_liaison_raises_a_problem_addressed_to_the_tasks_leader(d):
    problem = raise_one(d)
    assert problem.unit == d.unit_a
    assert problem.addressed_leader == d.leader
    assert problem.status == ProblemStatus.OPEN
    assert Notification.objects.filter(recipient=d.user("leader"), url__contains=str(problem.pk)).exists()
    assert problem.history.first().history_user == d.user("liaison_a")


def test_a_problem_raised_from_a_report_links_it(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    problem = raise_one(d, report=report)
    assert problem.report == report


def test_a_co_unit_raises_on_behalf_of_its_own_unit(d):
    problem = raise_one(d, by="liaison_c", to="office")
    assert problem.unit == d.unit_c


def test_an_outsider_cannot_raise_a_problem_on_the_task(d):
    with pytest.raises(Forbidden):
        raise_one(d, by="liaison_b")


def test_a_problem_to_another_unit_needs_that_unit(d):
    with pytest.raises(ValidationError, match="unit"):
        raise_one(d, to="unit")


def test_a_problem_to_a_unit_notifies_that_units_people(d):
    problem = raise_one(d, to="unit", addressed_unit=d.unit_b)
    assert Notification.objects.filter(recipient=d.user("liaison_b"), url__contains=str(problem.pk)).exists()


def test_the_addressed_leader_answers_and_the_raiser_is_told(d):
    problem = raise_one(d)
    actions_problems.answer_problem(problem, by=d.user("leader"), text="已协调自然资源局，下周解决")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ANSWERED
    answer = problem.answers.get()
    assert answer.answered_by == d.user("leader") and answer.answered_at is not None
    assert (
        Notification.objects.filter(recipient=d.user("liaison_a"), body__contains="自然资源局").count() == 1
    )


def test_the_raising_unit_cannot_answer_its_own_problem(d):
    problem = raise_one(d)
    with pytest.raises(Forbidden):
        actions_problems.answer_problem(problem, by=d.user("head_a"), text="自己答复")


def test_the_office_answers_any_problem(d):
    problem = raise_one(d, to="unit", addressed_unit=d.unit_b)
    actions_problems.answer_problem(problem, by=d.user("office"), text="督查室协调")
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.ANSWERED


def test_the_raiser_resolves_and_reopens_with_a_new_date(d):
    problem = raise_one(d)
    actions_problems.answer_problem(problem, by=d.user("leader"), text="已协调")
    actions_problems.resolve_problem(problem, by=d.user("liaison_a"))
    assert problem.status == ProblemStatus.RESOLVED and problem.resolved_at is not None
    with pytest.raises(ActionError):
        actions_problems.answer_problem(problem, by=d.user("leader"), text="再答复")
    Problem.objects.filter(pk=problem.pk).update(escalated_at=datetime.datetime(2026, 4, 11, tzinfo=TZ))
    problem.refresh_from_db()
    actions_problems.reopen_problem(
        problem, by=d.user("liaison_a"), reason="仍未落实", answer_by=D(2026, 5, 10)
    )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN
    assert problem.answer_by == D(2026, 5, 10) and problem.escalated_at is None
    reasons = [h.history_change_reason for h in problem.history.order_by("history_date")]
    assert reasons[-1] == "仍未落实"


def test_the_addressee_cannot_resolve(d):
    problem = raise_one(d)
    with pytest.raises(Forbidden):
        actions_problems.resolve_problem(problem, by=d.user("liaison_b"))


def test_reopening_needs_a_reason(d):
    problem = raise_one(d)
    actions_problems.resolve_problem(problem, by=d.user("office"))
    with pytest.raises(ActionError):
        actions_problems.reopen_problem(problem, by=d.user("liaison_a"), reason=" ")


def test_who_sees_a_problem(d):
    problem = raise_one(d)
    seen = {who for who in ("office", "leader", "head_a", "liaison_a", "liaison_b", "liaison_c")
            if problems_visible_to(d.user(who)).filter(pk=problem.pk).exists()}  # fmt: skip
    assert seen == {"office", "leader", "head_a", "liaison_a"}


def test_the_addressed_unit_sees_the_problem_and_finds_it_addressed_to_it(d):
    problem = raise_one(d, to="unit", addressed_unit=d.unit_b)
    assert problems_visible_to(d.user("liaison_b")).filter(pk=problem.pk).exists()
    assert list(problems_addressed_to(d.user("liaison_b"))) == [problem]
    assert not problems_addressed_to(d.user("liaison_a")).exists()


def test_an_open_problem_past_its_date_is_escalated_once(d):
    problem = raise_one(d, to="unit", addressed_unit=d.unit_b)
    told_before = set(Notification.objects.values_list("pk", flat=True))
    before = datetime.datetime(2026, 4, 10, 10, tzinfo=TZ)
    assert actions_problems.escalate_overdue(before) == 0
    after = datetime.datetime(2026, 4, 11, 10, tzinfo=TZ)
    assert actions_problems.escalate_overdue(after) == 1
    assert actions_problems.escalate_overdue(after + datetime.timedelta(hours=1)) == 0
    problem.refresh_from_db()
    assert problem.escalated_at == after
    escalations = Notification.objects.exclude(pk__in=told_before)
    assert {n.recipient for n in escalations} == {d.user("office"), d.user("leader")}


def test_an_answered_problem_is_not_escalated(d):
    problem = raise_one(d)
    actions_problems.answer_problem(problem, by=d.user("leader"), text="已答复")
    assert actions_problems.escalate_overdue(datetime.datetime(2026, 5, 1, tzinfo=TZ)) == 0


def test_the_hourly_dispatch_sweep_escalates(d):
    from tongtui.dispatch.tasks import reminder_sweep

    problem = raise_one(d, answer_by=D(2020, 1, 1))
    reminder_sweep.call()
    reminder_sweep.call()
    problem.refresh_from_db()
    assert problem.escalated_at is not None
    assert (
        Notification.objects.filter(recipient=d.user("office"), url__contains=f"/{problem.pk}/").count() == 1
    )
