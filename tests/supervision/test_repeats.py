"""Reports submitted as last period's, flagged for the office (pure)."""

import datetime

from tests.dispatch.test_repeats import APRIL_HONEST, MARCH_DONE, MARCH_NEXT
from tongtui.supervision.signals.flags import FlagKind
from tongtui.supervision.signals.repeats import ReportText, check, previous, repeat_flags

D = datetime.date
FIGURES_ONLY = MARCH_DONE.replace("45%", "58%").replace("10个", "13个")


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 10)


def text(rid, month, done, next_steps="", *, submitted=None, task=1, **kw) -> ReportText:
    start = D(2026, month, 1)
    end = D(2026, month + 1, 1) - datetime.timedelta(days=1)
    return ReportText(rid, task, 7, start, end, submitted or at(D(2026, month, 25)), done, next_steps, **kw)


MARCH = text(1, 3, MARCH_DONE, MARCH_NEXT)


def test_the_pre_fill_submitted_unchanged_is_flagged_with_its_passage_and_the_report_it_came_from():
    (flag,) = repeat_flags([MARCH, text(2, 4, MARCH_NEXT)], D(2026, 4, 30))
    assert flag.kind == FlagKind.SAME_AS_PREFILL and flag.report_id == 2 and flag.unit_id == 7
    assert flag.figures["other_report"] == 1 and flag.figures["passages"] == [MARCH_NEXT]
    assert flag.period == D(2026, 4, 30) and 0 < flag.strength < 1
    assert "2026-03-31" in flag.text("en") and MARCH_NEXT in flag.text("zh-hans")


def test_figures_changed_only_names_the_figures_in_its_reason():
    (flag,) = repeat_flags([MARCH, text(2, 4, FIGURES_ONLY)], D(2026, 4, 30))
    assert flag.kind == FlagKind.FIGURES_CHANGED_ONLY
    assert "45→58、10→13" in flag.text("zh-hans") and "45→58、10→13" in flag.text("en")


def test_the_same_text_word_for_word_says_not_even_the_figures_changed():
    (flag,) = repeat_flags([MARCH, text(2, 4, MARCH_DONE)], D(2026, 4, 30))
    assert "not even the figures" in flag.text("en") and "数字也未改动" in flag.text("zh-hans")


def test_honest_reports_a_first_report_and_other_tasks_are_not_flagged():
    assert repeat_flags([MARCH, text(2, 4, APRIL_HONEST)], D(2026, 4, 30)) == []
    assert repeat_flags([MARCH], D(2026, 4, 30)) == []
    assert repeat_flags([MARCH, text(2, 4, MARCH_NEXT, task=2)], D(2026, 4, 30)) == []


def test_an_imported_report_never_saw_the_form_and_is_not_flagged():
    assert repeat_flags([MARCH, text(2, 4, MARCH_NEXT, imported=True)], D(2026, 4, 30)) == []


def test_a_returned_report_is_compared_against_but_not_flagged_itself():
    returned = text(2, 4, MARCH_NEXT, filed=False)
    assert check(returned, [MARCH, returned]) is None
    may = text(3, 5, MARCH_NEXT.replace("6月", "7月"))
    (flag,) = repeat_flags([MARCH, returned, may], D(2026, 5, 31))
    assert (
        flag.report_id == 3
        and flag.figures["other_report"] == 2
        and flag.kind == FlagKind.FIGURES_CHANGED_ONLY
    )


def test_the_previous_report_is_the_last_one_sent_in_before_this_one():
    late_april = text(2, 4, APRIL_HONEST, submitted=at(D(2026, 6, 2)))
    may = text(3, 5, MARCH_NEXT, submitted=at(D(2026, 5, 26)))  # filed before April's late report came in
    assert previous(may, [MARCH, late_april, may]) == MARCH
    (flag,) = repeat_flags([MARCH, late_april, may], D(2026, 6, 30))
    assert flag.report_id == 3 and flag.figures["other_report"] == 1


def test_only_reports_known_by_the_day_are_judged():
    april = text(2, 4, MARCH_NEXT, submitted=at(D(2026, 5, 3)))
    assert repeat_flags([MARCH, april], D(2026, 5, 2)) == []
    assert len(repeat_flags([MARCH, april], D(2026, 5, 3))) == 1
