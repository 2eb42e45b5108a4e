"""Plan years: opening a year from an earlier one copies its settings and nothing else; a year's title,
status and acknowledgement deadline; its categories; closing it with a confirmation."""

import datetime

import pytest
from django.urls import reverse

from tests.race import at_once, statuses
from tests.setup.conftest import english, history_user, messages_of
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.dispatch import actions_cycles
from tongtui.dispatch.models import ReminderPolicy, ReportCycle
from tongtui.plans.models import Category, Plan, Task
from tongtui.setup import actions
from tongtui.supervision import actions_policy
from tongtui.supervision.models import LightPolicy


@pytest.fixture
def settled(cast):
    """The cast's 2026 with two categories, cycles of every scope, a reminder policy and light thresholds."""
    office = cast.user("office")
    second = Category.objects.create(plan=cast.plan, name="乡村振兴", order=2)
    cast.plan.acknowledge_workdays = 5
    cast.plan.save()
    actions_cycles.set_report_cycle(
        by=office, plan=cast.plan, day_of_month=25, starts_on=datetime.date(2026, 3, 1)
    )
    actions_cycles.set_report_cycle(
        by=office, plan=cast.plan, category=second, frequency="weekly", due_kind="weekday", weekday=4
    )
    actions_cycles.set_report_cycle(by=office, plan=cast.plan, task=cast.task_a, frequency="quarterly",
                                    due_kind="before_end", workdays_before_end=2)  # fmt: skip
    actions_cycles.set_reminder_policy(cast.plan, by=office, days_before=3, escalate_to_head_after=4,
                                       escalate_to_leader_after=8)  # fmt: skip
    actions_policy.set_light_policy(
        cast.plan, by=office, yellow_behind=15, red_behind=35, missed_cycles_red=3
    )
    return second


def test_opening_a_year_copies_its_settings_and_no_task(cast, settled, office):
    response = office.post(reverse("setup:year-open"), {"year": 2027, "source": cast.plan.pk, "title": "",
                                                        "status": "draft"})  # fmt: skip
    assert response.status_code == 302
    plan = Plan.objects.get(year=2027)
    assert response["Location"] == reverse("setup:year-detail", args=[2027])
    assert plan.status == Plan.Status.DRAFT
    assert plan.acknowledge_workdays == 5
    assert plan.title  # “2027 key tasks” in the reader's language
    assert list(plan.categories.order_by("order").values_list("name", "order")) == [
        ("产业转型升级", 1),
        ("乡村振兴", 2),
    ]
    assert not Task.objects.filter(plan=plan).exists()

    cycles = ReportCycle.objects.filter(plan=plan)
    assert cycles.count() == 2  # the plan's and the category's; the task's stays with its task
    own = cycles.get(category__isnull=True)
    assert (own.frequency, own.day_of_month, own.starts_on) == ("monthly", 25, datetime.date(2027, 3, 1))
    weekly = cycles.get(category__name="乡村振兴")
    assert weekly.category.plan == plan and (weekly.frequency, weekly.weekday) == ("weekly", 4)

    policy = ReminderPolicy.objects.get(plan=plan)
    assert (policy.days_before, policy.escalate_to_head_after, policy.escalate_to_leader_after) == (3, 4, 8)
    lights = LightPolicy.objects.get(plan=plan)
    assert (lights.yellow_behind, lights.red_behind, lights.missed_cycles_red) == (15, 35, 3)

    office_user = cast.user("office")
    assert history_user(plan) == office_user
    assert history_user(own) == office_user and history_user(policy) == office_user
    assert all(history_user(c) == office_user for c in plan.categories.all())
    # The source year is untouched.
    assert ReportCycle.objects.filter(plan=cast.plan).count() == 3
    assert cast.plan.categories.count() == 2


