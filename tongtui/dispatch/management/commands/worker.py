"""`tongtui worker`: run the periodic jobs when due, and the queued background jobs.

Every tick, each periodic job is claimed with a conditional UPDATE on its PeriodicJob row (only the worker
whose UPDATE changed the row enqueues it, so several workers never run it twice), then every queued job
is run by django-tasks-db's worker in batch mode. With another task backend (e.g. RQ) only the periodic
part runs here and that backend's own worker runs the queue.
"""

import datetime
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from tongtui.dispatch.models import PeriodicJob
from tongtui.dispatch.tasks import PERIODIC, Periodic


def claim(job: Periodic, now: datetime.datetime) -> bool:
    """True for exactly one caller per run of the job."""
    PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    claimed = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + job.every, last_claimed_at=now
    )
    return claimed == 1


def enqueue_due(now: datetime.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    started = []
    for job in PERIODIC:
        if claim(job, now):
            job.job.enqueue()
            started.append(job.name)
    return started


def run_queue(worker_id: str) -> None:
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    try:
        from django_tasks_db import DatabaseBackend
        from django_tasks_db.management.commands.db_worker import Worker
    except ImportError:  # pragma: no cover - django-tasks-db is a dependency
        return
    if not isinstance(backend, DatabaseBackend):
        return
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


class Command(BaseCommand):
    help = "Run periodic jobs (hourly reminder sweep) and queued background jobs until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between rounds (default 5).")

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        self.running = True
        worker_id = get_random_string(24)

        def stop(signum: int, frame: Any) -> None:
            self.running = False

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while self.running:
            if not connection.in_atomic_block:  # inside a caller's transaction (tests) the connection is theirs
                close_old_connections()
            for name in enqueue_due():
                self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} started {name}")
            run_queue(worker_id)
            if once:
                break
            time.sleep(interval)
