"""@mentions, pure: the longest known name after each @, in the text's order, each once."""

from tongtui.collaboration.mentions import candidates, mentioned

NAMES = {"张联络", "张联", "李局长", "王副区长"}


def test_it_finds_a_name_with_no_space_after_it():
    assert mentioned("@张联络请补充佐证材料", NAMES) == ["张联络"]


def test_it_prefers_the_longest_known_name():
    assert mentioned("@张联络 @张联", NAMES) == ["张联络", "张联"]


def test_it_reads_full_width_at_signs_and_keeps_order_once():
    assert mentioned("＠李局长、@王副区长,@李局长", NAMES) == ["李局长", "王副区长"]


def test_it_ignores_unknown_names_and_lone_at_signs():
    assert mentioned("邮件 a@b.cn 和 @ 以及 @某某", NAMES) == []


def test_candidates_are_the_prefixes_after_each_at():
    assert candidates("@李局长。") == {"李", "李局", "李局长"}
    assert candidates("没有提到谁") == set()
