"""Ranked guesses for a name that matched no unit or group: the same name without 区 or 政府, an
abbreviation (发改局 for 区发展和改革局, 各镇街 for 各镇(街道)), or a similar name.

Pure over the Directory already loaded for the preview; a character index keeps it quick for thousands of
units.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from tongtui.plans.importing.normalize import key
from tongtui.plans.importing.units import Directory, is_collective

_LEVEL = re.compile(r"^(?:中共)?[区市县省](?=.{2})")
_SUFFIX = re.compile(r"(?:人民政府|政府|办事处|管理委员会|管委会|委员会)$")
_PUNCTUATION = re.compile(r"[()、,，]")


@dataclass(frozen=True)
class Suggestion:
    choice: str  # unit:<id> or group:<id>, as the mapping stores it
    label: str
    why: str
    score: float


def cores(k: str) -> tuple[str, ...]:
    """The parts of a name key that tell units apart: without brackets and 人民政府/办事处, with and without a
    leading 区/市/县 (市场局 starts with 市 too)."""
    k = _PUNCTUATION.sub("", k)
    plain = _SUFFIX.sub("", k) or k
    bare = _LEVEL.sub("", plain)
    return (plain, bare) if bare != plain else (plain,)


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _score(written: str, candidate: str) -> tuple[float, str]:
    best: tuple[float, str] = (0.0, "")
    collective = is_collective(written)
    for w in cores(written):
        for c in cores(candidate):
            best = max(best, _pair(w, c, collective))
    return best


def _pair(w: str, c: str, collective: bool) -> tuple[float, str]:
    if w == c:
        return 0.95, _("the same name without 区 or 政府")
    if len(w) >= 2 and len(c) >= 2:
        short, long = (w, c) if len(w) <= len(c) else (c, w)
        same_end = collective or short[-1] == long[-1]  # 发改局 is no 发改委; 各镇街 is 各镇(街道、园区)
        if short[0] == long[0] and same_end and _subsequence(short, long):
            return 0.7 + 0.2 * len(short) / len(long), _("an abbreviation")
    ratio = SequenceMatcher(None, w, c).ratio()
    # similar names must share what tells units apart, not only 局 or 区: 区税务局 is no 区商务局
    shared = set(_LEVEL.sub("", w)[:-1]) & set(_LEVEL.sub("", c)[:-1])
    if ratio >= 0.6 and len(shared) >= 2:
        return 0.6 * ratio, _("a similar name")
    return 0.0, ""


class Suggester:
    """Every unit and group name of a Directory, indexed by character."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.names: list[tuple[str, str, str]] = []  # (name key, choice, label)
        for k, unit_ids in directory.by_key.items():
            for unit_id in unit_ids:
                self.names.append(
                    (k, f"unit:{unit_id}", directory.labels.get(unit_id, directory.names[unit_id]))
                )
        for k, (group_id, name, _members) in directory.groups.items():
            self.names.append((k, f"group:{group_id}", name))
        self.index: dict[str, list[int]] = {}
        for i, (k, _choice, _label) in enumerate(self.names):
            for ch in set(cores(k)[0]):
                self.index.setdefault(ch, []).append(i)

    def suggest(self, name: str, limit: int = 5) -> list[Suggestion]:
        written = key(name)
        chars = set(cores(written)[-1])
        if not chars:
            return []
        hits: Counter[int] = Counter()
        for ch in chars:
            hits.update(self.index.get(ch, ()))
        need = max(2, math.ceil(len(chars) / 2)) if len(chars) > 1 else 1
        collective = is_collective(written)
        best: dict[str, Suggestion] = {}
        for i, shared in hits.items():
            if shared < need:
                continue
            k, choice, label = self.names[i]
            score, why = _score(written, k)
            if score <= 0:
                continue
            if choice.startswith("group:") == collective:
                score += 0.04  # a collective name is most likely a group, a single name a unit
            if choice not in best or best[choice].score < score:
                best[choice] = Suggestion(choice, label, why, round(score, 3))
        ranked = sorted(best.values(), key=lambda s: (-s.score, s.label))
        return ranked[:limit]
