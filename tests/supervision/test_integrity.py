from dataclasses import replace
from datetime import datetime

from tongtui.supervision.signals.facts import TaskFacts
from tongtui.supervision.signals.flags import Flag, FlagKind, IntegrityRules, rank_tasks
from tongtui.supervision.signals.integrity import (
    edit_flags,
    evidence_reuse_flags,
    progress_flags,
    progress_series,
    task_flags,
)

from .helpers import D, ms, rep


def monthly(*progress, year=2026, **kw):
    ends = [
        D(year, 1, 31),
        D(year, 2, 28),
        D(year, 3, 31),
        D(year, 4, 30),
        D(year, 5, 31),
        D(year, 6, 30),
        D(year, 7, 31),
        D(year, 8, 31),
        D(year, 9, 30),
        D(year, 10, 31),
        D(year, 11, 30),
        D(year, 12, 31),
    ]
    return tuple(rep(ends[i], p, report_id=i + 1, **kw) for i, p in enumerate(progress))


def task(reports, **kw) -> TaskFacts:
    base = TaskFacts(
        task_id=9, status="in_progress", start=D(2026, 1, 1), due=D(2026, 12, 31), reports=reports
    )
    return replace(base, **kw)


def kinds(flags):
    return [f.kind for f in flags]


def test_steady_progress_raises_no_flag():
    facts = task(monthly(8, 16, 25, 33, 41, 50, 58, 66, 75, 83, 91, 100, evidence_hashes=("h",)))
    assert progress_flags(facts, D(2027, 1, 10)) == []


def test_a_jump_far_above_the_tasks_own_pace_is_flagged():
    facts = task(monthly(5, 10, 15, 20, 65), milestones=(ms(D(2026, 12, 31), 100),))
    flags = progress_flags(facts, D(2026, 6, 10))
    assert kinds(flags) == [FlagKind.PROGRESS_JUMP]
    f = flags[0]
    assert f.report_id == 5 and f.figures["jump"] == 45 and f.figures["previous"] == 20
    assert f.text("en").startswith("progress jumped 45 points (20% to 65%)")


def test_a_jump_the_plan_asked_for_is_not_flagged():
    # a back-loaded plan: 10 % by April, 80 % by May
    milestones = (ms(D(2026, 4, 30), 10), ms(D(2026, 5, 31), 80), ms(D(2026, 12, 31), 100))
    facts = task(monthly(2, 5, 8, 10, 60), milestones=milestones)
    assert progress_flags(facts, D(2026, 6, 10)) == []


def test_a_small_jump_is_not_flagged_however_slow_the_pace():
    facts = task(monthly(1, 2, 3, 4, 30))
    assert progress_flags(facts, D(2026, 6, 10)) == []


def test_straight_to_100_at_the_deadline_from_far_below_is_flagged():
    facts = task(
        monthly(5, 10, 15, 20, 25, 30, 30, 30, 30, 30, 30, 100), milestones=(ms(D(2026, 12, 31), 100),)
    )
    flags = progress_flags(facts, D(2027, 1, 10), IntegrityRules(completion_needs_evidence=False))
    assert kinds(flags) == [FlagKind.DEADLINE_JUMP]
    assert flags[0].text("zh") == "临近或超过完成时限时进度由30%直接升至100%"


def test_reaching_100_early_from_far_below_is_a_jump_not_a_deadline_jump():
    facts = task(monthly(5, 10, 15, 20, 100, evidence_hashes=("h",)))
    assert kinds(progress_flags(facts, D(2026, 6, 10))) == [FlagKind.PROGRESS_JUMP]


def test_completion_without_evidence_is_flagged_once():
    facts = task(monthly(70, 85, 100, 100))
    flags = progress_flags(facts, D(2026, 5, 10))
    assert kinds(flags) == [FlagKind.COMPLETION_WITHOUT_EVIDENCE]
    assert flags[0].report_id == 3
    assert (
        flags[0].text("en")
        == "completion claimed without the required evidence (report for 2026-03-31 at 100%)"
    )


