"""年终评估 in assessment: freezing the year's scores (only once every task is decided; the ledger is never
rewritten after; the ranking kept), the review page, the results workbook and the report, the API, and who
sees what (the office acts, leaders read, anyone else 404)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

from tongtui.assessment import actions
from tongtui.assessment.actions_yearend import freeze_year
from tongtui.assessment.ledger_db import recompute
from tongtui.assessment.models import FrozenRow, ManualEntry, ScoreEntry, YearFreeze
from tongtui.assessment.rules_data import RuleKind
from tongtui.assessment.tasks import scores_daily
from tongtui.assessment.yearend_compose import ReportFacts, TaskLine, overview, share
from tongtui.core.errors import ActionError, Conflict
from tongtui.plans.actions_yearend import record_outcomes
from tongtui.plans.models import Outcome, Plan, Task, TaskOutcome
from tongtui.supervision.models import RectificationOrder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    from django.conf import settings
    from django.test import Client

    real = Client.__init__

    def init(self, *a, **kw):
        real(self, *a, **kw)
        self.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    monkeypatch.setattr(Client, "__init__", init)
    with translation.override("en"):
        yield


@pytest.fixture
def scored(cast):
    Task.objects.filter(plan=cast.plan).update(status="in_progress", assigned_at=timezone.make_aware(
        datetime.datetime(2026, 1, 10, 9)))  # fmt: skip
    RectificationOrder.objects.create(
        plan=cast.plan, unit=cast.unit_a, task=cast.task_a, problem="台账不全", requirement="补齐",
        issued_on=datetime.date(2026, 3, 2), workdays=5, deadline=datetime.date(2026, 3, 9),
        first_deadline=datetime.date(2026, 3, 9), status="not_passed", for_assessment=True,
        verified_at=timezone.make_aware(datetime.datetime(2026, 3, 10, 9)),
    )  # fmt: skip
    recompute(cast.plan)
    return cast


def decide_all(cast):
    office = cast.user("office")
    record_outcomes(cast.plan, [cast.task_a.pk], by=office, outcome=Outcome.CLOSED, reason="验收通过")
    record_outcomes(
        cast.plan, [cast.task_c.pk], by=office, outcome=Outcome.CARRIED_OVER, reason="项目跨年度实施"
    )


def url(name: str, year: int = 2026) -> str:
    return reverse(f"assessment:{name}", kwargs={"year": year})


# pure


def test_share_and_overview():
    assert share(1, 3) == "33.3%" and share(0, 0) == "0%" and share(2, 2) == "100%"
    f = ReportFacts(2026, [TaskLine("1", "甲", "区发改局", "closed"), TaskLine("2", "乙", "区财政局", "carried_over"),
                           TaskLine("3", "丙", "区财政局", "")])  # fmt: skip
    text = overview(f)
    assert (
        "共3项" in text
        and "已办结1项、占33.3%" in text
        and "结转下年1项" in text
        and "尚有1项未完成评估" in text
    )


# freezing


def test_freezing_needs_every_task_decided(scored):
    with pytest.raises(ActionError, match="2 tasks of 2026 have no year-end outcome"):
        freeze_year(scored.plan, by=scored.user("office"))
    assert not YearFreeze.objects.exists()


def test_freezing_keeps_the_ranking_and_stops_ledger_writes(scored, django_capture_on_commit_callbacks):
    decide_all(scored)
    office = scored.user("office")
    freeze_year(scored.plan, by=office, note="年终冻结")
    rows = {r.unit_id: r for r in FrozenRow.objects.filter(plan=scored.plan)}
    assert rows[scored.unit_a.pk].score == Decimal(7) and rows[scored.unit_a.pk].rank == 2
    assert rows[scored.unit_c.pk].rank == 1
    assert rows[scored.unit_a.pk].by_kind[RuleKind.ORDER_NOT_PASSED] == "-3.00"
    ledger = sorted(ScoreEntry.objects.values_list("unit_id", "kind", "key", "points"))
    # a new deduction-worthy record, the listeners, the daily job and a full recompute change nothing
    with django_capture_on_commit_callbacks(execute=True):
        RectificationOrder.objects.create(
            plan=scored.plan, unit=scored.unit_c, task=scored.task_c, problem="未整改", requirement="整改",
            issued_on=datetime.date(2026, 4, 2), workdays=5, deadline=datetime.date(2026, 4, 9),
            first_deadline=datetime.date(2026, 4, 9), status="not_passed", for_assessment=True,
            verified_at=timezone.make_aware(datetime.datetime(2026, 4, 10, 9)),
        )  # fmt: skip
    assert recompute(scored.plan).created == 0
    scores_daily.call()
    assert sorted(ScoreEntry.objects.values_list("unit_id", "kind", "key", "points")) == ledger
    with pytest.raises(Conflict, match="frozen already"):
        freeze_year(scored.plan, by=office)
    with pytest.raises(ActionError, match="frozen"):
        actions.add_manual_entry(scored.plan, by=office, unit=scored.unit_a, kind=RuleKind.ADJUSTMENT,
                                 reason="补录", on=datetime.date(2026, 12, 1), points=Decimal(1))  # fmt: skip
    assert not ManualEntry.objects.exists()


def test_only_the_office_freezes(scored):
    decide_all(scored)
    from tongtui.core.errors import Forbidden

    with pytest.raises(Forbidden):
        freeze_year(scored.plan, by=scored.user("leader"))


# pages


def test_the_review_page_counts_lists_and_decides(scored, django_assert_max_num_queries):
    c = scored.client("office")
    with django_assert_max_num_queries(18):  # 16, whatever the number of tasks
        r = c.get(url("yearend"))
    assert r.status_code == 200
    body = r.content.decode()
    assert f'data-task="{scored.task_a.pk}"' in body and 'id="decide-form"' in body
    assert r.context["summary"].undecided == 2
    r = c.post(url("yearend-decide"), {"task": [scored.task_a.pk, scored.task_c.pk], "outcome": "closed"})
    assert r.status_code == 400 and not TaskOutcome.objects.exists()
    body = r.content.decode()
    assert body.count('data-refused="1"') == 2 and "give the reason for closing it" in body
    assert body.count("checked") >= 2
    r = c.post(url("yearend-decide"), {"task": [scored.task_c.pk], "outcome": "carried_over", "reason": "跨年"},
               follow=True)  # fmt: skip
    assert TaskOutcome.objects.get().outcome == Outcome.CARRIED_OVER
    assert "not open yet" in r.content.decode()
    page = c.get(url("yearend") + "?show=carried_over").content.decode()
    assert f'data-task="{scored.task_c.pk}"' in page and "Not copied yet" in page
    Plan.objects.create(year=2027, title="2027")
    c.post(url("yearend-carry"))
    new = Task.objects.get(plan__year=2027)
    page = c.get(url("yearend") + "?show=carried_over").content.decode()
    assert f'data-carried-to="{new.pk}"' in page
    detail = c.get(reverse("task-detail", args=[new.pk])).content.decode()
    assert 'id="carried-from"' in detail and reverse("task-detail", args=[scored.task_c.pk]) in detail
    old = c.get(reverse("task-detail", args=[scored.task_c.pk])).content.decode()
    assert 'id="carried-to"' in old and "Carried over to 2027" in old


def test_filters_narrow_the_list(scored):
    r = scored.client("office").get(url("yearend") + f"?lead_unit={scored.unit_c.pk}")
    assert [t.pk for t in r.context["page"].object_list] == [scored.task_c.pk]


def test_freeze_from_the_page_then_the_ranking_shows(scored):
    decide_all(scored)
    c = scored.client("office")
    assert 'id="freeze-form"' in c.get(url("yearend")).content.decode()
    c.post(url("yearend-freeze"), {"note": ""})
    body = c.get(url("yearend")).content.decode()
    assert 'id="frozen-badge"' in body and 'id="frozen-results"' in body
    assert c.post(url("yearend-freeze"), follow=True).status_code == 200  # refused with a message
    assert YearFreeze.objects.count() == 1


def test_leaders_read_but_do_not_act(scored):
    c = scored.client("leader")
    body = c.get(url("yearend")).content.decode()
    assert 'id="yearend-counts"' in body and 'id="decide-form"' in body and 'id="decide-bar"' not in body
    assert c.post(url("yearend-decide"), {"task": [scored.task_a.pk], "outcome": "closed"}).status_code == 404
    assert c.post(url("yearend-freeze")).status_code == 404
    assert c.get(url("yearend-xlsx")).status_code == 200


@pytest.mark.parametrize("who", ["head_a", "liaison_a", "liaison_b"])
def test_outsiders_get_404_on_every_page(scored, who):
    c = scored.client(who)
    for name in ("yearend", "yearend-xlsx", "yearend-docx"):
        assert c.get(url(name)).status_code == 404
    for name in ("yearend-decide", "yearend-settle", "yearend-carry", "yearend-freeze"):
        assert c.post(url(name), {"task": [scored.task_a.pk], "outcome": "closed"}).status_code == 404
    assert not TaskOutcome.objects.exists()


def test_anonymous_goes_to_login(scored):
    assert scored.client("anonymous").get(url("yearend")).status_code == 302


def test_links_from_setup_and_the_assessment_tabs(scored):
    c = scored.client("office")
    assert url("yearend") in c.get(reverse("setup:year-list")).content.decode()
    assert url("yearend") in c.get(reverse("setup:year-detail", args=[2026])).content.decode()
    assert 'id="tab-yearend"' in c.get(url("ranking")).content.decode()


# files


def test_the_results_workbook_holds_outcomes_and_the_frozen_ranking(scored):
    decide_all(scored)
    freeze_year(scored.plan, by=scored.user("office"))
    data = scored.client("office").get(url("yearend-xlsx")).getvalue()
    wb = load_workbook(io.BytesIO(data))
    outcomes = wb.worksheets[0]
    rows = list(outcomes.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[6], r[7]) for r in rows] == [
        ("1", "Closed", "验收通过"),
        ("2", "Carried over", "项目跨年度实施"),
    ]
    departments = wb["Departments"]
    got = {r[1]: (r[2], r[3]) for r in departments.iter_rows(min_row=2, values_only=True)}
    assert got["区财政局"] == (15, "1") and got["区发展和改革局"] == (7, "2")
    assert "Not frozen" not in wb.sheetnames


def test_the_report_docx_says_the_figures(scored):
    decide_all(scored)
    freeze_year(scored.plan, by=scored.user("office"))
    data = scored.client("office").get(url("yearend-docx")).getvalue()
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2026年度重点工作完成情况的报告" in text
    assert "共2项" in text and "已办结1项、占50%" in text and "结转下年1项、占50%" in text
    assert "2 一般公共预算收入增长5%（牵头单位：区财政局）：项目跨年度实施。" in text
    assert "年度考核得分已冻结" in text
    assert "（一）镇街" in text and "（二）区直部门" in text  # frozen under an English page, the report names the group in Chinese
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "区财政局" in cells and "7" in cells
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


# API


def test_api_records_lists_carries_freezes_and_reads_results(scored):
    from rest_framework.test import APIClient

    c = APIClient()
    c.force_authenticate(scored.user("office"))
    base = "/api/assessment/year-end/2026/"
    assert c.get(base).json()["undecided"] == 2
    r = c.post(base + "outcomes/", {"tasks": [scored.task_a.pk], "outcome": "closed"}, format="json")
    assert r.status_code == 400 and "tasks" in r.json()
    r = c.post(
        base + "outcomes/",
        {"tasks": [scored.task_a.pk], "outcome": "closed", "reason": "验收"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["recorded"] == 1
    r = c.post(
        base + "outcomes/",
        {"tasks": [scored.task_a.pk], "outcome": "closed", "reason": "验收"},
        format="json",
    )
    assert r.status_code == 409
    assert c.post(base + "freeze/", {}, format="json").status_code == 400
    c.post(base + "outcomes/", {"tasks": [scored.task_c.pk], "outcome": "carried_over", "reason": "跨年"},
           format="json")  # fmt: skip
    assert c.post(base + "carry-over/").status_code == 400  # 2027 not open
    Plan.objects.create(year=2027, title="2027")
    assert c.post(base + "carry-over/").json() == {"made": 1, "already": 0}
    rows = c.get(base + "outcomes/?outcome=carried_over").json()["results"]
    assert rows[0]["task"] == scored.task_c.pk and rows[0]["carried_to"] is not None
    r = c.post(base + "freeze/", {"note": "冻结"}, format="json")
    assert r.status_code == 200 and r.json()["frozen"] is True
    assert c.post(base + "freeze/", {}, format="json").status_code == 409
    groups = c.get(base + "results/").json()["groups"]
    assert {row["unit_name"] for g in groups for row in g["rows"]} >= {"区财政局", "区发展和改革局"}


def test_api_leaders_read_only_and_outsiders_404(scored):
    from rest_framework.test import APIClient

    base = "/api/assessment/year-end/2026/"
    c = APIClient()
    c.force_authenticate(scored.user("leader"))
    assert c.get(base).status_code == 200 and c.get(base + "results/").status_code == 200
    assert c.post(base + "outcomes/", {"tasks": [scored.task_a.pk], "outcome": "closed", "reason": "x"},
                  format="json").status_code == 404  # fmt: skip
    for who in ("head_a", "liaison_a", "liaison_b"):
        c = APIClient()
        c.force_authenticate(scored.user(who))
        assert c.get(base).status_code == 404
        assert c.get(base + "outcomes/").status_code == 404
        assert c.get(base + "results/").status_code == 404
        assert c.post(base + "freeze/", {}, format="json").status_code == 404
        assert c.post(base + "carry-over/").status_code == 404
    assert APIClient().get(base).status_code in (401, 403)


def test_api_outcome_list_query_count(scored, django_assert_max_num_queries):
    from rest_framework.test import APIClient

    c = APIClient()
    c.force_authenticate(scored.user("office"))
    for i in range(10):
        Task.objects.create(plan=scored.plan, code=f"9.{i}", title=f"任务{i}")
    with django_assert_max_num_queries(12):
        r = c.get("/api/assessment/year-end/2026/outcomes/")
    assert r.json()["count"] == 12


# command


def test_the_command_freezes_and_writes_both_files(scored, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no year-end outcome"):
        call_command("yearend", "--plan", "2026", "--freeze")
    decide_all(scored)
    out = io.StringIO()
    call_command("yearend", "--plan", "2026", "--freeze", "--by", "office", "-o", str(tmp_path / "r.docx"),
                 stdout=out)  # fmt: skip
    assert "scores frozen" in out.getvalue() and "0 to decide" in out.getvalue()
    assert YearFreeze.objects.get().frozen_by == scored.user("office")
    assert "关于2026年度" in "".join(p.text for p in Document(str(tmp_path / "r.docx")).paragraphs)
    call_command("yearend", "--plan", "2026", "-o", str(tmp_path / "r.xlsx"), stdout=io.StringIO())
    assert load_workbook(str(tmp_path / "r.xlsx")).worksheets[0].max_row == 3
    with pytest.raises(CommandError):
        call_command("yearend", "--plan", "2031")


def test_freezing_tells_the_leaders_and_each_unit_head_once(scored):
    from tongtui.notify.models import Notification

    decide_all(scored)
    freeze_year(scored.plan, by=scored.user("office"))
    mine = Notification.objects.filter(kind="year_end")
    assert set(mine.values_list("recipient__username", flat=True)) == {"office", "leader", "head_a"}
    head = mine.get(recipient__username="head_a")
    assert "7.00 points, rank 2" in head.body and f"/units/{scored.unit_a.pk}/" in head.url


def test_the_close_page_says_when_the_scores_are_not_frozen(scored):
    c = scored.client("office")
    close = reverse("setup:year-close", args=[2026])
    assert 'id="not-frozen"' in c.get(close).content.decode()
    decide_all(scored)
    freeze_year(scored.plan, by=scored.user("office"))
    assert 'id="not-frozen"' not in c.get(close).content.decode()
