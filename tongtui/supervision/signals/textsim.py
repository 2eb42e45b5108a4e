"""Copied report texts where every report follows a template: what is particular to a report, found again.

District reports follow a few templates almost word for word, and a task's reports repeat its own words
(project name, goal, its usual activities) month after month, so two honest reports share most of their text.
What a copy shares and an honest report does not is the particular part: the activities, places and problems
named in that report, in that order. So:

1. Texts are normalised (full-width forms folded, punctuation and spaces dropped, each run of digits made one
   "0", so changed figures change nothing) and cut into character n-grams (shingles).
2. The **template** is every shingle found in more than `template_share` of the reports (and more than
   `template_min_count`); a **task's own wording** every shingle found in `task_share` of that task's reports
   (tasks with `task_min_reports` or more). Characters covered only by those weigh `low_weight`; every other
   character weighs 1: that is what is particular to the report.
3. **Candidates** share at least `min_rare_shared` rare shingles (found in at most `rare_count` reports): only
   rare shingles are indexed, so the search costs little however many reports there are. A candidate goes on
   when `prefilter` of the earlier report's non-template shingles reappear in the later one.
4. **Score**: the texts are aligned (longest matching blocks, `difflib`). `earlier` is the share of the earlier
   report's particular weight inside matching blocks, `later` the same for the later report (which may have
   added a sentence). A flag needs `earlier >= threshold`, `later >= threshold_later` and `min_matched`
   particular characters in common; its strength grows with `earlier`.
5. **Scope**: the same unit's other reports (any task, any period; not a correction of the same task and
   period) and other units' reports (any period). The later report (by submission, then period) is flagged,
   both when submitted the same day. Each flag quotes the passages that match as written, the most
   particular first.

The check at submission (is the text what the form pre-filled, or last period's report with only the figures
changed?) lives one floor down, in `dispatch.repeats`, so the report form can use it; its flags are
`signals.repeats`.
"""

import difflib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Literal

from tongtui.core.text import normalise, shingles
from tongtui.dispatch.repeats import FIGURES_CHANGED_ONLY as FIGURES_CHANGED_ONLY  # the check at submission,
from tongtui.dispatch.repeats import SAME_AS_PREFILL as SAME_AS_PREFILL  # kept importable from here
from tongtui.dispatch.repeats import prefill_similarity as prefill_similarity

from .facts import ReportFact
from .flags import Flag, FlagKind, clamp01

_NON_WORD = re.compile(r"[\W_]+")  # the same classes as core.text.normalise, for mapping passages back


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
    n: int = 4
    min_chars: int = 30  # after normalising; shorter texts are never compared
    template_share: float = 0.08  # a shingle in more than this share of the reports…
    template_min_count: int = 20  # …and in more than this many is the template
    task_share: float = 0.8  # a shingle in this share of a task's reports is the task's own wording…
    task_min_reports: int = 4  # …for tasks with at least this many reports
    low_weight: float = 0.1  # weight of a character covered only by the template or the task's wording
    rare_count: int = 30  # shingles in at most this many reports are indexed to find candidates…
    min_rare_shared: int = 3  # …and a candidate pair shares at least this many of them
    prefilter: float = 0.5  # share of the earlier report's non-template shingles found in the later one
    min_block: int = 3  # matching blocks shorter than this (in normalised characters) do not count
    threshold: float = 0.9  # share of the earlier report's particular text found again in the later one…
    threshold_later: float = 0.6  # …and of the later report's found in the earlier one
    min_matched: float = 20.0  # particular characters the two have in common
    passages: int = 3  # passages quoted per flag
    passage_chars: int = 40


DEFAULT_TEXT_RULES = TextRules()


