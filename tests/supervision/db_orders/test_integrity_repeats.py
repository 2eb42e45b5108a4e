"""The integrity job and the flag written at submission agree: one flag per report sent in as last period's."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.dispatch.test_repeats import APRIL_HONEST, MARCH_DONE, MARCH_NEXT
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.supervision import integrity_db
from tongtui.supervision.models import IntegrityFlag

D = datetime.date


def filed(cast, month, done, next_steps="", **kw):
    end = D(2026, month + 1, 1) - datetime.timedelta(days=1)
    moment = timezone.make_aware(datetime.datetime(2026, month, 26, 10))
    return ProgressReport.objects.create(
        task=cast.task_a, unit=cast.unit_a, period_start=D(2026, month, 1), period_end=end,
        progress=Decimal(10 * month), done=done, next_steps=next_steps, status=ReportStatus.SUBMITTED,
        first_submitted_at=moment, submitted_at=moment, **kw,
    )  # fmt: skip


def test_the_daily_job_finds_a_report_sent_in_as_the_pre_fill(cast):
    filed(cast, 3, MARCH_DONE, MARCH_NEXT)
    april = filed(cast, 4, MARCH_NEXT)
    filed(cast, 5, APRIL_HONEST)
    run = integrity_db.run_integrity(cast.plan, D(2026, 6, 30))
    assert [(f.kind.value, f.report_id) for f in run.flags if f.kind.value == "same_as_prefill"] == [
        ("same_as_prefill", april.pk)
    ]


def test_the_flag_written_at_submission_is_the_one_the_job_keeps(cast):
    filed(cast, 3, MARCH_DONE, MARCH_NEXT)
    april = filed(cast, 4, MARCH_NEXT)
    first = integrity_db.flag_repeat(april.pk)
    assert integrity_db.flag_repeat(april.pk).pk == first.pk  # written twice: still one
    integrity_db.refresh_plan(cast.plan)
    integrity_db.refresh_plan(cast.plan)
    assert list(IntegrityFlag.objects.filter(kind="same_as_prefill").values_list("pk", flat=True)) == [
        first.pk
    ]


def test_figures_changed_only_is_one_flag_not_also_a_repeat_of_the_same_report(cast):
    march = filed(cast, 3, MARCH_DONE, MARCH_NEXT)
    april = filed(cast, 4, MARCH_DONE.replace("45%", "58%"))
    run = integrity_db.run_integrity(cast.plan, D(2026, 6, 30))
    about_april = [f for f in run.flags if f.report_id == april.pk]
    assert [f.kind.value for f in about_april if f.kind.value.startswith(("text_", "figures_"))] == [
        "figures_changed_only"
    ]
    assert about_april[0].figures["other_report"] == march.pk


def test_imported_history_is_not_flagged(cast):
    filed(cast, 3, MARCH_DONE, MARCH_NEXT, imported=True)
    april = filed(cast, 4, MARCH_NEXT, imported=True)
    assert integrity_db.flag_repeat(april.pk) is None
    run = integrity_db.run_integrity(cast.plan, D(2026, 6, 30))
    assert not [f for f in run.flags if f.kind.value == "same_as_prefill"]


def test_a_flag_at_submission_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    filed(cast, 3, MARCH_DONE, MARCH_NEXT)
    april = filed(cast, 4, MARCH_NEXT)
    with django_assert_max_num_queries(
        9
    ):  # the report, its task's reports, stale flags, get-or-create (savepoint)
        integrity_db.flag_repeat(april.pk)