def test_a_year_opened_from_nothing_is_empty(cast, office):
    response = office.post(reverse("setup:year-open"), {"year": 2028, "source": "", "title": "2028年重点工作",
                                                        "status": "active"})  # fmt: skip
    assert response.status_code == 302
    plan = Plan.objects.get(year=2028)
    assert (plan.title, plan.status, plan.acknowledge_workdays) == ("2028年重点工作", "active", 3)
    assert not plan.categories.exists() and not ReportCycle.objects.filter(plan=plan).exists()
    assert (
        not ReminderPolicy.objects.filter(plan=plan).exists()
        and not LightPolicy.objects.filter(plan=plan).exists()
    )


def test_a_year_that_exists_is_refused_with_a_clear_error(cast, office):
    response = office.post(reverse("setup:year-open"), {"year": 2026, "source": "", "status": "draft"})
    assert response.status_code == 400
    assert "The plan year 2026 already exists." in response.content.decode()
    with pytest.raises(ActionError):
        actions.open_year(by=cast.user("office"), year=2026)


def test_the_open_form_proposes_the_next_year_from_the_newest(cast, office):
    form = office.get(reverse("setup:year-open")).context["form"]
    assert form.initial == {"year": 2027, "source": cast.plan.pk}


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_open_the_year_once(cast):
    office_user = cast.user("office")

    def send(i):
        return english(cast.client("office")).post(
            reverse("setup:year-open"), {"year": 2027, "source": cast.plan.pk, "status": "draft"}
        )

    codes = statuses(at_once(2, send))
    assert codes.count(302) == 1 and all(c == 400 for c in codes if c != 302)
    plan = Plan.objects.get(year=2027)
    assert plan.categories.count() == 1
    assert plan.history.filter(history_type="+").count() == 1
    assert history_user(plan) == office_user


def test_the_office_edits_a_year(cast, office):
    url = reverse("setup:year-detail", args=[2026])
    response = office.post(
        url, {"title": "2026年区政府重点工作", "status": "active", "acknowledge_workdays": 4}
    )
    assert response.status_code == 302
    cast.plan.refresh_from_db()
    assert (cast.plan.title, cast.plan.acknowledge_workdays) == ("2026年区政府重点工作", 4)
    assert history_user(cast.plan) == cast.user("office")
    response = office.post(url, {"title": "", "status": "active", "acknowledge_workdays": 0})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "acknowledge_workdays"}


