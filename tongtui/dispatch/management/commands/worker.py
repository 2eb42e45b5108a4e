"""`tongtui worker`: run the periodic jobs when due, and the queued background jobs.

Every tick, each periodic job is claimed with a conditional UPDATE on its PeriodicJob row (only the worker
whose UPDATE changed the row enqueues it, so several workers never run it twice), then every queued job
is run by django-tasks-db's worker in batch mode, or, with TASKS_BACKEND=rq, by an RQ worker in burst mode
(the queue in Redis, for several workers on several machines).

A claim is a lease (at most LEASE): the job's next run moves a whole period on only once the run has
succeeded. A worker killed mid-run (kill -9, a crash, a lost machine) leaves its claim to expire, and the
run it left RUNNING is marked failed after STALE, so another worker runs the hour's sweep again: every
periodic job is idempotent.
"""

import datetime
import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends

from tongtui.dispatch.models import PeriodicJob
from tongtui.dispatch.tasks import PERIODIC, Periodic
from tongtui.notify.tasks import InWorker

LEASE = datetime.timedelta(minutes=10)
STALE = datetime.timedelta(minutes=30)
log = logging.getLogger(__name__)


class WorkerLost(Exception):
    """What a run left RUNNING by a worker that died is marked failed with."""


def lease(job: Periodic) -> datetime.timedelta:
    return min(job.every, LEASE)


def claim(job: Periodic, now: datetime.datetime) -> bool:
    """True for exactly one caller per run of the job; the run is leased, not yet done."""
    PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    claimed = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + lease(job), last_claimed_at=now, result_id=""
    )
    return claimed == 1


def _finished(job: Periodic, claimed_at: datetime.datetime, now: datetime.datetime) -> None:
    """The run of this claim succeeded: the next one is a whole period after the claim."""
    PeriodicJob.objects.filter(name=job.name, last_claimed_at=claimed_at).update(
        next_run_at=claimed_at + job.every, result_id="", last_finished_at=now
    )


def enqueue_due(now: datetime.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    started = []
    for job in PERIODIC:
        if not claim(job, now):
            continue
        try:
            out = job.job.enqueue()
        except Exception:  # retried when the lease ends
            log.exception("periodic job %s failed; it runs again after its lease", job.name)
            continue
        result_id = getattr(out, "id", None)
        if isinstance(job.job, InWorker) or not result_id:
            _finished(job, now, timezone.now())  # it ran here, to the end
        else:
            PeriodicJob.objects.filter(name=job.name, last_claimed_at=now).update(result_id=str(result_id))
        started.append(job.name)
    return started


def settle(now: datetime.datetime | None = None) -> dict[str, int]:
    """Follow the queued runs of the periodic jobs: a successful one frees its job until the next period; one
    still waiting or running keeps its lease; a failed one (or one a dead worker left RUNNING for longer than
    STALE, marked failed here) lets the lease expire, so the next claim runs it again."""
    now = now or timezone.now()
    jobs = {job.name: job for job in PERIODIC}
    out = {"finished": 0, "failed": 0, "waiting": 0, "reaped": reap_stale(now)}
    for row in PeriodicJob.objects.exclude(result_id="").filter(name__in=list(jobs)):
        job = jobs[row.name]
        try:
            result = job.job.get_result(row.result_id)
        except Exception:  # the result is gone (pruned, another backend): nothing to wait for
            result = None
        status = getattr(result, "status", None)
        if status == TaskResultStatus.SUCCESSFUL and row.last_claimed_at is not None:
            _finished(job, row.last_claimed_at, now)
            out["finished"] += 1
        elif status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
            PeriodicJob.objects.filter(pk=row.pk, result_id=row.result_id).update(next_run_at=now + lease(job))
            out["waiting"] += 1
        else:
            PeriodicJob.objects.filter(pk=row.pk, result_id=row.result_id).update(result_id="")
            out["failed"] += 1
    return out


def reap_stale(now: datetime.datetime) -> int:
    """Runs of the database queue left RUNNING by a worker that died, marked failed (so they are not RUNNING
    for good); the periodic ones among them run again when their lease ends."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - django-tasks-db is a dependency
        return 0
    stale = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - STALE))
    for result in stale:
        result.set_failed(WorkerLost(f"the worker running it stopped answering before {now - STALE:%Y-%m-%d %H:%M}"))
    return len(stale)


def run_rq_queue(worker_id: str) -> None:
    """The Redis queue (TASKS_BACKEND=rq): run what is queued now, in this process, then return to the round.
    RQ itself marks a job whose worker died (its heartbeat stops) as failed; settle() then lets the periodic
    job's lease expire and the next claim runs it again."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job, name=f"tongtui-{worker_id}")
    worker.work(burst=True, logging_level="WARNING", with_scheduler=False)


def run_queue(worker_id: str) -> None:
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if type(backend).__name__ == "RQBackend":
        run_rq_queue(worker_id)
        return
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
            settle()
            if once:
                break
            time.sleep(interval)
