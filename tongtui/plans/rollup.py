"""Progress roll-up: a parent's progress is its children's progress weighted by their weight."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def weighted_progress(children: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Weighted mean of (weight, progress) pairs; None when there is nothing to weigh.

    Children of weight zero count only when every child weighs zero (then all count equally).
    """
    items = [(Decimal(w), Decimal(p)) for w, p in children]
    if not items:
        return None
    total = sum((w for w, _ in items), Decimal(0))
    if total == 0:
        mean = sum((p for _, p in items), Decimal(0)) / len(items)
    else:
        mean = sum((w * p for w, p in items), Decimal(0)) / total
    return min(Decimal(100), max(Decimal(0), mean)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
