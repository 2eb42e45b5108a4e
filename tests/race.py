"""Real parallel requests: the same request sent from several threads at once, each thread with its own
database connection (tests run on a file database on SQLite, a server database on PostgreSQL).

Tests that use it are marked `django_db(transaction=True)`, so that what one thread commits the others see.
"""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def at_once(n: int, send: Callable[[int], Any]) -> list[Any]:
    """Call send(0) … send(n-1) in n threads released together; return what each returned (or raised)."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = send(i)
        except Exception as exc:  # the caller asserts on it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def statuses(responses: list[Any]) -> list[int]:
    """The HTTP status of each response, sorted; an exception raised in a thread fails the test here."""
    for r in responses:
        if isinstance(r, Exception):
            raise r
    return sorted(r.status_code for r in responses)
