import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tongtui.assessment import actions
from tongtui.assessment.ledger_db import recompute
from tongtui.assessment.models import ManualEntry, RankingPublication, Scheme, SchemeRule
from tongtui.assessment.rules_data import RuleKind
from tongtui.plans.models import Task
from tongtui.supervision.models import RectificationOrder

EN: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """The pages in English (the language switch's cookie), so tests do not depend on translations."""
    from django.conf import settings
    from django.test import Client

    real = Client.__init__

    def init(self, *a, **kw):
        real(self, *a, **kw)
        self.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    monkeypatch.setattr(Client, "__init__", init)


@pytest.fixture
def scored(cast):
    Task.objects.filter(plan=cast.plan).update(status="in_progress", assigned_at=timezone.make_aware(
        datetime.datetime(2026, 1, 10, 9)))  # fmt: skip
    RectificationOrder.objects.create(
        plan=cast.plan,
        unit=cast.unit_a,
        task=cast.task_a,
        problem="台账不全",
        requirement="补齐",
        issued_on=datetime.date(2026, 3, 2),
        workdays=5,
        deadline=datetime.date(2026, 3, 9),
        first_deadline=datetime.date(2026, 3, 9),
        status="not_passed",
        for_assessment=True,
        verified_at=timezone.make_aware(datetime.datetime(2026, 3, 10, 9)),
    )
    recompute(cast.plan, as_of=datetime.date(2026, 6, 30))
    return cast


def url(kind: str, **kw) -> str:
    from django.urls import reverse

    return reverse(f"assessment:{kind}", kwargs={"year": 2026, **kw})


@pytest.mark.parametrize("who", ["office", "leader"])
def test_the_office_and_leaders_see_the_ranking(scored, who):
    r = scored.client(who).get(url("ranking") + "?period=2026", **EN)
    assert r.status_code == 200
    body = r.content.decode()
    assert "区发改局" in body and "区财政局" in body and "城关街道" in body
    assert f'data-unit="{scored.unit_a.pk}"' in body


@pytest.mark.parametrize("who", ["head_a", "liaison_a", "liaison_b", "anonymous"])
def test_others_do_not_see_an_unpublished_ranking(scored, who):
    r = scored.client(who).get(url("ranking") + "?period=2026", **EN)
    assert r.status_code in (404, 302)
    if who == "anonymous":
        assert r.status_code == 302
    else:
        assert r.status_code == 404


def test_a_unit_head_sees_a_published_ranking(scored):
    actions.publish_ranking(scored.plan, "2026-Q1", by=scored.user("office"))
    c = scored.client("head_a")
    assert c.get(url("ranking") + "?period=2026-Q1", **EN).status_code == 200
    assert c.get(url("ranking") + "?period=2026-Q2", **EN).status_code == 404
    other = c.get(url("unit", unit_id=scored.unit_c.pk) + "?period=2026-Q1", **EN)
    assert other.status_code == 200 and 'id="avoidable' not in other.content.decode()
    assert c.get(url("unit", unit_id=scored.unit_c.pk) + "?period=2026-Q2", **EN).status_code == 404


def test_a_unit_head_sees_the_own_score_breakdown_and_what_can_be_avoided(scored):
    RectificationOrder.objects.create(
        plan=scored.plan,
        unit=scored.unit_a,
        task=scored.task_a,
        problem="资料缺失",
        requirement="补齐",
        issued_on=datetime.date(2026, 11, 2),
        workdays=5,
        deadline=datetime.date(2099, 11, 9),
        first_deadline=datetime.date(2099, 11, 9),
        status="issued",
    )
    r = scored.client("head_a").get(url("unit", unit_id=scored.unit_a.pk), **EN)
    body = r.content.decode()
    assert r.status_code == 200
    assert 'id="unit-score">7.00<' in body  # 10 task points − 3 for the order not passed
    assert 'data-kind="order_not_passed"' in body and "资料缺失" in body


@pytest.mark.parametrize("who", ["liaison_a", "liaison_b"])
def test_a_unit_page_is_404_to_others(scored, who):
    assert scored.client(who).get(url("unit", unit_id=scored.unit_a.pk), **EN).status_code == 404


