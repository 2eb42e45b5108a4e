"""bench/scale.py cannot rot: its generator loads a tiny plan year on the test database and the suite's pieces
run on it (a page measured beside its replayed SQL, a report filed through the API)."""

import sys
from pathlib import Path

import pytest
from django.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import scale  # noqa: E402
import scale_data  # noqa: E402

from tongtui.dispatch.models import ProgressReport, ReportStatus  # noqa: E402
from tongtui.plans.models import Milestone, Task  # noqa: E402


@pytest.mark.django_db
def test_the_generator_loads_a_tiny_year_that_the_suite_reads_and_writes(settings):
    settings.DERIVED_REFRESH = "worker"  # as deployed: a filing marks its light and scores for the worker
    loaded = scale_data.generate("tiny", seed=1, log=lambda *a: None)
    shape = scale_data.SHAPES["tiny"]
    assert (loaded["tasks"], loaded["milestones"], loaded["reports"]) == (
        shape.tasks,
        shape.milestones,
        shape.reports,
    )
    assert Task.objects.count() == shape.tasks and Milestone.objects.count() == shape.milestones
    assert Task.objects.create(plan_id=1, code="new", title="序列已重置").pk == shape.tasks + 1

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(scale.get_user_model_by("office"))
    row = scale.measure("cockpit", lambda i: scale.check(client.get("/cockpit/")), 2)
    assert row["queries"] > 0 and row["sql"] is not None and row["median"] >= row["sql"]
    busiest = Task.objects.exclude(lead_unit=None).order_by("lead_unit_id").values_list("lead_unit_id", flat=True)[0]
    for step in (scale.home_of("leader"), scale.home_of("liaison", person__memberships__unit_id=busiest)):
        assert scale.measure("home page", step, 1)["queries"] > 0

    free = scale.period_start_free()
    task = Task.objects.filter(status="in_progress").order_by("pk").first()
    liaison = scale.get_user_model_by(f"u{task.lead_unit_id - 3:05d}-liaison")
    client.force_login(liaison)
    scale.file_report(client, task.pk, free)
    assert ProgressReport.objects.get(task=task, period_start=free).status == ReportStatus.SUBMITTED
    from tongtui.core.models import Stale

    assert Stale.objects.filter(key=task.pk).exists()
    assert scale.worker_round() > 0 and not Stale.objects.exists()


def test_weekly_and_monthly_periods_start_the_year():
    assert scale_data.periods("weekly", 40)[-1][0].isoformat() == "2026-10-05"
    assert len(scale_data.periods("monthly", 11)) == 11