class TextCorpus:
    """The reports' normalised texts, shingles, how many reports hold each shingle, overall and per task."""

    def __init__(self, reports: Sequence[ReportFact], rules: TextRules = DEFAULT_TEXT_RULES) -> None:
        self.rules = rules
        self.reports = reports
        n = rules.n
        self.texts = [normalise(r.text) for r in reports]
        self.sets = [
            shingles(t, n, normalised=True) if len(t) >= rules.min_chars else frozenset() for t in self.texts
        ]
        self.df: Counter[str] = Counter()
        by_task: dict[object, Counter[str]] = defaultdict(Counter)
        size: Counter[object] = Counter()
        for r, s in zip(reports, self.sets, strict=True):
            if s:
                self.df.update(s)
                by_task[r.task_id].update(s)
                size[r.task_id] += 1
        self.size = sum(1 for s in self.sets if s)
        self.template_above = max(rules.template_min_count, rules.template_share * self.size)
        above, df = self.template_above, self.df
        self.own = [frozenset(g for g in s if df[g] <= above) for s in self.sets]  # all but the template
        self._task_words = {
            task: frozenset(s for s, c in counts.items() if c >= rules.task_share * size[task])
            for task, counts in by_task.items()
            if size[task] >= rules.task_min_reports
        }
        self._weights: dict[int, list[float]] = {}

    def is_template(self, shingle: str) -> bool:
        return self.df.get(shingle, 0) > self.template_above

    def weights(self, i: int) -> list[float]:
        """Per normalised character of report i: 1 if particular, `low_weight` if only template or task wording."""
        w = self._weights.get(i)
        if w is None:
            text, n = self.texts[i], self.rules.n
            usual = self._task_words.get(self.reports[i].task_id, frozenset())
            w = [self.rules.low_weight] * len(text)
            for k in range(len(text) - n + 1):
                g = text[k : k + n]
                if not self.is_template(g) and g not in usual:
                    w[k : k + n] = [1.0] * n
            self._weights[i] = w
        return w

    def candidates(self) -> Iterable[tuple[int, int]]:
        """Pairs (j, i), j < i, sharing at least `min_rare_shared` shingles found in at most `rare_count` reports."""
        rules = self.rules
        index: dict[str, list[int]] = defaultdict(list)
        df, rare = self.df, rules.rare_count
        for i, s in enumerate(self.sets):
            for g in s:
                if 1 < df[g] <= rare:
                    index[g].append(i)
        shared: Counter[tuple[int, int]] = Counter()
        for docs in index.values():
            shared.update(combinations(docs, 2))
        return sorted(p for p, c in shared.items() if c >= rules.min_rare_shared)

    def overlap(self, earlier: int, later: int) -> float:
        """Share of the earlier report's non-template shingles found in the later one (cheap, before aligning)."""
        own = self.own[earlier]
        return len(own & self.sets[later]) / len(own) if own else 0.0

    def blocks(self, a: int, b: int) -> list[tuple[int, int, int]]:
        """Matching blocks (start in a, start in b, length) of at least `min_block` normalised characters."""
        sm = difflib.SequenceMatcher(None, self.texts[a], self.texts[b], autojunk=False)
        return [(m.a, m.b, m.size) for m in sm.get_matching_blocks() if m.size >= self.rules.min_block]

    def covered(self, i: int, spans: Iterable[tuple[int, int]]) -> tuple[float, float]:
        """(share of report i's weight inside these spans, the particular characters inside them)."""
        w = self.weights(i)
        total = sum(w)
        spans = list(spans)
        inside = sum(sum(w[start : start + size]) for start, size in spans)
        ones = sum(sum(1 for x in w[start : start + size] if x == 1.0) for start, size in spans)
        return (inside / total if total else 0.0), float(ones)


@dataclass(frozen=True, slots=True)
class Match:
    """A later report whose particular text is found in an earlier one."""

    later: int
    earlier: int
    kind: FlagKind
    score: float  # share of the earlier report's particular text found again
    later_score: float
    matched: float  # particular characters in common
    passages: tuple[str, ...]


def _scope(a: ReportFact, b: ReportFact) -> FlagKind | None:
    """The kind of copy report `a` would be of the earlier `b`, or None when the pair is not compared."""
    if a.unit_id is not None and a.unit_id == b.unit_id:
        if a.task_id == b.task_id and a.period_end == b.period_end:
            return None  # a resubmission or correction of the same report
        return FlagKind.TEXT_REPEATS_OWN
    return FlagKind.TEXT_MATCHES_OTHER_UNIT