def test_a_milestone_marked_done_without_its_required_evidence_is_flagged():
    done = ms(D(2026, 3, 31), 30, done_on=D(2026, 3, 30), evidence_required=True, title="完成立项")
    proven = ms(D(2026, 6, 30), 60, done_on=D(2026, 6, 29), evidence_required=True, has_evidence=True)
    facts = task(monthly(10, 20, 30), milestones=(done, proven))
    flags = progress_flags(facts, D(2026, 7, 10))
    assert kinds(flags) == [FlagKind.COMPLETION_WITHOUT_EVIDENCE]
    assert flags[0].text("zh") == "报告已完成但未附佐证材料(节点“完成立项”)"
    assert progress_flags(facts, D(2026, 3, 29)) == []


def test_progress_stuck_between_80_and_95_for_several_reports_is_flagged():
    facts = task(monthly(40, 60, 85, 88, 90, 90, 92))
    flags = progress_flags(facts, D(2026, 8, 10))
    assert kinds(flags) == [FlagKind.STUCK_NEAR_DONE]
    f = flags[0]
    assert f.figures["count"] == 5 and f.report_id == 7 and f.figures["since"] == D(2026, 3, 31)
    assert f.text("en") == "progress stuck between 80% and 95% for 5 reports in a row (since 2026-03-31)"


def test_two_reports_near_done_are_not_yet_stuck():
    facts = task(monthly(40, 60, 85, 90, 100, evidence_hashes=("h",)))
    assert progress_flags(facts, D(2026, 8, 10)) == []


def test_the_stuck_window_is_configurable():
    facts = task(monthly(40, 60, 85, 90))
    assert kinds(progress_flags(facts, D(2026, 8, 10), IntegrityRules(stuck_reports=2))) == [
        FlagKind.STUCK_NEAR_DONE
    ]


def test_progress_going_backwards_does_not_count_as_pace():
    facts = task(monthly(10, 20, 5, 15, 25, 35))
    assert progress_flags(facts, D(2026, 8, 10)) == []


def test_only_reports_known_on_the_date_are_checked():
    reports = monthly(5, 10, 15, 20) + (rep(D(2026, 5, 31), 70, submitted=D(2026, 6, 20), report_id=5),)
    facts = task(reports)
    assert progress_flags(facts, D(2026, 6, 10)) == []
    assert kinds(progress_flags(facts, D(2026, 6, 21))) == [FlagKind.PROGRESS_JUMP]


def test_a_resubmission_for_the_same_period_replaces_the_earlier_one():
    reports = (
        rep(D(2026, 1, 31), 10),
        rep(D(2026, 1, 31), 12, submitted=D(2026, 2, 3)),
        rep(D(2026, 2, 28), 20),
    )
    series = progress_series(reports, D(2026, 3, 10))
    assert [r.progress for r in series] == [12, 20]


def test_an_edit_after_submission_is_flagged_but_a_quick_correction_is_not():
    quick = rep(
        D(2026, 3, 31), 30, submitted=datetime(2026, 4, 2, 9, 0), edited_at=datetime(2026, 4, 2, 9, 20)
    )
    later = rep(
        D(2026, 3, 31), 30, submitted=datetime(2026, 4, 2, 9, 0), edited_at=datetime(2026, 4, 9, 16, 5)
    )
    assert edit_flags([quick], D(2026, 5, 1)) == []
    flags = edit_flags([later], D(2026, 5, 1))
    assert kinds(flags) == [FlagKind.EDITED_AFTER_SUBMISSION]
    assert flags[0].text("en") == (
        "the report was changed after submission (submitted 2026-04-02 09:00, changed 2026-04-09 16:05)"
    )


def test_an_edit_is_unknown_before_it_happened():
    later = rep(
        D(2026, 3, 31), 30, submitted=datetime(2026, 4, 2, 9, 0), edited_at=datetime(2026, 6, 9, 16, 5)
    )
    assert edit_flags([later], D(2026, 5, 1)) == []
    flags = edit_flags([later], D(2026, 6, 10))
    assert flags[0].figures["after_period"] is True and flags[0].strength > 0.5


