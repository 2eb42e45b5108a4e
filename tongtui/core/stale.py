"""Derived rows marked stale by the request that changed their inputs, recomputed by the worker.

A request only marks: one upsert in its own transaction, so the mark commits (or rolls back) with the change.
`tongtui worker` takes the marks each round, recomputes them in one batch and clears each mark unless it was
marked again meanwhile (a conditional DELETE on `marked_at`), so a change made during the recompute is never
lost and two workers at once only recompute twice. With `DERIVED_REFRESH = "commit"` the marks are
recomputed right after the request's commit instead (a deployment without a worker; the test suite).
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tongtui.core.models import Stale

BATCH = 2000
_held = threading.local()


def in_worker() -> bool:
    return getattr(settings, "DERIVED_REFRESH", "worker") != "commit"


def _upsert(marks: list[tuple[str, int]]) -> None:
    now = timezone.now()
    Stale.objects.bulk_create(
        [Stale(kind=kind, key=key, marked_at=now) for kind, key in marks],
        update_conflicts=True,
        unique_fields=["kind", "key"],
        update_fields=["marked_at"],
    )


def _write(kind: str, key: int) -> None:
    held = getattr(_held, "marks", None)
    if held is None:
        _upsert([(kind, key)])
    elif (kind, key) not in held:
        held.append((kind, key))


@contextmanager
def together() -> Iterator[None]:
    """Marks made inside the block are written as one upsert at its end, still inside the caller's transaction
    (one save's listeners mark a light, a repeat check and scores: one statement instead of three). A block
    that raises writes none of them: the change they belong to did not happen. Nested blocks write at the
    outermost one's end."""
    if getattr(_held, "marks", None) is not None:
        yield
        return
    _held.marks = []
    try:
        yield
        marks = _held.marks
    finally:
        _held.marks = None
    if marks:
        _upsert(marks)


def mark(kind: str, key: int, then: Callable[[], Any] | None = None) -> None:
    """Mark `key` of `kind` stale in the current transaction. In "commit" mode (with a `then`), the mark is written
    only once the transaction has committed and `then` recomputes it at once: a transaction that never commits
    leaves the stored rows as they were, as before there were marks."""
    if then is None or in_worker():
        _write(kind, key)
        return

    def after_commit() -> None:
        _upsert([(kind, key)])  # at once, not held: a save outside a transaction runs this inside its own block
        then()

    transaction.on_commit(after_commit, robust=True)


def refresh(kind: str, recompute: Callable[[list[int]], Any], *, rounds: int = 50) -> int:
    """Recompute every key marked stale (in batches); returns how many marks were cleared."""
    cleared = 0
    for _ in range(rounds):
        rows = list(
            Stale.objects.filter(kind=kind)
            .order_by("marked_at")
            .values_list("pk", "key", "marked_at")[:BATCH]
        )
        if not rows:
            break
        recompute(sorted({key for _pk, key, _at in rows}))
        for i in range(0, len(rows), 200):  # SQLite caps an expression's depth
            done = Q()
            for pk, _key, at in rows[i : i + 200]:
                done |= Q(pk=pk, marked_at=at)
            cleared += Stale.objects.filter(done).delete()[0]
        if len(rows) < BATCH:
            break
    return cleared


def stale_keys(kind: str, keys: list[int]) -> set[int]:
    return set(Stale.objects.filter(kind=kind, key__in=keys).values_list("key", flat=True))
