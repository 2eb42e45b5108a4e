"""A save through `save_with_history` validates what changed since the row was read (core.loaded, core.history):
what did not change is not checked again (no query per foreign key, no uniqueness query), what changed is checked
as `full_clean` would, with the same words."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tongtui.core.history import save_with_history
from tongtui.core.loaded import unchanged
from tongtui.dispatch.models import ProgressReport, ReportStatus

D = datetime.date


@pytest.fixture
def report(cast) -> ProgressReport:
    made = ProgressReport.objects.create(
        task=cast.task_a, unit=cast.unit_a, period_start=D(2026, 3, 1), period_end=D(2026, 3, 31),
        status=ReportStatus.DRAFT, progress=Decimal("10"), done="第一季度",
    )  # fmt: skip
    ProgressReport.objects.create(
        task=cast.task_a, unit=cast.unit_a, period_start=D(2026, 4, 1), period_end=D(2026, 4, 30),
        status=ReportStatus.DRAFT, progress=Decimal("20"), done="四月",
    )  # fmt: skip
    return ProgressReport.objects.get(pk=made.pk)


def test_a_read_row_knows_what_changed(cast, report):
    assert "done" in unchanged(report) and "task" in unchanged(report)
    report.done = "改过"
    assert "done" not in unchanged(report)
    assert unchanged(ProgressReport(task=cast.task_a)) == set()  # a new row: everything is checked


def test_changing_text_only_asks_the_database_nothing_before_writing(cast, report):
    report.done = "完成可研批复"
    with CaptureQueriesContext(connection) as context:
        save_with_history(report, by=cast.user("liaison_a"))
    asked = [q["sql"] for q in context.captured_queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in asked if 'SELECT 1 AS "a"' in sql or "_check" in sql], asked


def test_full_clean_would_have_asked_the_database(cast, report, django_assert_max_num_queries):
    report.done = "完成可研批复"
    with django_assert_max_num_queries(20) as context:
        report.full_clean()
    assert len(context) >= 4  # task, unit, the period's uniqueness, the period order


def test_a_changed_period_that_collides_is_refused_in_words(cast, report):
    report.period_start, report.period_end = D(2026, 4, 1), D(2026, 4, 30)
    with pytest.raises(ValidationError) as refused:
        save_with_history(report, by=cast.user("liaison_a"))
    assert "__all__" in refused.value.message_dict


def test_one_changed_field_of_a_check_is_enough_to_check_it(cast, report):
    report.period_end = D(2026, 2, 1)  # before period_start, which did not change
    with pytest.raises(ValidationError):
        save_with_history(report, by=cast.user("liaison_a"))


def test_a_changed_foreign_key_to_nothing_is_refused(cast, report):
    report.unit_id = 987654
    with pytest.raises(ValidationError) as refused:
        save_with_history(report, by=cast.user("liaison_a"))
    assert "unit" in refused.value.message_dict


def test_a_new_row_pointing_at_nothing_is_refused(cast):
    new = ProgressReport(task=cast.task_a, unit_id=987654, period_start=D(2026, 5, 1), period_end=D(2026, 5, 31))
    with pytest.raises(ValidationError) as refused:
        save_with_history(new, by=cast.user("liaison_a"))
    assert "unit" in refused.value.message_dict


def test_a_changed_choice_is_checked_and_an_unchanged_odd_one_does_not_block(cast, report):
    ProgressReport.objects.filter(pk=report.pk).update(status="legacy")  # not a choice any more
    report = ProgressReport.objects.get(pk=report.pk)
    report.progress = Decimal("30")
    save_with_history(report, by=cast.user("liaison_a"))  # what was stored is not this change's fault
    report.confidence = 9
    with pytest.raises(ValidationError) as refused:
        save_with_history(report, by=cast.user("liaison_a"))
    assert "confidence" in refused.value.message_dict


def test_a_save_and_a_refresh_bring_the_record_up_to_date(cast, report):
    report.done = "第二版"
    save_with_history(report, by=cast.user("liaison_a"))
    assert "done" in unchanged(report)
    ProgressReport.objects.filter(pk=report.pk).update(done="别人改的")
    report.refresh_from_db()
    assert report.done == "别人改的" and "done" in unchanged(report)
    report.period_start = D(2026, 4, 1)
    report.refresh_from_db(fields=["done"])
    assert "period_start" not in unchanged(report)  # not refreshed: still a change of ours


def test_vouched_fields_are_not_asked_and_the_database_still_refuses_a_taken_period(cast, report):
    from django.db import IntegrityError, transaction

    fields = ("task", "unit", "period_start", "period_end")
    new = ProgressReport(task=cast.task_a, unit_id=cast.unit_a.pk, period_start=D(2026, 5, 1),
                         period_end=D(2026, 5, 31))  # fmt: skip
    with CaptureQueriesContext(connection) as context:
        save_with_history(new, by=cast.user("liaison_a"), vouched=fields)
    asked = [q["sql"] for q in context.captured_queries if q["sql"].startswith("SELECT")]
    assert asked == [], asked  # no unit, uniqueness or period-order query
    taken = ProgressReport(task=cast.task_a, unit_id=cast.unit_a.pk, period_start=D(2026, 5, 1),
                           period_end=D(2026, 5, 31))  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        save_with_history(taken, by=cast.user("liaison_a"), vouched=fields)
    with pytest.raises(ValidationError):  # not vouched: refused in words, as before
        save_with_history(taken, by=cast.user("liaison_a"))