def test_with_dates_only_an_edit_on_a_later_day_counts():
    assert (
        edit_flags([rep(D(2026, 3, 31), 30, submitted=D(2026, 4, 2), edited_at=D(2026, 4, 2))], D(2026, 5, 1))
        == []
    )
    assert (
        len(
            edit_flags(
                [rep(D(2026, 3, 31), 30, submitted=D(2026, 4, 2), edited_at=D(2026, 4, 3))], D(2026, 5, 1)
            )
        )
        == 1
    )


def test_a_report_filed_long_after_its_period_is_flagged_as_backdated():
    late = rep(D(2026, 1, 31), 30, submitted=D(2026, 5, 6))
    flags = edit_flags([late, rep(D(2026, 4, 30), 40, submitted=D(2026, 5, 6))], D(2026, 6, 1))
    assert kinds(flags) == [FlagKind.BACKDATED]
    assert flags[0].text("zh") == "报告在所报期间结束95天后才提交(期间截至2026-01-31,提交于2026-05-06)"


def test_evidence_reused_by_another_unit_is_flagged_on_the_later_report():
    first = rep(D(2026, 3, 31), 30, report_id=1, unit_id=10, task_id=1, evidence_hashes=("aa", "bb"))
    again = rep(
        D(2026, 3, 31),
        50,
        submitted=D(2026, 4, 5),
        report_id=2,
        unit_id=20,
        task_id=2,
        evidence_hashes=("aa",),
    )
    flags = evidence_reuse_flags([again, first], D(2026, 5, 1))
    assert [(f.kind, f.report_id) for f in flags] == [(FlagKind.EVIDENCE_REUSED, 2)]
    f = flags[0]
    assert f.figures["cross_unit"] and f.figures["first_report"] == 1 and f.figures["hashes"] == ["aa"]
    assert f.text("en") == "evidence files already used in another unit's report (1 file(s))"


def test_evidence_reused_by_the_same_unit_ranks_lower():
    own = [
        rep(D(2026, 3, 31), 30, report_id=1, unit_id=10, evidence_hashes=("aa",)),
        rep(D(2026, 4, 30), 40, report_id=2, unit_id=10, evidence_hashes=("aa",)),
    ]
    other = [
        rep(D(2026, 3, 31), 30, report_id=3, unit_id=10, evidence_hashes=("bb",)),
        rep(D(2026, 4, 30), 40, report_id=4, unit_id=20, evidence_hashes=("bb",)),
    ]
    flags = {f.report_id: f for f in evidence_reuse_flags(own + other, D(2026, 6, 1))}
    assert set(flags) == {2, 4}
    assert flags[2].strength < flags[4].strength
    assert flags[2].text("zh") == "佐证材料与本单位此前的报告中已用过的文件相同(1个文件)"


def test_a_file_listed_twice_in_one_report_is_not_reuse():
    r = rep(D(2026, 3, 31), 30, report_id=1, unit_id=10, evidence_hashes=("aa", "aa"))
    assert evidence_reuse_flags([r], D(2026, 5, 1)) == []


def test_task_flags_combine_progress_and_edit_checks():
    reports = monthly(5, 10, 15, 20, 65)[:-1] + (
        rep(D(2026, 5, 31), 65, submitted=D(2026, 6, 2), edited_at=D(2026, 6, 5), report_id=5),
    )
    assert sorted(kinds(task_flags(task(reports), D(2026, 6, 10)))) == sorted(
        [FlagKind.PROGRESS_JUMP, FlagKind.EDITED_AFTER_SUBMISSION]
    )


def test_tasks_rank_by_combined_strength():
    flags = [
        Flag(FlagKind.PROGRESS_JUMP, 0.5, task_id=1),
        Flag(FlagKind.EVIDENCE_REUSED, 0.5, task_id=1),
        Flag(FlagKind.STUCK_NEAR_DONE, 0.6, task_id=2),
        Flag(FlagKind.BACKDATED, 0.6, task_id=3),
        Flag(FlagKind.BACKDATED, 0.9, task_id=None),
    ]
    ranked = rank_tasks(flags)
    assert [(r.task_id, r.score) for r in ranked] == [(1, 0.75), (2, 0.6), (3, 0.6)]
    assert ranked[0].kinds == (FlagKind.PROGRESS_JUMP, FlagKind.EVIDENCE_REUSED)