def test_closing_a_year_asks_first_then_closes_it_once(cast, office):
    url = reverse("setup:year-close", args=[2026])
    page = office.get(url)
    assert page.status_code == 200 and page.context["open_tasks"] == 2
    cast.plan.refresh_from_db()
    assert cast.plan.status == "active"  # looking at the confirmation changes nothing
    response = office.post(url, {"reason": "年度考核结束"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("setup:year-list")
    cast.plan.refresh_from_db()
    assert cast.plan.status == "closed"
    entry = cast.plan.history.first()
    assert entry.history_user == cast.user("office") and entry.history_change_reason == "年度考核结束"
    again = office.post(url)
    assert again.status_code == 409
    assert "The plan year 2026 is already closed." in messages_of(again)
    assert cast.plan.history.filter(status="closed").count() == 1
    assert Task.objects.get(pk=cast.task_a.pk).status == "draft"  # closing a year closes no task


def test_a_closed_year_is_reopened_on_its_page_but_not_closed_there(cast, office):
    url = reverse("setup:year-detail", args=[2026])
    response = office.post(url, {"title": cast.plan.title, "status": "closed", "acknowledge_workdays": 3})
    assert response.status_code == 400  # closing goes through the confirmation
    actions.close_plan(cast.plan, by=cast.user("office"))
    assert (
        office.post(
            url, {"title": cast.plan.title, "status": "active", "acknowledge_workdays": 3}
        ).status_code
        == 302
    )
    cast.plan.refresh_from_db()
    assert cast.plan.status == "active"


@pytest.mark.django_db(transaction=True)
def test_two_closes_at_once_close_the_year_once(cast):
    url = reverse("setup:year-close", args=[2026])
    codes = statuses(at_once(3, lambda i: cast.client("office").post(url)))
    assert codes.count(302) == 1 and codes.count(409) == 2
    assert Plan.objects.get(pk=cast.plan.pk).history.filter(status="closed").count() == 1


def test_categories_are_added_renamed_reordered_and_deleted(cast, office):
    office_user = cast.user("office")
    year = reverse("setup:year-detail", args=[2026])
    assert office.post(reverse("setup:category-add", args=[2026]), {"name": "民生保障"}).status_code == 302
    added = Category.objects.get(plan=cast.plan, name="民生保障")
    assert added.order == 2 and history_user(added) == office_user

    duplicate = office.post(reverse("setup:category-add", args=[2026]), {"name": "民生保障"})
    assert duplicate.status_code == 400 and "already has a category" in " ".join(messages_of(duplicate))

    office.post(reverse("setup:category-change", args=[added.pk, "rename"]), {"name": "民生保障和社会事业"})
    added.refresh_from_db()
    assert added.name == "民生保障和社会事业" and history_user(added) == office_user

    office.post(reverse("setup:category-change", args=[added.pk, "up"]))
    assert list(cast.plan.categories.order_by("order").values_list("name", flat=True)) == [
        "民生保障和社会事业",
        "产业转型升级",
    ]

    refused = office.post(reverse("setup:category-change", args=[cast.category.pk, "delete"]), follow=True)
    assert "is the category of 2 tasks" in " ".join(messages_of(refused))
    assert Category.objects.filter(pk=cast.category.pk).exists()

    actions_cycles.set_report_cycle(by=office_user, plan=cast.plan, category=added, day_of_month=20)
    response = office.post(reverse("setup:category-change", args=[added.pk, "delete"]))
    assert response["Location"] == year
    assert not Category.objects.filter(pk=added.pk).exists()
    assert not ReportCycle.objects.filter(category_id=added.pk).exists()
    assert Category.history.filter(id=added.pk, history_type="-").get().history_user == office_user


def test_only_the_office_runs_the_year_actions(cast):
    head = cast.user("head_a")
    for run in (
        lambda: actions.open_year(by=head, year=2027, source=cast.plan),
        lambda: actions.update_plan(cast.plan, by=head, title="x", status="active", acknowledge_workdays=3),
        lambda: actions.close_plan(cast.plan, by=head),
        lambda: actions.add_category(cast.plan, "x", by=head),
        lambda: actions.rename_category(cast.category, "x", by=head),
        lambda: actions.move_category(cast.category, 1, by=head),
        lambda: actions.delete_category(cast.category, by=head),
    ):
        with pytest.raises(Forbidden):
            run()
    assert not Plan.objects.filter(year=2027).exists()


def test_a_second_close_through_the_action_is_a_conflict(cast):
    actions.close_plan(cast.plan, by=cast.user("office"))
    with pytest.raises(Conflict):
        actions.close_plan(cast.plan, by=cast.user("office"))


def test_opening_a_year_copies_the_scoring_scheme_when_the_year_had_its_own(cast, office):
    from decimal import Decimal

    from tongtui.assessment import actions as assessment_actions
    from tongtui.assessment.models import Scheme

    clerk = cast.user("office")
    actions.open_year(by=clerk, year=2027, source=cast.plan)
    assert not Scheme.objects.filter(plan__year=2027).exists()  # both years score by the default scheme

    scheme = assessment_actions.ensure_scheme(cast.plan, by=clerk)
    assessment_actions.update_scheme(
        scheme, by=clerk, version=scheme.version, settings={"level_margin": Decimal("1.5")}, rules={}
    )
    actions.open_year(by=clerk, year=2028, source=cast.plan)
    copied = Scheme.objects.get(plan__year=2028)
    assert copied.level_margin == Decimal("1.5") and copied.copied_from == scheme
    assert copied.rules.count() == scheme.rules.count()
