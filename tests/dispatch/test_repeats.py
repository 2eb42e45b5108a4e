"""The check at submission, pure: is "what was done" last period's report again?"""

from tongtui.dispatch.repeats import (
    FIGURES_CHANGED_ONLY,
    SAME_AS_PREFILL,
    changes_text,
    check_repeat,
    figure_changes,
    passage,
)

# a district's template, as the issue describes it; the task's own words recur month after month
MARCH_DONE = (
    "本月开展雨污管网铺设及检查井砌筑,累计完成工程量约45%,较上月提高10个百分点。"
    "召开推进会3次,解决管线迁改等问题2项。"
)
MARCH_NEXT = "下一步将重点抓好泵站设备安装和路面恢复,确保6月底前完成主体工程。"
APRIL_HONEST = (
    "本月开展泵站设备安装及东岭村段路面恢复,累计完成工程量约58%,较上月提高13个百分点。"
    "召开推进会2次,解决雨季施工排水等问题3项。"
)


def test_the_pre_filled_next_steps_left_as_they_were_are_warned():
    repeat = check_repeat(MARCH_NEXT, prefilled=MARCH_NEXT, last_done=MARCH_DONE)
    assert repeat is not None and repeat.code == SAME_AS_PREFILL and repeat.similarity == 1.0


def test_the_pre_fill_with_punctuation_and_spaces_touched_is_still_the_pre_fill():
    touched = " " + MARCH_NEXT.replace(",", ",  ").replace("。", "")
    assert check_repeat(touched, prefilled=MARCH_NEXT).code == SAME_AS_PREFILL


def test_last_periods_text_with_only_the_figures_changed_is_warned_and_says_which():
    april = MARCH_DONE.replace("45%", "58%").replace("10个", "13个").replace("3次", "2次")
    repeat = check_repeat(april, prefilled=MARCH_NEXT, last_done=MARCH_DONE)
    assert repeat is not None and repeat.code == FIGURES_CHANGED_ONLY
    assert repeat.changes == (("45", "58"), ("10", "13"), ("3", "2"))
    assert changes_text(repeat.changes) == "45→58、10→13、3→2"


def test_last_periods_text_word_for_word_is_warned():
    repeat = check_repeat(MARCH_DONE, prefilled=MARCH_NEXT, last_done=MARCH_DONE)
    assert repeat.code == FIGURES_CHANGED_ONLY and repeat.changes == ()


def test_an_honest_report_on_the_same_template_is_not_warned():
    assert check_repeat(APRIL_HONEST, prefilled=MARCH_NEXT, last_done=MARCH_DONE) is None


def test_the_pre_fill_rewritten_into_what_was_done_is_not_warned():
    done = "泵站设备已安装完成并试运行,东岭村段路面恢复800米,确保6月底前完成主体工程的目标不变。"
    assert check_repeat(done, prefilled=MARCH_NEXT, last_done=MARCH_DONE) is None


def test_the_pre_fill_with_this_periods_work_added_is_not_warned():
    done = MARCH_NEXT + "本月已完成泵站基础浇筑和设备进场,东岭村段路面恢复800米,雨水井改造12座。"
    assert check_repeat(done, prefilled=MARCH_NEXT, last_done=MARCH_DONE) is None


def test_a_first_report_and_an_empty_last_period_are_never_warned():
    assert check_repeat(APRIL_HONEST) is None  # no earlier report: nothing pre-filled
    assert check_repeat(APRIL_HONEST, prefilled="", last_done="") is None
    assert check_repeat("", prefilled=MARCH_NEXT, last_done=MARCH_DONE) is None
    assert check_repeat("   ", prefilled="   ", last_done="") is None


def test_a_very_short_text_is_not_judged():
    assert check_repeat("同上", prefilled="同上", last_done="同上") is None


def test_the_pre_fill_is_named_before_the_figures_when_both_hold():
    assert check_repeat(MARCH_NEXT, prefilled=MARCH_NEXT, last_done=MARCH_NEXT).code == SAME_AS_PREFILL


def test_the_passage_is_the_start_of_the_text_as_written_on_one_line():
    assert passage("本月开展\n管网铺设", chars=40) == "本月开展 管网铺设"
    assert passage("一二三四五六", chars=4) == "一二三四…"
    assert check_repeat(MARCH_NEXT, prefilled=MARCH_NEXT).passage == MARCH_NEXT  # short: whole
    assert check_repeat(MARCH_DONE, last_done=MARCH_DONE).passage == MARCH_DONE[:40] + "…"


def test_full_width_figures_are_compared_as_figures():
    assert figure_changes("完成１２公里,45%", "完成13公里,45%") == (("12", "13"),)
