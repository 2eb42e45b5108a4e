import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tongtui.assessment import actions
from tongtui.assessment.ledger_db import Written, preview, recompute, scheme_of
from tongtui.assessment.models import Scheme, ScoreEntry
from tongtui.assessment.rules_data import DEFAULT, RuleKind
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.plans.models import Milestone, Plan, Task
from tongtui.supervision.models import Admonition, RectificationOrder

AS_OF = datetime.date(2026, 6, 30)


def started(cast) -> None:
    Task.objects.filter(plan=cast.plan).update(status="in_progress", assigned_at=timezone.make_aware(
        datetime.datetime(2026, 1, 10, 9)))  # fmt: skip


def points(cast, unit, kind=None) -> Decimal:
    rows = ScoreEntry.objects.filter(plan=cast.plan, unit=unit)
    if kind:
        rows = rows.filter(kind=kind)
    return sum((r.points for r in rows), Decimal(0))


def late_report(cast, days=3) -> ProgressReport:
    return ProgressReport.objects.create(
        task=cast.task_a,
        unit=cast.unit_a,
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 4, 30),
        due=datetime.date(2026, 5, 6),
        status=ReportStatus.ACCEPTED,
        first_submitted_at=timezone.make_aware(datetime.datetime(2026, 5, 11, 10)),
        late_workdays=days,
    )


@pytest.fixture
def scored(cast):
    started(cast)
    late_report(cast)
    Milestone.objects.create(
        task=cast.task_a, title="开工", due=datetime.date(2026, 3, 31), planned_progress=10
    )
    Admonition.objects.create(plan=cast.plan, unit=cast.unit_c, reason="进度滞后", scheduled_for=AS_OF,
                              held_on=datetime.date(2026, 5, 20), talked_with="局长", status="held")  # fmt: skip
    return cast


def test_it_scores_a_plan_with_the_default_scheme(scored):
    cast = scored
    assert scheme_of(cast.plan) == DEFAULT
    recompute(cast.plan, as_of=AS_OF)
    assert points(cast, cast.unit_a, RuleKind.TASK) == 10  # lead of task_a, weight 1
    assert points(cast, cast.unit_c, RuleKind.TASK) == 15  # lead of task_c (10) and co-unit of task_a (5)
    assert points(cast, cast.unit_a, RuleKind.LATE_REPORT) == Decimal("-0.6")  # 3 working days × 0.2
    assert points(cast, cast.unit_a, RuleKind.OVERDUE_MILESTONE) == -1
    assert points(cast, cast.unit_c, RuleKind.OVERDUE_MILESTONE) == 0  # lead only by default
    assert points(cast, cast.unit_c, RuleKind.ADMONITION) == -2
    entry = ScoreEntry.objects.get(kind=RuleKind.LATE_REPORT)
    assert entry.source_type.model == "progressreport" and entry.quantity == 3


def test_recomputing_writes_nothing_when_nothing_changed(scored, django_assert_max_num_queries):
    first = recompute(scored.plan, as_of=AS_OF)
    assert first.created > 0
    before = list(ScoreEntry.objects.order_by("pk").values())
    assert recompute(scored.plan, as_of=AS_OF) == Written(0, 0, 0)
    assert list(ScoreEntry.objects.order_by("pk").values()) == before


def test_it_writes_only_the_difference(scored):
    recompute(scored.plan, as_of=AS_OF)
    ids = set(ScoreEntry.objects.values_list("pk", flat=True))
    ProgressReport.objects.filter(task=scored.task_a).update(late_workdays=5)
    Admonition.objects.all().delete()
    w = recompute(scored.plan, as_of=AS_OF)
    assert w == Written(0, 1, 1)
    assert points(scored, scored.unit_a, RuleKind.LATE_REPORT) == -1
    assert set(ScoreEntry.objects.values_list("pk", flat=True)) < ids


def test_a_report_returned_twice_costs_twice(cast):
    started(cast)
    report = late_report(cast, days=0)
    for day in (12, 20):
        report.status, report.reviewed_at = (
            ReportStatus.RETURNED,
            timezone.make_aware(datetime.datetime(2026, 5, day)),
        )
        report.save()
        report.status = ReportStatus.SUBMITTED
        report.save()
    recompute(cast.plan, as_of=AS_OF)
    assert points(cast, cast.unit_a, RuleKind.RETURNED_REPORT) == -2


def test_only_the_units_asked_for_are_written(scored):
    recompute(scored.plan, units=[scored.unit_a.pk], as_of=AS_OF)
    assert set(ScoreEntry.objects.values_list("unit_id", flat=True)) == {scored.unit_a.pk}
    recompute(scored.plan, as_of=AS_OF)
    full = sorted(ScoreEntry.objects.values_list("unit_id", "kind", "key", "points"))
    recompute(scored.plan, units=[scored.unit_c.pk], as_of=AS_OF)
    assert sorted(ScoreEntry.objects.values_list("unit_id", "kind", "key", "points")) == full


def test_events_are_written_as_they_happen(cast, django_capture_on_commit_callbacks):
    started(cast)
    with django_capture_on_commit_callbacks(execute=True):
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
        )
    assert points(cast, cast.unit_a, RuleKind.ORDER_NOT_PASSED) == -3
    assert points(cast, cast.unit_b) == 0


def test_the_preview_shows_the_change_per_unit_before_it_is_applied(scored):
    cast = scored
    recompute(cast.plan, as_of=AS_OF)
    scheme = actions.ensure_scheme(cast.plan, by=cast.user("office"))
    data = actions.proposed(scheme.data(), {}, {RuleKind.ADMONITION: {"points": Decimal(5)}})
    diffs = {d.unit_id: d for d in preview(cast.plan, data)}
    assert diffs[cast.unit_c.pk].change == -3
    assert cast.unit_a.pk not in diffs
    assert points(cast, cast.unit_c, RuleKind.ADMONITION) == -2  # nothing applied yet


def test_a_scheme_is_copied_to_the_next_year(cast):
    office = cast.user("office")
    scheme = actions.ensure_scheme(cast.plan, by=office)
    actions.update_scheme(scheme, by=office, version=scheme.version, settings={"level_margin": Decimal(1)},
                          rules={RuleKind.LATE_REPORT: {"points": Decimal("0.5")}})  # fmt: skip
    nxt = Plan.objects.create(year=2027, title="2027")
    copy = actions.copy_scheme(cast.plan, nxt, by=office)
    data = copy.data()
    assert data.level_margin == 1 and data.rules[RuleKind.LATE_REPORT].points == Decimal("0.5")
    assert copy.copied_from == scheme
    with pytest.raises(actions.Conflict):
        actions.copy_scheme(cast.plan, nxt, by=office)


def test_a_stale_scheme_edit_is_refused(cast):
    office = cast.user("office")
    scheme = actions.ensure_scheme(cast.plan, by=office)
    seen = scheme.version
    actions.update_scheme(scheme, by=office, version=seen, settings={}, rules={})
    with pytest.raises(actions.Conflict):
        actions.update_scheme(
            Scheme.objects.get(pk=scheme.pk), by=office, version=seen, settings={}, rules={}
        )


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a"])
def test_only_the_office_changes_the_scheme(cast, who):
    with pytest.raises(actions.Forbidden):
        actions.ensure_scheme(cast.plan, by=cast.user(who))


def test_an_adjustment_needs_a_reason(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.add_manual_entry(cast.plan, by=cast.user("office"), unit=cast.unit_a, kind=RuleKind.ADJUSTMENT,
                                 reason="  ", on=AS_OF, points=Decimal(1))  # fmt: skip
