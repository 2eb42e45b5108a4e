"""A year's report cycles (with the next due dates, so the office sees the rule is right), reminder policy
and light thresholds."""

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import override

from tests.setup.conftest import history_user, messages_of
from tongtui.core.errors import Forbidden
from tongtui.core.workdays import WorkCalendar
from tongtui.dispatch import actions_cycles
from tongtui.dispatch.models import ReminderPolicy, ReportCycle
from tongtui.plans.models import Category, Plan
from tongtui.setup.views_cycles import due_dates, rule_text
from tongtui.supervision import actions_policy
from tongtui.supervision.models import LightPolicy

D = datetime.date
MONTHLY_25 = {"frequency": "monthly", "due_kind": "day_of_month", "day_of_month": 25, "weekday": "",
              "workdays_before_end": 0, "shift": "previous", "starts_on": ""}  # fmt: skip


def test_due_dates_are_the_next_few_from_today_or_the_last_few_of_a_year_that_is_over():
    cycle = ReportCycle(frequency="monthly", due_kind="day_of_month", day_of_month=25, shift="previous")
    weekdays = WorkCalendar()  # 2099 is unknown to the official calendar: Monday to Friday
    coming = due_dates(2099, cycle, weekdays, D(2026, 12, 6))
    # 25 January 2099 is a Sunday: the previous working day; 25 April a Saturday.
    assert [p.due for p in coming] == [D(2099, 1, 23), D(2099, 2, 25), D(2099, 3, 25), D(2099, 4, 24)]
    later = due_dates(2099, cycle, weekdays, D(2099, 11, 1))
    assert [p.due for p in later] == [D(2099, 11, 25), D(2099, 12, 25)]
    over = due_dates(2099, cycle, weekdays, D(2100, 3, 1))
    assert [p.due.month for p in over] == [9, 10, 11, 12]


def test_an_override_moves_a_due_date():
    cycle = ReportCycle(frequency="monthly", due_kind="day_of_month", day_of_month=25, shift="next")
    cal = WorkCalendar({D(2099, 2, 25): False})
    assert due_dates(2099, cycle, cal, D(2099, 2, 1))[0].due == D(2099, 2, 26)


@override("en")
def test_a_rule_reads_as_words():
    assert rule_text(
        ReportCycle(frequency="weekly", due_kind="weekday", weekday=4, shift="previous")
    ).startswith("Weekly · Friday")
    assert "day 25 of the quarter's last month" in rule_text(
        ReportCycle(frequency="quarterly", due_kind="day_of_month", day_of_month=25)
    )
    assert rule_text(ReportCycle(frequency="monthly", due_kind="before_end", workdays_before_end=0)) == (
        "Monthly · the last working day of the period"
    )


@pytest.fixture
def future(cast):
    """A plan year far ahead, so that the due dates do not depend on the day the test runs."""
    plan = Plan.objects.create(year=2099, title="2099年重点工作")
    Category.objects.create(plan=plan, name="乡村振兴", order=1)
    return plan


def test_the_office_sets_the_plans_cycle_and_sees_its_due_dates(cast, future, office):
    url = reverse("setup:cycle-plan", args=[2099])
    assert office.post(url, MONTHLY_25).status_code == 302
    cycle = ReportCycle.objects.get(plan=future, category=None, task=None)
    assert (cycle.frequency, cycle.day_of_month) == ("monthly", 25)
    assert history_user(cycle) == cast.user("office")
    page = office.get(reverse("setup:cycle-list", args=[2099]))
    row = page.context["plan_row"]
    assert [p.due for p in row["due_dates"]] == [
        D(2099, 1, 23),
        D(2099, 2, 25),
        D(2099, 3, 25),
        D(2099, 4, 24),
    ]
    html = page.content.decode()
    assert 'data-due="2099-01-23"' in html and "Monthly · day 25 of the month" in html