def _order(i: int, j: int, docs: Sequence[ReportFact]) -> list[tuple[int, int]]:
    """(later, earlier) for the pair; both ways when submitted the same day for the same period."""
    ki = (docs[i].known_on, docs[i].period_end)
    kj = (docs[j].known_on, docs[j].period_end)
    if ki == kj:
        return [(i, j), (j, i)]
    return [(i, j)] if ki > kj else [(j, i)]


def find_copies(reports: Sequence[ReportFact], rules: TextRules = DEFAULT_TEXT_RULES) -> list[Match]:
    """Every later report whose particular text is found again in an earlier one, within the scope above."""
    corpus = TextCorpus(reports, rules)
    out = []
    for j, i in corpus.candidates():
        for later, earlier in _order(i, j, reports):
            kind = _scope(reports[later], reports[earlier])
            if kind is None or corpus.overlap(earlier, later) < rules.prefilter:
                continue
            blocks = corpus.blocks(earlier, later)
            score, matched = corpus.covered(earlier, ((a, size) for a, _, size in blocks))
            if score < rules.threshold or matched < rules.min_matched:
                continue
            later_score, _ = corpus.covered(later, ((b, size) for _, b, size in blocks))
            if later_score < rules.threshold_later:
                continue
            passages = _passages(corpus, earlier, blocks, rules)
            out.append(Match(later, earlier, kind, score, later_score, matched, passages))
    return out


def _spans(text: str) -> tuple[str, list[int], list[int]]:
    """`normalise(text)` and, for each of its characters, where it starts and ends in the NFKC-folded text."""
    folded = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    digits = False  # the last character kept was a digit: punctuation between digits joins the run
    for k, ch in enumerate(folded):
        if _NON_WORD.fullmatch(ch):
            continue
        if ch.isdigit() and digits:
            ends[-1] = k + 1
            continue
        out.append("0" if ch.isdigit() else ch.lower())
        starts.append(k)
        ends.append(k + 1)
        digits = ch.isdigit()
    return "".join(out), starts, ends


def _passages(
    corpus: TextCorpus, i: int, blocks: Sequence[tuple[int, int, int]], rules: TextRules
) -> tuple[str, ...]:
    """The matching passages of report i as written, the most particular first, each cut to `passage_chars`."""
    w = corpus.weights(i)
    folded = unicodedata.normalize("NFKC", corpus.reports[i].text)
    _, starts, ends = _spans(corpus.reports[i].text)
    ranked = sorted(blocks, key=lambda blk: -sum(w[blk[0] : blk[0] + blk[2]]))
    out: list[str] = []
    for a, _, size in ranked:
        if len(out) == rules.passages:
            break
        if not any(x == 1.0 for x in w[a : a + size]):
            continue  # template or the task's usual wording only: nothing to show
        piece = folded[starts[a] : ends[a + size - 1]]
        out.append(piece if len(piece) <= rules.passage_chars else piece[: rules.passage_chars] + "…")
    return tuple(out)


def near_duplicate_flags(
    reports: Iterable[ReportFact], as_of: date, rules: TextRules = DEFAULT_TEXT_RULES
) -> list[Flag]:
    """Reports whose particular text repeats an earlier report of the same unit or of another unit, among the
    reports known by `as_of`. One flag per report and kind, for its closest match, with the number of matches
    and the passages that match."""
    docs = [r for r in reports if r.text and r.known_on <= as_of]
    best: dict[tuple[int, FlagKind], Match] = {}
    count: Counter[tuple[int, FlagKind]] = Counter()
    for m in find_copies(docs, rules):
        key = (m.later, m.kind)
        count[key] += 1
        if key not in best or m.score > best[key].score:
            best[key] = m
    flags = []
    for (x, kind), m in best.items():
        r, other = docs[x], docs[m.earlier]
        base = 0.45 if kind == FlagKind.TEXT_MATCHES_OTHER_UNIT else 0.35
        strength = base + 0.5 * (m.score - rules.threshold) / max(1 - rules.threshold, 1e-9)
        flags.append(
            Flag(
                kind,
                round(clamp01(strength), 3),
                {
                    "similarity": round(100 * m.score, 1),
                    "shared": round(m.matched),
                    "matches": count[(x, kind)],
                    "passages": list(m.passages),
                    "passage": "“" + "”“".join(m.passages[:2]) + "”" if m.passages else "",
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
