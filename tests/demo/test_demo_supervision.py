import datetime
from collections import Counter

from tests.demo.conftest import TODAY
from tongtui.supervision.models import (
    Admonition,
    IntegrityFlag,
    LightHistory,
    RectificationOrder,
    SpotCheck,
    SpotCheckItem,
)


def test_lights_are_mostly_green_or_yellow_and_a_few_red(built, db):
    # the demo's day: the current light (TaskLight) is stored only when that day is the real today,
    # the day's history row always
    lights = Counter(
        LightHistory.objects.filter(task__plan__year=2026, date=TODAY).values_list("light", flat=True)
    )
    total = sum(lights.values())
    assert total == built.counts["tasks"]
    assert lights["green"] + lights["yellow"] > 0.6 * total
    assert 0.05 * total <= lights["red"] <= 0.25 * total


def test_integrity_flags_find_the_planted_near_copies_and_the_stuck_task(built, db):
    kinds = set(IntegrityFlag.objects.values_list("kind", flat=True))
    assert {"text_matches_other_unit", "stuck_near_done"} <= kinds


def test_one_order_is_open_with_a_deadline_and_one_verified(built, db):
    orders = Counter(RectificationOrder.objects.values_list("status", flat=True))
    assert orders == {"issued": 1, "passed": 1}
    assert RectificationOrder.objects.get(status="issued").deadline > TODAY


def test_an_admonition_was_held_with_commitments(built, db):
    adm = Admonition.objects.get()
    assert adm.status == "held" and adm.commitments and adm.tasks.exists()


def test_a_spot_check_was_drawn_with_a_seed_and_two_items_verified(built, db):
    check = SpotCheck.objects.get()
    assert check.seed
    results = Counter(SpotCheckItem.objects.filter(spot_check=check).values_list("result", flat=True))
    assert (
        results["pending"] < sum(results.values())
        and sum(v for k, v in results.items() if k != "pending") == 2
    )


def test_the_light_history_covers_the_year_day_by_day(built, db):
    """Replayed as known on each past day, so the cockpit's trend and each task's chart show the year."""
    import datetime

    rows = LightHistory.objects.filter(task__plan__year=2026)
    days = Counter(rows.values_list("date", flat=True))
    assert min(days) == datetime.date(2026, 1, 1) and max(days) == TODAY
    assert len(days) == (TODAY - datetime.date(2026, 1, 1)).days + 1 == built.counts["light history days"] + 1
    assert set(days.values()) == {built.counts["tasks"]}
    january = Counter(rows.filter(date=datetime.date(2026, 1, 31)).values_list("light", flat=True))
    autumn = Counter(rows.filter(date=datetime.date(2026, 10, 31)).values_list("light", flat=True))
    assert january != autumn  # the year moved: the lights of January are not those of the autumn


def test_honest_reports_of_the_demo_are_not_taken_for_last_months_with_new_figures(built, db):
    """Real reports share a template; the demo's honest ones must still differ in what they name each month,
    or the check at submission would flag them (it flags only the stuck task and the planted copies)."""
    from tongtui.dispatch.models import ProgressReport

    filed = ProgressReport.objects.exclude(submitted_at=None).count()
    repeats = IntegrityFlag.objects.filter(kind__in=["figures_changed_only", "same_as_prefill"]).count()
    assert filed > 500 and repeats <= 0.01 * filed


# Assessment and bulletins (demo/assessment.py), on the same build.


def test_each_finished_quarter_has_its_ranking_lists_and_bulletin_published(built, db):
    from tongtui.assessment.models import ManualEntry, RankingPublication, ScoreEntry
    from tongtui.demo.assessment import BONUSES
    from tongtui.publicity.models import Bulletin

    assert built.counts["bonuses"] == 5
    assert ManualEntry.objects.filter(reason__in=[reason for _kind, reason in BONUSES]).count() == 5
    assert all(e.reason for e in ManualEntry.objects.all())  # the practices' bonuses carry theirs too
    pubs = RankingPublication.objects.filter(plan__year=2026).order_by("period")
    assert [(p.period, p.with_lists) for p in pubs] == [("2026-Q1", True), ("2026-Q2", True), ("2026-Q3", True)]
    assert ScoreEntry.objects.filter(plan__year=2026).values("unit").distinct().count() >= 20
    published = list(Bulletin.objects.filter(status="published").order_by("number"))
    assert [(b.number, b.as_of, b.ranking_period) for b in published] == [
        (1, datetime.date(2026, 3, 31), "2026-Q1"),
        (2, datetime.date(2026, 6, 30), "2026-Q2"),
        (3, datetime.date(2026, 9, 30), "2026-Q3"),
    ]
    q3 = published[-1]
    assert "红灯" in q3.overview and "红榜" in q3.rankings and "黑榜" in q3.rankings
    draft = Bulletin.objects.get(status="draft")
    assert (draft.period_start, draft.as_of) == (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))


def test_the_quarters_bulletins_count_that_days_lights_not_todays(built, db):
    from tongtui.publicity.facts import tasks_in_scope
    from tongtui.publicity.models import Bulletin
    from tongtui.supervision.models import TaskLight

    for b in Bulletin.objects.filter(status="published"):
        ids = list(tasks_in_scope(b.plan, "plan", None, None).values_list("pk", flat=True))
        red_then = LightHistory.objects.filter(date=b.as_of, task_id__in=ids, light="red").count()
        red_now = TaskLight.objects.filter(task_id__in=ids, light="red").count()
        assert red_then != red_now, b.as_of  # else this test could not tell the two apart
        assert f"红灯{red_then}项" in b.overview, (b.as_of, b.overview)
