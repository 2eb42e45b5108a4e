"""A versioned claim (core.claims): a row claimed at the very version the caller read it at is not read again;
a caller whose copy is older than the version it claims reads the row again before saving over it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dispatch.conftest import MARCH
from tongtui.core.errors import Conflict
from tongtui.dispatch import actions
from tongtui.dispatch.models import ProgressReport, ReportStatus


@pytest.fixture
def report(d) -> ProgressReport:
    made = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    return ProgressReport.objects.get(pk=made.pk)


def test_a_claim_at_the_version_read_writes_without_reading_again(d, report):
    with CaptureQueriesContext(connection) as context:
        actions.save_draft(report, by=d.user("liaison_a"), version=report.version, done="完成可研批复")
    reads = [
        q["sql"] for q in context.captured_queries if q["sql"].startswith('SELECT "dispatch_progressreport"')
    ]
    assert reads == []
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.version, stored.done, report.version) == (2, "完成可研批复", 2)


def test_an_older_copy_is_read_again_before_its_save(d, report):
    liaison = d.user("liaison_a")
    old_copy = ProgressReport.objects.get(pk=report.pk)
    actions.save_draft(report, by=liaison, version=1, progress=Decimal(30), done="第一稿")
    # the caller holds version 1 but sends 2 (it saw the new version elsewhere): the claim takes the row and the
    # copy is brought up to date, so the save keeps what the other save wrote
    actions.save_draft(old_copy, by=liaison, version=2, next_steps="推进招标")
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.version, stored.done, stored.progress, stored.next_steps) == (3, "第一稿", 30, "推进招标")


def test_a_claim_at_an_old_version_is_refused(d, report):
    liaison = d.user("liaison_a")
    actions.save_draft(report, by=liaison, version=1, done="第一稿")
    with pytest.raises(Conflict):
        actions.save_draft(ProgressReport.objects.get(pk=report.pk), by=liaison, version=1, done="覆盖")
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.version, stored.done, stored.status) == (2, "第一稿", ReportStatus.DRAFT)
