import datetime
from decimal import Decimal

import openpyxl
from django.core.management import call_command
from django.utils import timezone

from tongtui.dispatch.models import Attachment, ProgressReport, ReportStatus
from tongtui.plans.models import Task
from tongtui.supervision import integrity_db
from tongtui.supervision.models import FlagStatus, IntegrityFlag

D = datetime.date
TEXT = "在城关社区召开征迁协议专题会议,会同区住建局完成入户调查四十二户,东湖路段启动土方开挖,资金申报同步推进,下一步加快主体结构施工。"


def filed(task, unit, end, progress, text="", submitted=None, **kw):
    submitted = submitted or timezone.make_aware(datetime.datetime.combine(end, datetime.time(10)))
    submitted += datetime.timedelta(days=3)
    return ProgressReport.objects.create(
        task=task, unit=unit, period_start=end.replace(day=1), period_end=end, progress=Decimal(progress),
        done=text, status=ReportStatus.ACCEPTED, first_submitted_at=submitted, submitted_at=submitted, **kw,
    )  # fmt: skip


def other_task(cast):
    return Task.objects.create(plan=cast.plan, code="3", title="城关片区改造", lead_unit=cast.unit_b,
                               start=D(2026, 1, 1), due=D(2026, 12, 31), status="in_progress")  # fmt: skip


def test_a_text_copied_from_another_unit_is_flagged_for_the_later_report(cast):
    tb = other_task(cast)
    filed(cast.task_a, cast.unit_a, D(2026, 3, 31), 20, TEXT)
    copy = filed(
        tb,
        cast.unit_b,
        D(2026, 3, 31),
        25,
        TEXT,
        submitted=timezone.make_aware(datetime.datetime(2026, 3, 31, 18)) + datetime.timedelta(days=1),
    )
    run = integrity_db.run_integrity(cast.plan, D(2026, 6, 30))
    texts = [f for f in run.flags if f.kind.value == "text_matches_other_unit"]
    assert [(f.task_id, f.report_id) for f in texts] == [(tb.pk, copy.pk)]


def test_flags_use_only_what_was_known_on_the_date(cast):
    tb = other_task(cast)
    filed(cast.task_a, cast.unit_a, D(2026, 3, 31), 20, TEXT)
    filed(
        tb,
        cast.unit_b,
        D(2026, 3, 31),
        25,
        TEXT,
        submitted=timezone.make_aware(datetime.datetime(2026, 5, 20, 9)),
    )
    assert not [
        f
        for f in integrity_db.run_integrity(cast.plan, D(2026, 4, 30)).flags
        if f.kind.value.startswith("text")
    ]
    late = integrity_db.run_integrity(cast.plan, D(2026, 6, 30)).flags
    assert {f.kind.value for f in late} >= {"text_matches_other_unit", "backdated"}


def test_an_evidence_file_reused_by_another_unit_is_flagged(cast):
    tb = other_task(cast)
    a = filed(cast.task_a, cast.unit_a, D(2026, 3, 31), 20)
    b = filed(tb, cast.unit_b, D(2026, 4, 30), 25)
    for r in (a, b):
        Attachment.objects.create(report=r, unit=r.unit, file="x.pdf", original_name="照片.jpg", kind="jpg", size=1,
                                  sha256="ab" * 32)  # fmt: skip
    assert not integrity_db.run_integrity(cast.plan, D(2026, 6, 30)).flags  # the files came later
    Attachment.objects.update(uploaded_at=timezone.make_aware(datetime.datetime(2026, 5, 3)))
    flags = [
        f
        for f in integrity_db.run_integrity(cast.plan, D(2026, 6, 30)).flags
        if f.kind.value == "evidence_reused"
    ]
    assert [(f.report_id, f.figures["cross_unit"]) for f in flags] == [(b.pk, True)]


def test_an_edit_while_filed_is_flagged_but_a_correction_through_a_return_is_not(cast):
    r = filed(cast.task_a, cast.unit_a, D(2026, 3, 31), 20, "原文")
    r.done = "改过的文字"
    r.save()  # a change behind the workflow's back, while accepted
    flags = integrity_db.run_integrity(cast.plan, timezone.localdate()).flags
    assert [f.kind.value for f in flags if f.report_id == r.pk] == ["edited_after_submission"]
    s = filed(cast.task_c, cast.unit_c, D(2026, 3, 31), 20, "原文")
    s.status = ReportStatus.RETURNED
    s.save()
    s.done = "更正"
    s.save()
    s.status = ReportStatus.SUBMITTED
    s.save()
    flags = integrity_db.run_integrity(cast.plan, timezone.localdate()).flags
    assert not [f for f in flags if f.report_id == s.pk and f.kind.value == "edited_after_submission"]


def test_stored_flags_keep_the_offices_verdict_and_drop_what_is_no_longer_raised(cast):
    filed(cast.task_a, cast.unit_a, D(2026, 10, 31), 100)  # completion without evidence
    tb = other_task(cast)
    filed(tb, cast.unit_b, D(2026, 10, 31), 100)
    assert integrity_db.refresh_plan(cast.plan)["new"] == 2
    mine, theirs = IntegrityFlag.objects.order_by("task_id")
    assert mine.kind == "completion_without_evidence" and "100%" in mine.reason and mine.reason_en
    mine.status = FlagStatus.DISMISSED
    mine.save()
    ProgressReport.objects.filter(task=tb).delete()
    assert integrity_db.refresh_plan(cast.plan) == {"new": 0, "updated": 1, "removed": 1}
    assert list(IntegrityFlag.objects.values_list("pk", "status")) == [(mine.pk, "dismissed")]


def test_the_command_writes_one_row_per_flag(cast, tmp_path):
    filed(cast.task_a, cast.unit_a, D(2026, 11, 30), 100)
    out = tmp_path / "flags.xlsx"
    call_command("integrity", "--plan", "2026", "--as-of", "2026-12-31", "-o", str(out))
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("任务编号", "任务名称", "单位", "期间", "类型", "强度", "原因")
    assert len(rows) == 2 and rows[1][0] == "1" and rows[1][2] == "区发改局"
    assert "佐证" in rows[1][6]
    assert not IntegrityFlag.objects.exists()  # exported, not stored, without --save


def test_a_milestone_needing_evidence_counts_a_report_with_evidence_around_its_completion(cast):
    from tongtui.plans.models import Milestone

    Milestone.objects.create(task=cast.task_a, title="完成立项", due=D(2026, 4, 30), planned_progress=30,
                             evidence_required=True, done_on=D(2026, 4, 20))  # fmt: skip
    Milestone.objects.create(task=cast.task_c, title="完成招标", due=D(2026, 4, 30), planned_progress=30,
                             evidence_required=True, done_on=D(2026, 4, 20))  # fmt: skip
    r = filed(cast.task_a, cast.unit_a, D(2026, 4, 30), 30)
    Attachment.objects.create(report=r, unit=cast.unit_a, file="x.pdf", original_name="批复.pdf", kind="pdf", size=1,
                              sha256="cd" * 32)  # fmt: skip
    flags = integrity_db.run_integrity(cast.plan, timezone.localdate()).flags
    assert [f.task_id for f in flags if f.kind.value == "completion_without_evidence"] == [cast.task_c.pk]


def test_the_command_refuses_an_unknown_plan(cast, tmp_path):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("integrity", "--plan", "1999", "-o", str(tmp_path / "x.xlsx"))