def test_the_index_leads_each_role_to_its_page(scored):
    assert scored.client("office").get("/assessment/").url == url("ranking")
    assert scored.client("head_a").get("/assessment/").url == url("unit", unit_id=scored.unit_a.pk)
    assert scored.client("liaison_b").get("/assessment/").status_code == 404


def test_the_office_previews_a_scheme_change_then_applies_it(scored, django_capture_on_commit_callbacks):
    c = scored.client("office")
    page = c.get(url("scheme"), **EN)
    assert page.status_code == 200 and 'id="default-scheme"' in page.content.decode()
    form = page.context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "groups"}
    data = {k: v for k, v in data.items() if v is not False}
    data[f"{RuleKind.ORDER_NOT_PASSED}-points"] = "5"
    r = c.post(url("scheme"), {**data, "preview": "1"}, **EN)
    assert r.status_code == 200
    diffs = {d.unit_id: d.change for d in r.context["diffs"]}
    assert diffs == {scored.unit_a.pk: Decimal(-2)}
    assert not Scheme.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url("scheme"), {**data, "apply": "1"}, **EN)
    assert r.status_code == 302
    assert SchemeRule.objects.get(kind=RuleKind.ORDER_NOT_PASSED).points == 5


@pytest.mark.parametrize("who", ["leader", "head_a"])
def test_only_the_office_changes_the_scheme_page(scored, who):
    c = scored.client(who)
    assert c.get(url("scheme"), **EN).status_code == 200  # the rules are open to read
    assert c.post(url("scheme"), {"apply": "1"}, **EN).status_code == 404
    assert c.get(url("entries"), **EN).status_code == 404
    assert c.post(url("publish"), {"period": "2026"}, **EN).status_code == 404


def test_the_office_records_a_bonus_and_withdraws_it(scored):
    c = scored.client("office")
    r = c.post(url("entries"), {"unit": scored.unit_b.pk, "kind": RuleKind.PRACTICE, "points": "", "task": "",
                                "on": "2026-05-05", "reason": "典型经验被市委采纳"}, **EN)  # fmt: skip
    assert r.status_code == 302
    entry = ManualEntry.objects.get()
    r = c.post(url("withdraw", pk=entry.pk), {"reason": "重复录入"}, **EN)
    assert r.status_code == 302
    entry.refresh_from_db()
    assert entry.withdrawn


def test_publishing_twice_publishes_once(scored):
    c = scored.client("office")
    for _i in range(2):
        assert c.post(url("publish"), {"period": "2026-Q2"}, **EN).status_code == 302
    assert RankingPublication.objects.count() == 1


def test_a_late_report_shows_its_working_days(scored):
    from tongtui.dispatch.models import ProgressReport, ReportStatus

    ProgressReport.objects.create(
        task=scored.task_a, unit=scored.unit_a, period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 4, 30), due=datetime.date(2026, 5, 6), status=ReportStatus.ACCEPTED,
        first_submitted_at=timezone.make_aware(datetime.datetime(2026, 5, 11, 10)), late_workdays=3,
    )  # fmt: skip
    recompute(scored.plan, as_of=datetime.date(2026, 6, 30))
    r = scored.client("head_a").get(url("unit", unit_id=scored.unit_a.pk), **EN)
    assert r.status_code == 200 and "3 working days" in r.content.decode()


@pytest.mark.parametrize(
    ("who", "shown"), [("office", True), ("leader", True), ("head_a", True), ("liaison_a", False)]
)
def test_the_menu_offers_assessment_to_office_leaders_and_unit_heads(scored, who, shown):
    body = scored.client(who).get("/tasks/").content.decode()
    assert ('id="nav-assessment"' in body) is shown


@pytest.mark.parametrize("margin, level", [(Decimal("0"), False), (Decimal("50"), True)])
def test_units_within_the_margin_are_marked_level_on_the_ranking_and_the_cockpit(scored, margin, level):
    Scheme.objects.update_or_create(plan=scored.plan, defaults={"level_margin": margin})
    ranking = scored.client("office").get(url("ranking") + "?period=2026").content.decode()
    assert ("≈</span>" in ranking) is level
    if level:  # the tooltip names the units it is level with (the unit with the order deducted differs)
        assert 'title="Level with: ' in ranking
    cockpit = scored.client("office").get("/cockpit/").content.decode()
    assert ("Within the margin of another unit" in cockpit) is level
