"""Risk-weighted spot-check sampling (抽查) without replacement, reproducible from a seed.

Every task in the population gets a weight: a floor that gives every task a chance (the random
component) plus its integrity risk (0..1) times `risk_weight`. Each task then draws a key
u ** (1 / weight), where u in (0, 1) comes from SHA-256 of the seed and the task id, and the tasks
with the largest keys are drawn (weighted sampling without replacement, Efraimidis–Spirakis).

Because u depends only on the seed and the task id, the draw is auditable: the same seed over the
same population with the same weights gives the same sample, whatever order the population comes in;
anyone can recompute each task's key from the figures stored with the draw.
"""

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DEFAULT_FLOOR = 0.2
DEFAULT_RISK_WEIGHT = 1.0


@dataclass(frozen=True, slots=True)
class Drawn:
    task_id: int
    weight: float
    risk: float
    key: float
    rank: int  # 1 = drawn first


def new_seed() -> str:
    """A fresh seed, recorded with the draw so that it can be repeated."""
    return secrets.token_hex(8)


def uniform(seed: str, task_id: int) -> float:
    """A number in (0, 1), fixed by the seed and the task id."""
    digest = hashlib.sha256(f"{seed}:{task_id}".encode()).digest()
    return (int.from_bytes(digest[:8], "big") + 0.5) / 2**64


def weight_of(risk: float, floor: float = DEFAULT_FLOOR, risk_weight: float = DEFAULT_RISK_WEIGHT) -> float:
    return floor + risk_weight * min(1.0, max(0.0, risk))


def draw(
    population: Iterable[int],
    risks: Mapping[int, float],
    size: int,
    seed: str,
    *,
    floor: float = DEFAULT_FLOOR,
    risk_weight: float = DEFAULT_RISK_WEIGHT,
) -> list[Drawn]:
    """Draw `size` distinct tasks of `population`, weighted by risk; the same inputs give the same draw."""
    if floor <= 0:
        raise ValueError("floor must be positive: every task needs a chance to be drawn")
    if risk_weight < 0:
        raise ValueError("risk_weight must not be negative")
    keyed = []
    for task_id in sorted(set(population)):
        risk = float(risks.get(task_id, 0.0))
        w = weight_of(risk, floor, risk_weight)
        keyed.append((uniform(seed, task_id) ** (1.0 / w), task_id, w, risk))
    keyed.sort(key=lambda k: (-k[0], k[1]))
    return [
        Drawn(task_id=t, weight=round(w, 6), risk=round(r, 6), key=key, rank=i + 1)
        for i, (key, t, w, r) in enumerate(keyed[: max(0, size)])
    ]
