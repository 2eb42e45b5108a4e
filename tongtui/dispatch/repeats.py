"""Is a report's 完成情况 the unit's own account of the period? The check on the report form. Pure.

The form pre-fills "what was done" with last period's next steps (下步计划). A report submitted with that
text left as it was, or with last period's "what was done" and only the figures changed, says nothing new.
Texts are compared after `core.text.normalise` (punctuation and spaces dropped, every figure made one "0"), as
sets of character 4-grams: "nearly the same" means each text holds at least `threshold` of the other's.
An honest report that follows the same template but names this period's own work is far below that.

The form shows the warning before submission and lets the liaison submit anyway; supervision flags a report
submitted so (`supervision.signals.repeats`), with the same function, so the form and the flag always agree.
"""

import re
import unicodedata
from dataclasses import dataclass

from tongtui.core.text import normalise, shingles

SAME_AS_PREFILL = "same_as_prefill"  # what the form pre-filled: last period's next steps
FIGURES_CHANGED_ONLY = "figures_changed_only"  # last period's "what was done", only the figures changed

THRESHOLD = 0.9
N = 4
PASSAGE_CHARS = 40
MAX_CHANGES = 4

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _overlap(new: str, old: str, n: int) -> float:
    """The smaller of the two shares: of the new text's n-grams found in the old, and the old's in the new."""
    if new == old:
        return 1.0
    a, b = shingles(new, n, normalised=True), shingles(old, n, normalised=True)
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return min(inter / len(a), inter / len(b))


def _judge(
    new_text: str, prefilled_text: str, last_text: str, threshold: float, n: int
) -> tuple[str, float, str] | None:
    new = normalise(new_text)
    if len(new) < n * 2:
        return None
    for code, old_text in ((SAME_AS_PREFILL, prefilled_text), (FIGURES_CHANGED_ONLY, last_text)):
        old = normalise(old_text)
        if not old:
            continue
        share = _overlap(new, old, n)
        if share >= threshold:
            return code, share, old_text
    return None


def prefill_similarity(
    new_text: str, prefilled_text: str = "", last_text: str = "", *, threshold: float = THRESHOLD, n: int = N
) -> str | None:
    """None when the text is the unit's own; SAME_AS_PREFILL when it is (nearly) what the form pre-filled (last
    period's 下步计划); FIGURES_CHANGED_ONLY when it is last period's report with (nearly) only the figures
    changed. An empty or very short text is not judged here."""
    judged = _judge(new_text, prefilled_text, last_text, threshold, n)
    return judged[0] if judged else None


@dataclass(frozen=True, slots=True)
class Repeat:
    """Why a report's text is not its own account, with what a person needs to see it."""

    code: str  # SAME_AS_PREFILL or FIGURES_CHANGED_ONLY
    similarity: float  # 0..1, the smaller share of n-grams each text holds of the other
    passage: str  # the start of the text as written
    changes: tuple[tuple[str, str], ...]  # figures that changed, (was, now), in the order written


def _figures(text: str) -> list[str]:
    return _NUMBER.findall(unicodedata.normalize("NFKC", text))


def figure_changes(old: str, new: str, most: int = MAX_CHANGES) -> tuple[tuple[str, str], ...]:
    """The figures of `new` that differ from `old`'s at the same place (figures paired in order)."""
    pairs = [(a, b) for a, b in zip(_figures(old), _figures(new), strict=False) if a != b]
    return tuple(pairs[:most])


def passage(text: str, chars: int = PASSAGE_CHARS) -> str:
    """The first `chars` characters of a text, on one line, with an ellipsis when cut."""
    flat = " ".join(unicodedata.normalize("NFKC", text).split())
    return flat if len(flat) <= chars else flat[:chars] + "…"


def check_repeat(
    done: str, *, prefilled: str = "", last_done: str = "", threshold: float = THRESHOLD
) -> Repeat | None:
    """The check of a report's "what was done" against last period's report (`prefilled`: its next steps, which
    the form pre-fills; `last_done`: its "what was done"). None for a first report or the unit's own text."""
    judged = _judge(done, prefilled, last_done, threshold, N)
    if judged is None:
        return None
    code, share, old = judged
    return Repeat(code, round(share, 3), passage(done), figure_changes(old, done))


def changes_text(changes: tuple[tuple[str, str], ...] | list[list[str]]) -> str:
    """Figure changes for reading: "45→60、3→2"."""
    return "、".join(f"{a}→{b}" for a, b in changes)
