import random
from collections import Counter

import pytest

from tongtui.supervision.sampling import draw, uniform, weight_of


def test_the_same_seed_and_population_give_the_same_draw():
    risks = {t: (t % 7) / 7 for t in range(1, 200)}
    a = draw(range(1, 200), risks, 15, "audit-2026")
    b = draw(reversed(range(1, 200)), dict(reversed(list(risks.items()))), 15, "audit-2026")
    assert [d.task_id for d in a] == [d.task_id for d in b]
    assert [d.key for d in a] == [d.key for d in b]


def test_another_seed_gives_another_draw():
    a = draw(range(1, 200), {}, 15, "seed-1")
    b = draw(range(1, 200), {}, 15, "seed-2")
    assert [d.task_id for d in a] != [d.task_id for d in b]


def test_it_draws_without_replacement_and_never_more_than_the_population():
    drawn = draw([3, 3, 5, 8], {}, 10, "s")
    assert sorted(d.task_id for d in drawn) == [3, 5, 8]
    assert [d.rank for d in drawn] == [1, 2, 3]


def test_risky_tasks_are_drawn_more_often_but_not_always():
    risks = {t: 1.0 if t <= 10 else 0.0 for t in range(1, 101)}
    hits: Counter[bool] = Counter()
    for s in range(300):
        for d in draw(range(1, 101), risks, 10, f"s{s}"):
            hits[d.task_id <= 10] += 1
    # risky tasks weigh 1.2 against 0.2: far more than their 10 % share, yet others are drawn too
    assert hits[True] > 3 * hits[False] / 9
    assert hits[False] > 0


def test_a_drawn_key_can_be_recomputed_from_the_seed_the_task_and_its_weight():
    d = draw(range(1, 50), {7: 0.5}, 49, "check")
    seven = next(x for x in d if x.task_id == 7)
    assert seven.weight == weight_of(0.5)
    assert seven.key == uniform("check", 7) ** (1 / seven.weight)


def test_a_zero_floor_is_refused():
    with pytest.raises(ValueError):
        draw([1], {}, 1, "s", floor=0)


def test_uniform_stays_inside_the_open_interval():
    rng = random.Random(1)
    values = [uniform(str(rng.random()), i) for i in range(1000)]
    assert all(0 < v < 1 for v in values)
