"""Numbering and headings: 1. / 1、 / (一) / 一、 -> codes; 一、叶枝利区长牵头重点工作 -> a section with a leader."""

import re
from dataclasses import dataclass

from tongtui.plans.importing.normalize import key, simplify, view

CN_NUMERALS = "〇零一二三四五六七八九十百两"
_CN_VALUES = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

_LEVEL1 = re.compile(r"^第?([一二三四五六七八九十百]+)\s*[、.．]\s*")
_LEVEL1_PART = re.compile(r"^第([一二三四五六七八九十百\d]+)\s*(?:部分|章|节|篇|项)\s*[、.．:：]?\s*")
_LEVEL2 = re.compile(r"^[((]\s*([一二三四五六七八九十百]+)\s*[))]\s*[、.．]?\s*")
_ATTACHMENT = re.compile(r"^附件\s*(\d+)?\s*[:：]?\s*")
_ARABIC = re.compile(r"^(\d{1,3})\s*[、.．]\s*(?!\d)")
_LEADER_LABEL = re.compile(r"(?:牵头|责任|分管|包抓|联系)(?:区|市|县|省)?领导\s*[:：]\s*([^()()]+)")
_LEADER_LEADS = re.compile(r"^(.{2,24}?)(?:牵头|主抓|领衔|分管)(?:的)?(?:重点|主要)?(?:工作|任务|事项)?")
_NOTE = re.compile(r"^(?:注|备注|说明|填表说明)\s*[:：]")


def cn_number(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十三 -> 23, 一百零五 -> 105; digits as they are."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_NUMERALS for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_VALUES[ch]
    return total + current


def normalize_code(text: str) -> str:
    """1. / 1、 / (一) / 一、 / 第一 / ★3 -> "1", "3"; dotted (2.1) and dashed (5-1) codes stay as written."""
    k = key(text).strip("★☆*")
    k = k.rstrip(".、,，:：")
    m = re.fullmatch(r"\(([^()]+)\)", k) or re.fullmatch(r"第?([一二三四五六七八九十百〇零两]+)(?:项|条)?", k)
    if m:
        number = cn_number(m.group(1))
        return str(number) if number is not None else m.group(1)
    if k.isdigit():
        return str(int(k))
    return k


@dataclass(frozen=True)
class Heading:
    """A section heading. level 0: a title or attachment; 1: 一、; 2: (一)."""

    level: int
    ordinal: int | None
    title: str
    leader: str  # the leader named in the heading, as written ("" if none)

    @property
    def is_note(self) -> bool:
        return bool(_NOTE.match(self.title))


def parse_heading(text: str) -> Heading:
    written, original = view(text.strip())
    level, ordinal, rest = 0, None, original
    for pattern, lv in ((_LEVEL1_PART, 1), (_LEVEL1, 1), (_LEVEL2, 2), (_ATTACHMENT, 0), (_ARABIC, 3)):
        m = pattern.match(written)
        if m:
            level = lv
            ordinal = cn_number(m.group(1)) if m.group(1) else None
            rest = original[m.end() :].strip()
            break
    return Heading(level, ordinal, rest, heading_leader(simplify(rest)))


def heading_leader(title: str) -> str:
    """叶枝利区长牵头重点工作, 王纲市长主抓重点工作 -> the leader; (牵头领导:成坤、柯相国、王俊) -> 成坤、柯相国、王俊."""
    from tongtui.plans.importing.people import TITLES

    m = _LEADER_LABEL.search(title)
    if m:
        return m.group(1).strip()
    m = _LEADER_LEADS.match(title)
    if m and any(t in m.group(1) for t in TITLES) and not re.search(r"[,，;；。]", m.group(1)):
        return m.group(1).strip()
    return ""


def is_heading_text(text: str) -> bool:
    """A line that starts like a section heading: 一、… / (一)… / 第一部分… / 附件1."""
    t = simplify(text).strip()
    return bool(_LEVEL1.match(t) or _LEVEL2.match(t) or _LEVEL1_PART.match(t) or _ATTACHMENT.match(t))


def leading_number(text: str) -> tuple[str, str]:
    """Split a task line's own number off: "1.地区生产总值…" -> ("1", "地区生产总值…")."""
    simple, original = view(text.lstrip())
    for pattern in (
        re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\s+"),
        re.compile(r"^(\d{1,3})\s*[、.．]\s*(?=\d{4}年|[^\d])"),  # 1.地区… and 4.2024年…, not 1.5万
        re.compile(r"^[((]\s*(\d{1,3}|[一二三四五六七八九十百]+)\s*[))]\s*"),
        re.compile(r"^第?([一二三四五六七八九十百]+)\s*[、.．]\s*"),
    ):
        m = pattern.match(simple)
        if m:
            return normalize_code(m.group(1)), original[m.end() :]
    return "", original
