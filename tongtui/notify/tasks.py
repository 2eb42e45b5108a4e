"""The worker's notify jobs. dispatch.tasks adds them to its periodic list (notify sits below dispatch)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django_tasks import task

from tongtui.notify import delivery


@task()
def deliver() -> dict[str, int]:
    """Send the e-mails and robot posts that are due (retries included)."""
    return delivery.deliver_due()


@task()
def digests() -> int:
    """At the digest hour, start each person's daily digest of held e-mails."""
    return delivery.build_digests()


@dataclass(frozen=True)
class InWorker:
    """Run inside the worker's round where it is claimed, instead of filling the queue every few seconds."""

    job: Any

    def enqueue(self) -> Any:
        return self.job.call()


JOBS = [
    ("notify.deliver", datetime.timedelta(seconds=15), InWorker(deliver)),
    ("notify.digests", datetime.timedelta(hours=1), InWorker(digests)),
]
