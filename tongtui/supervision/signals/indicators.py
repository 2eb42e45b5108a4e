"""Indicator values outside plausible bounds, falling although they accumulate, or far below the
progress the unit reports (指标 at 20 % of its target while progress says 90 %)."""

from collections.abc import Iterable
from datetime import date

from .facts import DECREASE, IndicatorFact, ReportFact
from .flags import DEFAULT_INTEGRITY_RULES, Flag, FlagKind, IntegrityRules, clamp01
from .integrity import progress_series
from .texts import phrase


def achievement(ind: IndicatorFact, value: float) -> float | None:
    """Share of the way from baseline to target (0 = baseline, 1 = target); None when undefined."""
    if ind.direction == DECREASE:
        if ind.baseline is None or ind.baseline == ind.target:
            return None
        return (ind.baseline - value) / (ind.baseline - ind.target)
    base = ind.baseline if ind.baseline is not None else 0.0
    if ind.target == base:
        return None
    return (value - base) / (ind.target - base)


def indicator_flags(
    ind: IndicatorFact,
    reports: Iterable[ReportFact] = (),
    as_of: date | None = None,
    rules: IntegrityRules = DEFAULT_INTEGRITY_RULES,
) -> list[Flag]:
    """Flags for one indicator's values up to `as_of`; `reports` are its task's reports (for progress)."""
    values = sorted((d, float(v)) for d, v in ind.values if as_of is None or d <= as_of)
    series = progress_series(reports, as_of or date.max)
    flags: list[Flag] = []

    def flag(kind: FlagKind, strength: float, period: date, **figures: object) -> None:
        figures["name"] = ind.name or str(ind.indicator_id or "")
        figures["indicator_id"] = ind.indicator_id
        flags.append(
            Flag(
                kind,
                round(clamp01(strength), 3),
                figures,
                task_id=ind.task_id,
                unit_id=ind.unit_id,
                period=period,
            )
        )

    k = rules.indicator_max_factor
    span = abs(ind.target - (ind.baseline or 0.0)) or abs(ind.target) or 1.0
    previous: float | None = None
    inconsistent: tuple[date, float, float, float] | None = None
    for period, value in values:
        if ind.non_negative and value < 0:
            flag(FlagKind.INDICATOR_OUT_OF_BOUNDS, 0.6, period, value=value, why=phrase("why_negative"))
        elif ind.direction != DECREASE and ind.target > 0 and value > k * ind.target:
            flag(
                FlagKind.INDICATOR_OUT_OF_BOUNDS,
                0.5,
                period,
                value=value,
                why=phrase("why_above_target", factor=k),
            )
        elif ind.direction == DECREASE and ind.baseline and ind.baseline > 0 and value > k * ind.baseline:
            flag(
                FlagKind.INDICATOR_OUT_OF_BOUNDS,
                0.5,
                period,
                value=value,
                why=phrase("why_above_baseline", factor=k),
            )
        if (
            ind.cumulative
            and ind.direction != DECREASE
            and previous is not None
            and value < previous - rules.indicator_decrease_tolerance * span
        ):
            flag(
                FlagKind.INDICATOR_DECREASED,
                0.3 + 0.4 * clamp01((previous - value) / span),
                period,
                value=value,
                previous=previous,
            )
        previous = value

        got = achievement(ind, value)
        progress = _progress_on(series, period)
        if (
            got is not None
            and progress is not None
            and progress / 100 - max(got, 0.0) > rules.indicator_progress_gap
        ):
            inconsistent = (period, value, got, progress)

    if inconsistent is not None:  # only the latest: the same gap repeats period after period
        period, value, got, progress = inconsistent
        flag(
            FlagKind.INDICATOR_INCONSISTENT,
            0.3 + 0.5 * clamp01(progress / 100 - got - rules.indicator_progress_gap),
            period,
            value=value,
            achieved=round(100 * got, 1),
            progress=progress,
        )
    return flags


def _progress_on(series: list[ReportFact], period: date) -> float | None:
    """The progress reported for the latest period ending on or before `period`."""
    found = None
    for r in series:
        if r.period_end > period:
            break
        found = r.progress
    return float(found) if found is not None else None
