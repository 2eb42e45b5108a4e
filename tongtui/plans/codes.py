"""Natural order of task codes, as a string the database can sort: 1.2 before 1.10, 二、 before 十、, a
sub-task directly under its parent.

A code is read as a run of tokens: a number (arabic, or Chinese numerals such as 一 and 十二) or one other
character; separators and brackets (. - 、 （ ） and the like) only split. Each token is written as eight
digits — "1" and the number for a number, "2" and the code point for a character — so the key holds only
digits: every collation (SQLite's binary, PostgreSQL's C or a locale's) compares it the same way, and a
shorter key sorts before the keys it is a prefix of. A sub-task's key is its parent's key followed by its
own, unless its own already starts with the parent's (1.2 → 1.2.1).
"""

import re

KEY_MAX = 255
_WIDTH = 7
_TOKENS = re.compile(r"\d+|[〇零一二三四五六七八九十百两]+|\w", re.UNICODE)
_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NOISE = {"第", "项", "条"}  # 第一项, 第3条: the number is the code


def _cn(text: str) -> int:
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _DIGITS[ch] if current else _DIGITS[ch]  # 二〇二六 reads as digits
    return total + current


def code_key(code: str) -> str:
    """The sort key of a code on its own: digits only, eight per token."""
    out = []
    for token in _TOKENS.findall(code.strip().lower()):
        if token.isdigit() and token.isascii():
            out.append("1" + str(min(int(token), 10**_WIDTH - 1)).zfill(_WIDTH))
        elif token[0] in _DIGITS or token[0] in "十百":
            out.append("1" + str(min(_cn(token), 10**_WIDTH - 1)).zfill(_WIDTH))
        elif token not in _NOISE and token != "_":
            out.append("2" + str(ord(token)).zfill(_WIDTH))
    return "".join(out)


def task_key(code: str, parent_key: str | None = None) -> str:
    """The sort key of a task: under its parent's key when it has a parent."""
    own = code_key(code)
    if parent_key is None or own.startswith(parent_key):
        return own[:KEY_MAX]
    return (parent_key + own)[:KEY_MAX]


def tree_keys(rows: list[tuple[int, int | None, str]]) -> dict[int, str]:
    """(pk, parent pk, code) of a whole plan -> each task's key; parents outside `rows` count as absent."""
    codes = {pk: (parent, code) for pk, parent, code in rows}
    keys: dict[int, str] = {}

    def key(pk: int, seen: frozenset[int] = frozenset()) -> str:
        if pk in keys:
            return keys[pk]
        parent, code = codes[pk]
        if parent is None or parent not in codes or parent in seen:
            keys[pk] = task_key(code)
        else:
            keys[pk] = task_key(code, key(parent, seen | {pk}))
        return keys[pk]

    for pk in codes:
        key(pk)
    return keys
