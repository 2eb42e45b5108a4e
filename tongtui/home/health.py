"""`/healthz`: what a load balancer and a monitor ask. No login, no cookies, nothing private.

200 when this app server can serve: the database answers (and Redis, when the queue lives there); 503
otherwise, so the load balancer takes the server out. The worker is reported too ("ok", or "late" when no
worker has finished a round of the 15-second delivery job for WORKER_LATE), but a late worker does not take
the web servers out: a monitor should alert on it instead.
"""

import datetime
import time
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tongtui.dispatch.models import PeriodicJob

WORKER_LATE = datetime.timedelta(minutes=5)
WORKER_PROBE_JOB = "notify.deliver"  # every 15 s, run by every worker round that claims it


def _timed(check: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:  # the reason is for the operator; no data leaves with it
        return {"status": "fail", "error": type(exc).__name__, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return {"status": "ok", **(detail or {}), "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis() -> None:
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()


def worker_state(now: datetime.datetime) -> dict[str, Any]:
    last = PeriodicJob.objects.filter(name=WORKER_PROBE_JOB).values_list("last_finished_at", flat=True).first()
    if last is None:
        return {"status": "late", "last_round": None}
    late = now - last > WORKER_LATE
    return {"status": "late" if late else "ok", "last_round": last.isoformat()}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, Any] = {"database": _timed(lambda: _database("default"))}
    if "replica" in connections.settings:
        checks["replica"] = _timed(lambda: _database("replica"))
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
        checks["redis"] = _timed(_redis)
    serving = all(c["status"] == "ok" for c in checks.values())
    if checks["database"]["status"] == "ok":
        checks["worker"] = worker_state(timezone.now())
    return JsonResponse({"status": "ok" if serving else "fail", "checks": checks}, status=200 if serving else 503)
