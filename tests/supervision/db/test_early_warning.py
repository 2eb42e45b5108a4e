"""The early warning in the stored lights: the latest report's words and the lead unit's record, loaded set-based."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tongtui.dispatch.models import ProgressReport
from tongtui.plans.models import Milestone
from tongtui.supervision.facts_db import load_facts
from tongtui.supervision.recompute import Setups, evaluate
from tongtui.supervision.signals.days import CALENDAR
from tongtui.supervision.warning_db import load_unit_records, with_latest_texts

from .conftest import D

AS_OF = D(2026, 6, 16)  # two weeks before the second quarter's milestone (50 % on 30 June)


def on_plan(lights, *, q1_done, problems=""):
    """task_a reports on plan every month to May; its first milestone (25 %, 31 March) verified on `q1_done`."""
    task = lights.cast.task_a
    reports = [
        lights.report(task, m, p, submitted=D(2026, m + 1, 3))
        for m, p in ((1, 8), (2, 17), (3, 25), (4, 34), (5, 43))
    ]
    Milestone.objects.filter(pk=lights.milestones[0].pk).update(done_on=q1_done)
    if problems:
        ProgressReport.objects.filter(pk=reports[-1].pk).update(problems=problems)
    return task


def light_of(task, as_of=AS_OF):
    _, (result,) = evaluate([task.pk], as_of)
    return result


def codes(result):
    return [r.code for r in result.reasons]


def test_a_task_on_plan_whose_claims_held_is_green(lights):
    task = on_plan(lights, q1_done=D(2026, 3, 27))
    result = light_of(task)
    assert result.light == "green", result.texts("en")


def test_a_unit_whose_claim_did_not_hold_is_read_back_by_the_days_it_hid(lights):
    # March's report said 25 %, the milestone was verified done only on 12 May: six weeks hidden
    task = on_plan(lights, q1_done=D(2026, 5, 12))
    result = light_of(task)
    assert result.light in ("yellow", "red")
    assert codes(result)[0] == "milestone_at_risk"
    remark = next(r for r in result.reasons if r.code == "claims_not_held")
    assert remark.light is None
    assert remark.figures["count"] == 1 and remark.figures["claims"] == 1
    assert remark.text("zh").startswith("该单位此前报已达到的1个节点中,1个核实时尚未完成")


def test_the_latest_reports_risk_words_slow_the_expected_pace(lights):
    task = on_plan(lights, q1_done=D(2026, 3, 27), problems="受征地拆迁影响,土方开挖进度滞后。")
    result = light_of(task)
    assert codes(result)[0] == "milestone_at_risk"
    words = next(r for r in result.reasons if r.code == "report_risk_words")
    assert words.figures["words"] == "受征地拆迁影响、滞后"
    assert words.text("en") == "the report for 2026-05-31 says: 受征地拆迁影响、滞后"


def test_words_denying_a_risk_do_not_count(lights):
    task = on_plan(
        lights, q1_done=D(2026, 3, 27), problems="已提前做好防汛准备,施工未受降雨影响,无进度滞后情况。"
    )
    assert light_of(task).light == "green"


def test_only_the_latest_reports_text_is_read(lights):
    task = on_plan(lights, q1_done=D(2026, 3, 27))
    ProgressReport.objects.filter(task=task, period_end=D(2026, 4, 30)).update(problems="资金尚未到位")
    (facts,) = with_latest_texts(load_facts([task.pk], AS_OF).facts, AS_OF)
    texts = {r.period_end: r.text for r in facts.reports}
    assert texts[D(2026, 5, 31)] == "完成了本月工作"
    assert texts[D(2026, 4, 30)] == ""


def test_a_units_record_counts_its_claims_over_every_task_it_leads(lights):
    on_plan(lights, q1_done=D(2026, 5, 12))
    unit = lights.cast.unit_a.pk
    record = load_unit_records([unit], AS_OF, axis=CALENDAR)[unit]
    assert (record.claims, record.overstated, record.hidden_days) == (1, 1, 42)
    # known on 31 March only as a claim: not judged until the report has had time to be verified
    early = load_unit_records([unit], D(2026, 4, 10), axis=CALENDAR).get(unit)
    assert early is None or early.overstated == 0


def test_the_record_is_loaded_once_per_batch(lights):
    task = on_plan(lights, q1_done=D(2026, 5, 12))
    setups = Setups()
    evaluate([task.pk], AS_OF, setups=setups)
    with CaptureQueriesContext(connection) as second:
        evaluate([task.pk], AS_OF, setups=setups)
    with CaptureQueriesContext(connection) as first:
        evaluate([task.pk], AS_OF)
    assert len(second) < len(first)


def test_tasks_without_a_milestone_due_soon_cost_no_extra_queries(lights):
    task = on_plan(lights, q1_done=D(2026, 5, 12))
    far = D(2026, 5, 6)  # the next milestone is seven weeks away
    with CaptureQueriesContext(connection) as lit:
        light_of(task, far)
    sql = [q["sql"] for q in lit.captured_queries]
    assert not any('"dispatch_progressreport"."done"' in q for q in sql)  # no texts
    assert sum('FROM "plans_milestone"' in q for q in sql) == 1  # no unit record


def test_a_units_record_from_facts_already_loaded_is_the_same_and_reads_no_facts_again(lights):
    """The lights of a plan as of a past day load every task's facts once: the lead units' records take the
    batch's facts (less the progress recorded outside reports) instead of loading them again."""
    from tongtui.plans.models import Task
    from tongtui.supervision.warning_db import without_recorded

    task = on_plan(lights, q1_done=D(2026, 5, 12))
    Task.objects.filter(pk=task.pk).update(progress=50, progress_on=D(2026, 6, 10))  # newer than every report
    unit = lights.cast.unit_a.pk
    ids = list(Task.objects.filter(lead_unit_id=unit).values_list("pk", flat=True))
    known = {f.task_id: f for f in load_facts(ids, AS_OF).facts}
    assert any(r.report_id is None for r in known[task.pk].reports)  # the recorded reading is there
    plain = {f.task_id: f for f in load_facts(ids, AS_OF, include_recorded=False).facts}
    assert {tid: without_recorded(f) for tid, f in known.items()} == plain
    fresh = load_unit_records([unit], AS_OF, axis=CALENDAR)
    with CaptureQueriesContext(connection) as ctx:
        reused = load_unit_records([unit], AS_OF, axis=CALENDAR, known=known)
    assert reused == fresh and reused[unit].claims == 1
    assert [q["sql"] for q in ctx.captured_queries if 'FROM "dispatch_progressreport"' in q["sql"]] == []
