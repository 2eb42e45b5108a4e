import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from tongtui.assessment import actions
from tongtui.assessment.ledger_db import recompute
from tongtui.plans.models import Task
from tongtui.supervision.models import Admonition


@pytest.fixture
def scored(cast):
    Task.objects.filter(plan=cast.plan).update(status="in_progress", assigned_at=timezone.make_aware(
        datetime.datetime(2026, 1, 10, 9)))  # fmt: skip
    Admonition.objects.create(plan=cast.plan, unit=cast.unit_c, reason="=HYPERLINK(\"x\")", scheduled_for=datetime.date(
        2026, 5, 1), held_on=datetime.date(2026, 5, 20), talked_with="局长", status="held")  # fmt: skip
    recompute(cast.plan, as_of=datetime.date(2026, 6, 30))
    return cast


def test_the_scheme_reads_the_default_until_configured(scored):
    r = scored.client("head_a").get("/api/assessment/schemes/2026/")
    assert r.status_code == 200
    body = r.json()
    assert body["is_default"] is True and {x["kind"] for x in body["rules"]} >= {"task", "late_report"}


@pytest.mark.parametrize("who", ["liaison_a", "liaison_b"])
def test_outsiders_get_404_everywhere(scored, who):
    c = scored.client(who)
    assert c.get("/api/assessment/schemes/2026/").status_code == 404
    assert c.get("/api/assessment/ledger/?plan=2026").status_code == 404
    assert c.get("/api/assessment/rankings/?plan=2026").status_code == 404


def test_anonymous_is_refused(scored):
    assert scored.client("anonymous").get("/api/assessment/rankings/?plan=2026").status_code in (401, 403)


def test_rankings_share_ranks_and_show_breakdowns(scored):
    r = scored.client("leader").get("/api/assessment/rankings/?plan=2026&period=2026-Q2")
    assert r.status_code == 200
    depts = next(g for g in r.json()["groups"] if any(row["unit"] == scored.unit_a.pk for row in g["rows"]))
    rows = {row["unit"]: row for row in depts["rows"]}
    assert rows[scored.unit_c.pk]["score"] == "13.00"  # 10 + 5 task points, −2 admonition in Q2
    assert rows[scored.unit_c.pk]["by_rule"]["admonition"] == "-2.00"
    assert rows[scored.unit_c.pk]["change"] == "-2.00" and rows[scored.unit_a.pk]["rank"] == 2


def test_a_unit_head_reads_only_the_own_ledger_until_published(scored):
    c = scored.client("head_a")
    units = {e["unit"] for e in c.get("/api/assessment/ledger/?plan=2026").json()["results"]}
    assert units == {scored.unit_a.pk}
    assert c.get(f"/api/assessment/ledger/?plan=2026&unit={scored.unit_c.pk}").status_code == 404
    assert c.get("/api/assessment/rankings/?plan=2026").status_code == 404
    actions.publish_ranking(scored.plan, "2026", by=scored.user("office"))
    units = {e["unit"] for e in c.get("/api/assessment/ledger/?plan=2026").json()["results"]}
    assert units == {scored.unit_a.pk, scored.unit_c.pk}
    assert c.get("/api/assessment/rankings/?plan=2026").status_code == 200


def test_the_command_writes_one_row_per_unit(scored, tmp_path):
    out = tmp_path / "scores.xlsx"
    call_command("scores", "--plan", "2026", "--period", "2026-Q2", "--as-of", "2026-06-30", "-o", str(out))
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Group", "Unit", "Score", "Rank") or rows[0][2] in ("Score", "得分", "分数")
    by_unit = {r[1]: r for r in rows[1:]}
    assert by_unit["区财政局"][2] == 13 and by_unit["区发展和改革局"][3] == "2"
    assert set(by_unit) == {"区发展和改革局", "城关街道办事处", "区财政局"}


def test_the_command_refuses_a_period_of_another_year(scored):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("scores", "--plan", "2026", "--period", "2025-Q2", "-o", "/tmp/x.xlsx")