def test_a_category_gets_its_own_cycle_and_goes_back_to_the_plans(cast, future, office):
    category = future.categories.get()
    url = reverse("setup:cycle-category", args=[2099, category.pk])
    weekly = {**MONTHLY_25, "frequency": "weekly", "due_kind": "weekday", "weekday": 4, "day_of_month": ""}
    assert office.post(url, weekly).status_code == 302
    cycle = ReportCycle.objects.get(category=category)
    assert (cycle.plan, cycle.frequency, cycle.weekday) == (future, "weekly", 4)
    rows = office.get(reverse("setup:cycle-list", args=[2099])).context["category_rows"]
    assert rows[0]["cycle"] == cycle and rows[0]["due_dates"][0].due == D(2099, 1, 2)  # Friday of ISO week 1
    response = office.post(reverse("setup:cycle-delete", args=[2099, category.pk]), follow=True)
    assert not ReportCycle.objects.filter(category=category).exists()
    assert "now follows the plan's cycle" in " ".join(messages_of(response))
    assert ReportCycle.history.filter(id=cycle.pk, history_type="-").get().history_user == cast.user("office")


def test_a_rule_that_does_not_fit_its_frequency_is_refused_on_its_field(cast, future, office):
    url = reverse("setup:cycle-plan", args=[2099])
    response = office.post(url, {**MONTHLY_25, "frequency": "weekly"})
    assert response.status_code == 400
    assert "due_kind" in response.context["form"].errors
    response = office.post(url, {**MONTHLY_25, "day_of_month": 32})
    assert "day_of_month" in response.context["form"].errors
    assert not ReportCycle.objects.filter(plan=future).exists()


def test_the_preview_shows_the_due_dates_of_the_rule_being_typed(cast, future, office):
    url = reverse("setup:cycle-preview", args=[2099])
    html = office.get(url, {**MONTHLY_25, "day_of_month": 26}).content.decode()
    assert 'data-due="2099-01-26"' in html and "<nav" not in html  # a fragment, not a page
    assert "data-due" not in office.get(url, {**MONTHLY_25, "day_of_month": ""}).content.decode()


def test_a_category_of_another_year_is_404(cast, future, office):
    other = future.categories.get()
    assert office.get(reverse("setup:cycle-category", args=[2026, other.pk])).status_code == 404


def test_the_office_sets_the_reminder_policy(cast, office):
    url = reverse("setup:reminders", args=[2026])
    assert office.get(url).context["policy"] is None
    data = {"days_before": 1, "on_the_day": "on", "after_every": 1, "escalate_to_head_after": 2,
            "escalate_to_leader_after": 4, "max_per_period": 6}  # fmt: skip
    assert office.post(url, data).status_code == 302
    policy = ReminderPolicy.objects.get(plan=cast.plan)
    assert (policy.days_before, policy.on_the_day, policy.by_email, policy.max_per_period) == (
        1,
        True,
        False,
        6,
    )
    assert history_user(policy) == cast.user("office")
    refused = office.post(url, {**data, "escalate_to_leader_after": 1})
    assert refused.status_code == 400 and "escalate_to_leader_after" in refused.context["form"].errors


def test_the_office_sets_the_light_thresholds_and_the_lights_are_queued(
    cast, office, django_capture_on_commit_callbacks
):
    url = reverse("setup:lights", args=[2026])
    form = office.get(url).context["form"]
    data = {
        name: ("on" if value is True else value) for name, value in form.initial.items() if value is not False
    }
    data.update(yellow_behind=12, red_behind=40)
    with django_capture_on_commit_callbacks() as callbacks:
        assert office.post(url, data).status_code == 302
    policy = LightPolicy.objects.get(plan=cast.plan)
    assert (policy.yellow_behind, policy.red_behind) == (12, 40)
    assert history_user(policy) == cast.user("office")  # who moved a threshold is on record
    assert policy.history.count() == 1
    assert len(callbacks) == 1  # the recompute is queued, not run in the request
    refused = office.post(url, {**data, "red_behind": 5})
    assert refused.status_code == 400 and "red_behind" in refused.context["form"].errors


def test_only_the_office_writes_cycles_reminders_and_thresholds(cast):
    liaison = cast.user("liaison_a")
    with pytest.raises(Forbidden):
        actions_cycles.copy_cycles(cast.plan, cast.plan, {}, by=liaison)
    with pytest.raises(Forbidden):
        actions_policy.set_light_policy(cast.plan, by=liaison, yellow_behind=1)
    with pytest.raises(Forbidden):
        actions_policy.copy_light_policy(cast.plan, cast.plan, by=liaison)
    assert not LightPolicy.objects.exists()
