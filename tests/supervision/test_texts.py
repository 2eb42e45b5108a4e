from datetime import date, datetime

from tongtui.supervision.signals.texts import TEMPLATES, WORDS, day_unit, number, render


def test_numbers_read_without_needless_decimals():
    assert number(30.0) == "30"
    assert number(33.24) == "33.2"
    assert number(date(2026, 3, 31)) == "2026-03-31"
    assert number(datetime(2026, 3, 31, 9, 5)) == "2026-03-31 09:05"


def test_day_units_follow_language_and_axis():
    assert day_unit("zh-hans", True, 3) == "个工作日"
    assert day_unit("zh_Hans", False, 3) == "天"
    assert day_unit("en-us", True, 1) == "working day"
    assert day_unit("en", False, 2) == "days"


def test_an_unknown_code_comes_back_as_itself():
    assert render("no_such_reason", "en") == "no_such_reason"


def test_a_missing_figure_leaves_the_template_rather_than_failing():
    assert render("missed_reports", "en") == "no report for {count} cycle(s) in a row"


def test_every_template_has_both_languages():
    for code, (zh, en) in {**TEMPLATES, **WORDS}.items():
        assert zh and en, code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), code
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in en), code
