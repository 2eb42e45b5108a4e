"""The natural order of task codes (plans.codes), with codes as real task books write them."""

import csv
import random
from pathlib import Path

from tongtui.plans.codes import code_key, task_key, tree_keys

DATA = Path(__file__).resolve().parents[1] / "data"


def natural(codes: list[str]) -> list[str]:
    return sorted(codes, key=lambda c: (code_key(c), c))


def test_it_puts_1_2_before_1_10() -> None:
    assert natural(["1.10", "2", "1.2", "10", "1", "2.3.1", "2.3"]) == ["1", "1.2", "1.10", "2", "2.3", "2.3.1", "10"]


def test_it_reads_chinese_numerals_as_numbers() -> None:
    assert natural(["十、", "二、", "一、", "十一、"]) == ["一、", "二、", "十、", "十一、"]
    assert natural(["（十二）", "（三）", "(二)", "（一）"]) == ["（一）", "(二)", "（三）", "（十二）"]
    assert code_key("（三）") == code_key("(三)") == code_key("3") == code_key("第三项")


def test_it_puts_numbers_before_words_and_keeps_only_digits() -> None:
    assert natural(["B", "A2", "A10", "3"]) == ["3", "A2", "A10", "B"]
    assert code_key("A-10.二").isdigit()


def test_a_key_is_a_prefix_of_its_sub_codes_keys() -> None:
    assert code_key("5-1").startswith(code_key("5"))
    assert code_key("5") < code_key("5-1") < code_key("5-2") < code_key("6")


def test_a_sub_task_sorts_under_its_parent() -> None:
    parent = task_key("2")
    assert task_key("2.1", parent) == code_key("2.1")  # already starts with the parent's
    child = task_key("(一)", parent)  # numbered on its own
    assert parent < child < task_key("3")
    assert task_key("10") > child


def test_tree_keys_follow_the_tree_and_survive_a_cycle() -> None:
    keys = tree_keys([(1, None, "1"), (2, 1, "（二）"), (3, 1, "（一）"), (4, None, "2"), (5, 6, "x"), (6, 5, "y")])
    assert sorted([1, 2, 3, 4], key=keys.__getitem__) == [1, 3, 2, 4]
    assert keys[5] and keys[6]


def test_the_real_books_numbering_sorts_as_written() -> None:
    """Every section of every published book in tests/data: shuffled, its rows come back in book order."""
    for name in ("realworld_tasks.csv", "heldout_guoban_2016.csv", "heldout_lishan_2023.csv"):
        with (DATA / name).open(encoding="utf-8-sig") as f:
            rows = [r for r in csv.DictReader(f) if r["seq"].strip()]
        sections: dict[tuple[str, str], list[str]] = {}
        for r in rows:
            seqs = sections.setdefault((r["source_url"], r["section"]), [])
            if r["seq"] not in seqs:
                seqs.append(r["seq"])
        checked = 0
        for seqs in sections.values():
            if len(seqs) < 2:
                continue
            shuffled = seqs[:]
            random.Random(9).shuffle(shuffled)
            assert natural(shuffled) == seqs, seqs
            checked += 1
        assert checked, name
    headings = ["三、", "一、", "二、"]  # as the books head their sections; code points would put 三 before 二
    assert natural(headings) == ["一、", "二、", "三、"]
