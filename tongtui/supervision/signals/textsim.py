"""Near-duplicate report texts, by Chinese character n-grams (no word splitting needed).

Texts are normalised (full-width forms folded, punctuation, spaces and symbols dropped, each run of
digits made one "0", so "完成投资3000万元" and "完成投资3,500万元" read alike) and cut into
overlapping character n-grams (shingles). Two reports are near-duplicates when the IDF-weighted
Jaccard similarity of their shingles passes a threshold and they share enough distinctive shingles.

To avoid comparing all pairs, candidates come from prefix filtering: shingles are ordered from
rarest to commonest across the corpus, and two sets whose Jaccard similarity reaches t must share
one of the first |x| - ceil(t·|x|) + 1 shingles of each; only those prefixes are indexed.
Shingles found in very many reports (stock phrases such as "按计划推进") are left out of candidate
search and weigh little in the score; texts shorter than `min_chars` are never compared.
"""

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .facts import ReportFact
from .flags import Flag, FlagKind, clamp01

_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


def normalise(text: str) -> str:
    """Fold full-width forms and case, drop punctuation, whitespace and symbols, collapse digit runs to 0."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _DIGITS.sub("0", _NON_WORD.sub("", text))


def shingles(text: str, n: int = 3, *, normalised: bool = False) -> frozenset[str]:
    """The set of character n-grams of a text (the whole text when shorter than n, nothing when empty)."""
    s = text if normalised else normalise(text)
    if len(s) <= n:
        return frozenset((s,)) if s else frozenset()
    return frozenset(s[i : i + n] for i in range(len(s) - n + 1))


def jaccard(a: Set[str], b: Set[str]) -> float:
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def cosine(a: Set[str], b: Set[str]) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def similarity(a: str, b: str, n: int = 3, measure: Literal["jaccard", "cosine"] = "jaccard") -> float:
    """Similarity of two texts' shingle sets, 0..1; symmetric, and 1.0 for texts that normalise alike."""
    sa, sb = shingles(a, n), shingles(b, n)
    return jaccard(sa, sb) if measure == "jaccard" else cosine(sa, sb)


@dataclass(frozen=True, slots=True)
class TextRules:
    n: int = 3
    min_chars: int = 30  # after normalising; shorter texts are never compared
    threshold: float = 0.8  # IDF-weighted Jaccard at which two texts count as near-duplicates
    candidate_threshold: float = 0.6  # Jaccard over distinctive shingles to be looked at
    min_shared: int = 10  # distinctive shingles two texts must share
    common_share: float = 0.02  # a shingle in more than this share of the texts…
    common_min_count: int = 20  # …and in more than this many is common, not distinctive


DEFAULT_TEXT_RULES = TextRules()


class ShingleCorpus:
    """Shingle sets of a corpus with their document frequencies and IDF weights."""

    def __init__(self, texts: Sequence[str], rules: TextRules = DEFAULT_TEXT_RULES) -> None:
        self.rules = rules
        self.normalised = [normalise(t) for t in texts]
        self.sets = [
            shingles(s, rules.n, normalised=True) if len(s) >= rules.min_chars else frozenset()
            for s in self.normalised
        ]
        self.df: Counter[str] = Counter()
        for s in self.sets:
            self.df.update(s)
        size = sum(1 for s in self.sets if s)
        self.size = size
        self.common_above = max(rules.common_min_count, rules.common_share * size)
        self.common = frozenset(s for s, c in self.df.items() if c > self.common_above)
        self.repeated = frozenset(s for s, c in self.df.items() if 1 < c <= self.common_above)
        self._weights: dict[str, float] = {}

    def weight(self, shingle: str) -> float:
        w = self._weights.get(shingle)
        if w is None:
            w = self._weights[shingle] = math.log(1 + self.size / max(self.df.get(shingle, 0), 1))
        return w

    def is_common(self, shingle: str) -> bool:
        return shingle in self.common

    def distinctive(self, i: int) -> frozenset[str]:
        return self.sets[i] - self.common

    def weighted_jaccard(self, a: Set[str], b: Set[str]) -> float:
        if not a and not b:
            return 1.0
        w = self.weight
        inter = sum(w(s) for s in a & b)
        union = sum(w(s) for s in a | b)
        return inter / union if union else 0.0

    def candidate_pairs(self) -> Iterable[tuple[int, int]]:
        """Pairs (j, i), j < i, whose distinctive shingles may reach the candidate threshold."""
        t = self.rules.candidate_threshold
        min_shared = self.rules.min_shared
        df = self.df
        # One global order shared by every document: shingles of a single document first (they can
        # never be shared, so only their number matters), then by document frequency, then by text.
        order = sorted(self.repeated)
        order.sort(key=df.__getitem__)  # stable: equal counts keep the shingles' own order
        rank = dict(zip(order, range(len(order)), strict=True)).__getitem__
        index: dict[str, list[int]] = defaultdict(list)
        sizes: list[int] = []
        for i, full in enumerate(self.sets):
            size = len(full) - len(full & self.common) if full else 0
            sizes.append(size)
            shareable = full & self.repeated
            prefix_len = size - math.ceil(t * size) + 1 - (size - len(shareable))
            if len(shareable) < min_shared or prefix_len <= 0:
                continue  # no other text can reach the thresholds with this one
            prefix = sorted(shareable, key=rank)[:prefix_len]
            seen: set[int] = set()
            for s in prefix:
                for j in index.get(s, ()):
                    if j not in seen:
                        seen.add(j)
                        if t * size <= sizes[j] and t * sizes[j] <= size:
                            yield j, i
            for s in prefix:
                index[s].append(i)


