"""Reading from a PostgreSQL read replica (DATABASE_REPLICA_URL), safely.

Only requests that cannot write (GET and HEAD) read from the replica, and not:
- inside a transaction on the primary (what was just written must be read back from where it was written);
- for REPLICA_PIN_SECONDS after the same browser or token wrote something (a POST, PUT, PATCH or DELETE), so
  that the page a form redirects to shows what the form saved even while the replica lags a little;
- outside requests (the worker, commands, the shell), which always use the primary.
Writes always go to the primary. Without DATABASE_REPLICA_URL none of this is installed but the middleware,
which then does nothing.
"""

import contextvars
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "tongtui_primary"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_may_read_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("may_read_replica", default=False)


def replica_alias() -> str | None:
    return "replica" if "replica" in connections.settings else None


def pin_seconds() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 10))


def pinned(cookie: str | None, now: float) -> bool:
    """The browser wrote less than pin_seconds() ago (the cookie holds when, as a Unix time)."""
    try:
        return cookie is not None and now - float(cookie) < pin_seconds()
    except ValueError:
        return False


def may_read_replica(method: str, cookie: str | None, now: float) -> bool:
    return method in SAFE and not pinned(cookie, now)


class ReplicaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if replica_alias() is None:
            return self.get_response(request)
        now = time.time()
        token = _may_read_replica.set(may_read_replica(request.method or "", request.COOKIES.get(PIN_COOKIE), now))
        try:
            response = self.get_response(request)
        finally:
            _may_read_replica.reset(token)
        if request.method not in SAFE:
            response.set_cookie(
                PIN_COOKIE, f"{now:.0f}", max_age=pin_seconds(), httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )  # fmt: skip
        return response


class ReplicaRouter:
    """Reads go to the replica only where ReplicaMiddleware allowed it; everything else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        alias = replica_alias()
        if alias and _may_read_replica.get() and not connections["default"].in_atomic_block:
            return alias
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two connections to it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
