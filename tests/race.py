"""Real parallel requests: the same request sent from several threads at once, each thread with its own
database connection (tests run on a file database on SQLite, a server database on PostgreSQL).

Tests that use it are marked `django_db(transaction=True)`, so that what one thread commits the others see.
"""

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.test import Client
from rest_framework.test import APIClient


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


def one_wins(codes: list[int], won: int = 200, refused: tuple[int, ...] = (400, 409)) -> bool:
    """Exactly one request did it; the others were refused: 409 when they found the object moved on inside the
    transaction, 400 when they already saw its new state before trying (the page: 403, the button is gone)."""
    return codes.count(won) == 1 and all(c in refused for c in codes if c != won)


def api_client(user) -> APIClient:
    """One client per thread, in English so that the refusals can be read whatever the catalogue says."""
    client = APIClient()
    client.force_authenticate(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post_all(user, path: str, body: dict | None = None, n: int = 3) -> list:
    """The same POST from n clients at once."""
    clients = [api_client(user) for _ in range(n)]
    return at_once(n, lambda i: clients[i].post(path, body or {}, format="json"))


def each_once(*sends) -> list:
    """Different requests at once, each (client, method, path, body)."""
    return at_once(
        len(sends), lambda i: getattr(sends[i][0], sends[i][1])(sends[i][2], sends[i][3], format="json")
    )


def losers_say(responses: list, words: str) -> None:
    """Every request refused with 409 says why, in these words."""
    for loser in (r for r in responses if r.status_code == 409):
        assert words in loser.json()["detail"]