def near_duplicate_flags(
    reports: Iterable[ReportFact], as_of: date, rules: TextRules = DEFAULT_TEXT_RULES
) -> list[Flag]:
    """Reports whose text nearly repeats the same unit's other report or another unit's report for the same period.

    The later of the two (by submission, then period) is flagged, both when submitted the same day.
    Each report gets at most one flag per kind, for its closest match, with the number of matches.
    """
    docs = [r for r in reports if r.text and r.known_on <= as_of]
    corpus = ShingleCorpus([r.text for r in docs], rules)
    best: dict[tuple[int, FlagKind], tuple[float, int, int]] = {}  # (doc, kind) -> (score, other, shared)
    matches: Counter[tuple[int, FlagKind]] = Counter()
    for j, i in corpus.candidate_pairs():
        a, b = docs[i], docs[j]
        kind = _scope(a, b)
        if kind is None:
            continue
        sa, sb = corpus.sets[i], corpus.sets[j]
        shared = len(corpus.distinctive(i) & corpus.distinctive(j))
        if shared < rules.min_shared:
            continue
        score = corpus.weighted_jaccard(sa, sb)
        if score < rules.threshold:
            continue
        for x, y in _later_first(i, j, docs):
            key = (x, kind)
            matches[key] += 1
            if key not in best or score > best[key][0]:
                best[key] = (score, y, shared)
    flags = []
    for (x, kind), (score, y, shared) in best.items():
        r, other = docs[x], docs[y]
        base = 0.45 if kind == FlagKind.TEXT_MATCHES_OTHER_UNIT else 0.35
        flags.append(
            Flag(
                kind,
                round(clamp01(base + 0.5 * (score - rules.threshold) / max(1 - rules.threshold, 1e-9)), 3),
                {
                    "similarity": round(100 * score, 1),
                    "shared": shared,
                    "matches": matches[(x, kind)],
                    "other_report": other.report_id,
                    "other_unit": other.unit_id,
                    "other_task": other.task_id,
                    "other_period": other.period_end,
                },
                task_id=r.task_id,
                unit_id=r.unit_id,
                report_id=r.report_id,
                period=r.period_end,
            )
        )
    flags.sort(key=lambda f: (-f.strength, f.report_id or 0))
    return flags


def _scope(a: ReportFact, b: ReportFact) -> FlagKind | None:
    if a.unit_id is not None and a.unit_id == b.unit_id:
        if a.task_id == b.task_id and a.period_end == b.period_end:
            return None  # a resubmission or correction of the same report
        return FlagKind.TEXT_REPEATS_OWN
    if a.period_end == b.period_end:
        return FlagKind.TEXT_MATCHES_OTHER_UNIT
    return None


def _later_first(i: int, j: int, docs: Sequence[ReportFact]) -> list[tuple[int, int]]:
    ki = (docs[i].known_on, docs[i].period_end)
    kj = (docs[j].known_on, docs[j].period_end)
    if ki == kj:
        return [(i, j), (j, i)]
    return [(i, j)] if ki > kj else [(j, i)]
