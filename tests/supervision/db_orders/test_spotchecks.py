import datetime

import pytest

from tongtui.core.errors import ActionError, Forbidden
from tongtui.plans.models import Task
from tongtui.supervision import actions_spotchecks as checks
from tongtui.supervision.models import CheckResult, IntegrityFlag, OrderStatus, SpotCheck

D = datetime.date


@pytest.fixture
def closed_tasks(cast):
    tasks = [
        Task.objects.create(
            plan=cast.plan,
            code=f"9.{i}",
            title=f"任务{i}",
            lead_unit=cast.unit_a if i % 2 else cast.unit_b,
            status="closed",
            due=D(2026, 12, 31),
        )  # fmt: skip
        for i in range(1, 21)
    ]
    risky = tasks[3]
    IntegrityFlag.objects.create(plan=cast.plan, kind="deadline_jump", task=risky, strength=0.9, reason="r",
                                 as_of=D(2026, 11, 1), computed_at="2026-11-01T00:00Z", fingerprint="x")  # fmt: skip
    return tasks


def draw(cast, seed="audit-1", size=5):
    return checks.draw_spot_check(
        by=cast.user("office"), plan=cast.plan, title="第三季度抽查", size=size, seed=seed
    )


def test_the_same_seed_over_the_same_tasks_draws_the_same_sample(cast, closed_tasks):
    a, b = draw(cast), draw(cast)
    assert list(a.items.values_list("task_id", "key")) == list(b.items.values_list("task_id", "key"))
    assert a.population_size == 20 and a.population_filter == {"completed": True}
    other = draw(cast, seed="audit-2")
    assert list(other.items.values_list("task_id", flat=True)) != list(
        a.items.values_list("task_id", flat=True)
    )


def test_a_flagged_task_carries_its_risk_into_the_draw(cast, closed_tasks):
    item = draw(cast, size=20).items.get(task=closed_tasks[3])
    assert item.risk == 0.9 and item.weight == pytest.approx(1.1)


def test_an_empty_seed_gets_a_fresh_one_that_is_kept(cast, closed_tasks):
    check = draw(cast, seed="")
    assert len(check.seed) == 16
    assert SpotCheck.objects.get(pk=check.pk).seed == check.seed


def test_open_tasks_are_not_drawn_unless_they_advanced(cast, closed_tasks):
    check = draw(cast, size=30)
    assert cast.task_a.pk not in set(check.items.values_list("task_id", flat=True))
    Task.objects.filter(pk=cast.task_a.pk).update(progress=40, progress_on=D(2026, 10, 20))
    since = checks.draw_spot_check(by=cast.user("office"), plan=cast.plan, title="t", size=30, seed="s",
                                   completed=False, advanced_since=D(2026, 10, 1))  # fmt: skip
    assert list(since.items.values_list("task_id", flat=True)) == [cast.task_a.pk]


def test_only_the_office_draws(cast, closed_tasks):
    with pytest.raises(Forbidden):
        checks.draw_spot_check(by=cast.user("leader"), plan=cast.plan, title="t", size=3)


def test_not_confirmed_opens_a_rectification_order_in_one_step_and_is_marked_for_assessment(
    cast, closed_tasks
):
    item = draw(cast).items.first()
    with pytest.raises(ActionError):
        checks.record_check(item, by=cast.user("office"), result=CheckResult.NOT_CONFIRMED)  # no notes
    checks.record_check(item, by=cast.user("office"), result=CheckResult.NOT_CONFIRMED, notes="现场未见施工")
    assert item.for_assessment
    order = checks.open_order_from_item(item, by=cast.user("office"))
    assert order.unit_id == item.task.lead_unit_id and order.task_id == item.task_id
    assert order.status == OrderStatus.ISSUED and order.for_assessment and "现场未见施工" in order.problem
    assert checks.open_order_from_item(item, by=cast.user("office")) == order  # once only


def test_a_confirmed_result_opens_no_order(cast, closed_tasks):
    item = draw(cast).items.first()
    checks.record_check(item, by=cast.user("office"), result=CheckResult.CONFIRMED)
    assert not item.for_assessment
    with pytest.raises(ActionError):
        checks.open_order_from_item(item, by=cast.user("office"))


@pytest.mark.parametrize("who,code", [("office", 200), ("leader", 200), ("head_a", 404), ("liaison_a", 404),
                                      ("liaison_b", 404)])  # fmt: skip
def test_spot_check_pages_are_for_the_office_and_leaders(cast, closed_tasks, who, code):
    check = draw(cast)
    c = cast.client(who)
    assert c.get("/supervision/spot-checks/").status_code == code
    assert c.get(f"/supervision/spot-checks/{check.pk}/").status_code == code


def test_the_office_draws_records_and_opens_an_order_through_the_pages(cast, closed_tasks):
    c = cast.client("office")
    assert c.get("/supervision/spot-checks/new/").status_code == 200
    r = c.post(
        "/supervision/spot-checks/new/", {"title": "抽查", "size": 4, "seed": "abc", "completed": "on"}
    )
    check = SpotCheck.objects.get()
    assert r["Location"] == f"/supervision/spot-checks/{check.pk}/"
    assert "abc" in c.get(r["Location"]).text
    item = check.items.first()
    c.post(
        f"/supervision/spot-checks/{check.pk}/items/{item.pk}/record/",
        {"result": "not_confirmed", "notes": "未见"},
    )
    r = c.post(f"/supervision/spot-checks/{check.pk}/items/{item.pk}/order/")
    item.refresh_from_db()
    assert item.order is not None and r["Location"] == f"/supervision/orders/{item.order.pk}/"


def test_a_leader_cannot_record_a_verification(cast, closed_tasks):
    check = draw(cast)
    item = check.items.first()
    r = cast.client("leader").post(
        f"/supervision/spot-checks/{check.pk}/items/{item.pk}/record/", {"result": "confirmed"}
    )
    assert r.status_code == 404
    item.refresh_from_db()
    assert item.result == CheckResult.PENDING
