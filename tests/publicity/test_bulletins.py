"""Generating, editing and publishing a bulletin; who sees it; the command."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation
from docx import Document

from tongtui.assessment.models import RankingPublication
from tongtui.core.errors import Conflict, Forbidden
from tongtui.notify.models import Notification
from tongtui.publicity import actions
from tongtui.publicity.models import Bulletin, BulletinStatus
from tongtui.supervision.light_views import reason_texts

D = datetime.date


def test_the_draft_is_generated_from_lights_statuses_and_reports(draft, lit):
    assert draft.status == BulletinStatus.DRAFT and draft.number is None
    assert draft.title == "关于2026年1—7月重点工作推进情况的通报"
    assert "共3项任务" in draft.overview and "已完成1项、占33.3%" in draft.overview
    assert "红灯1项（33.3%），绿灯1项（33.3%）" in draft.overview
    assert "3 新建5G基站200个（牵头单位：区财政局）" in draft.completed
    # the lagging task with its lead unit and the reason exactly as supervision words it
    reason = reason_texts(lit.task_a.light_state.reasons)[0].rstrip("。")
    assert f"1 地区生产总值增长6%左右（牵头单位：区发展和改革局，红灯）：{reason}。" in draft.lagging
    assert "区发展和改革局：逾期报送1次" in draft.reports
    assert draft.rankings == "" and draft.practices == ""
    assert draft.history.count() == 1 and draft.history.first().history_user == lit.user("office")


def test_a_scope_narrows_the_tasks(lit):
    b = actions.draft_of(
        lit.plan, start=D(2026, 1, 1), as_of=D(2026, 6, 30), scope="leader", leader=lit.leader
    )
    assert "王副区长同志分管的重点工作共2项任务" in b.overview
    b = actions.draft_of(lit.plan, start=D(2026, 1, 1), as_of=D(2026, 6, 30), scope="category",
                         category=lit.category)  # fmt: skip
    assert b.title == "关于2026年1—6月“产业转型升级”类重点工作推进情况的通报"


def test_rankings_appear_only_for_a_period_the_office_published(lit):
    assert actions.draft_of(lit.plan, start=D(2026, 1, 1), as_of=D(2026, 6, 30)).rankings == ""
    b = actions.draft_of(lit.plan, start=D(2026, 1, 1), as_of=D(2026, 6, 30), ranking_period="2026-Q1")
    assert b.rankings == "" and b.ranking_period == ""
    RankingPublication.objects.create(plan=lit.plan, period="2026-Q1", published_by=lit.user("office"))
    b = actions.draft_of(lit.plan, start=D(2026, 1, 1), as_of=D(2026, 6, 30))
    assert b.ranking_period == "2026-Q1" and "根据2026-Q1考核排名（已公布）" in b.rankings
    assert "区发展和改革局" in b.rankings


def test_only_the_office_generates(lit):
    with pytest.raises(Forbidden):
        actions.generate(lit.plan, by=lit.user("leader"), start=D(2026, 1, 1), as_of=D(2026, 6, 30))


def test_the_office_edits_a_draft_with_history_and_a_stale_edit_is_refused(draft, lit):
    office = lit.user("office")
    actions.edit(draft, by=office, version=1, title="关于上半年工作的通报",
                 texts={"practices": "区发改局建立“周调度”机制。"})  # fmt: skip
    draft.refresh_from_db()
    assert draft.version == 2 and draft.practices == "区发改局建立“周调度”机制。"
    assert draft.history.count() == 2
    with pytest.raises(Conflict):
        actions.edit(Bulletin.objects.get(pk=draft.pk), by=office, version=1, title="x", texts={})
    assert Bulletin.objects.get(pk=draft.pk).title == "关于上半年工作的通报"


def test_publishing_numbers_the_bulletin_and_freezes_its_text(draft, lit):
    office = lit.user("office")
    actions.publish(draft, by=office)
    assert (draft.status, draft.number, draft.document_number) == ("published", 1, "通报〔2026〕1号")
    with translation.override("en"), pytest.raises(Conflict, match="published already"):
        actions.publish(Bulletin.objects.get(pk=draft.pk), by=office)
    with pytest.raises(Conflict):
        actions.edit(Bulletin.objects.get(pk=draft.pk), by=office, version=draft.version, title="x", texts={})
    second = actions.generate(lit.plan, by=office, start=D(2026, 7, 1), as_of=D(2026, 7, 31))
    assert actions.publish(second, by=office).number == 2


def test_publishing_tells_every_unit_and_leader_once(draft, lit):
    with translation.override("zh-hans"):
        actions.publish(draft, by=lit.user("office"))
    with pytest.raises(Conflict):
        actions.publish(Bulletin.objects.get(pk=draft.pk), by=lit.user("office"))
    told = Notification.objects.filter(kind="bulletin")
    for who in ("leader", "head_a", "liaison_a", "liaison_b"):
        mine = told.filter(recipient=lit.user(who))
        assert mine.count() == 1, who
        assert mine.get().title == f"通报〔2026〕1号已印发：{draft.title}"
        assert mine.get().url == f"/bulletins/{draft.pk}/"


def test_the_pages_generate_edit_and_publish(lit):
    office = lit.client("office")
    form = office.get("/bulletins/").content.decode()
    assert re.search(r'type="date" name="as_of" value="\d{4}-\d{2}-\d{2}"', form)  # a date the browser reads
    r = office.post("/bulletins/new/", {"plan": 2026, "period_start": "2026-01-01", "as_of": "2026-06-30",
                                        "scope": "plan"})  # fmt: skip
    b = Bulletin.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/bulletins/{b.pk}/edit/"
    assert office.get(f"/bulletins/{b.pk}/edit/").status_code == 200
    data = {"version": 1, "title": b.title, "overview": b.overview, "completed": "", "lagging": b.lagging,
            "reports": b.reports, "rankings": "", "practices": "好经验。", "next_steps": b.next_steps}  # fmt: skip
    assert office.post(f"/bulletins/{b.pk}/edit/", data).status_code == 302
    assert office.post(f"/bulletins/{b.pk}/publish/").status_code == 302
    b.refresh_from_db()
    assert b.is_published and b.practices == "好经验。" and b.completed == ""
    page = office.get(f"/bulletins/{b.pk}/").content.decode()
    assert "好经验。" in page and "任务完成情况" not in page  # an emptied section is left out


@pytest.mark.parametrize("who", ["liaison_a", "liaison_b", "head_a"])
def test_a_draft_is_a_404_to_units(draft, lit, who):
    c = lit.client(who)
    for path in (f"/bulletins/{draft.pk}/", f"/bulletins/{draft.pk}/docx/",
                 f"/api/publicity/bulletins/{draft.pk}/", f"/api/publicity/bulletins/{draft.pk}/docx/"):  # fmt: skip
        assert c.get(path).status_code == 404, path
    assert draft.title not in c.get("/bulletins/").content.decode()
    assert c.get("/api/publicity/bulletins/").json()["count"] == 0
    assert c.post(f"/bulletins/{draft.pk}/publish/").status_code == 404
    assert c.get(f"/bulletins/{draft.pk}/edit/").status_code == 404


def test_the_office_and_leaders_see_drafts(draft, lit):
    for who in ("office", "leader"):
        c = lit.client(who)
        assert c.get(f"/bulletins/{draft.pk}/").status_code == 200
        assert c.get("/api/publicity/bulletins/").json()["count"] == 1
    assert lit.client("leader").post(f"/bulletins/{draft.pk}/publish/").status_code == 404


def test_a_published_bulletin_is_visible_to_every_unit(draft, lit):
    actions.publish(draft, by=lit.user("office"))
    c = lit.client("liaison_b")
    assert draft.title in c.get("/bulletins/").content.decode()
    assert draft.title in c.get(f"/bulletins/{draft.pk}/").content.decode()
    r = c.get(f"/bulletins/{draft.pk}/docx/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    body = c.get(f"/api/publicity/bulletins/{draft.pk}/").json()
    assert body["document_number"] == "通报〔2026〕1号" and body["lagging"] == draft.lagging
    assert c.get("/api/publicity/bulletins/?year=2026").json()["count"] == 1
    assert c.get("/api/publicity/bulletins/?year=2025").json()["count"] == 0
    assert c.get(f"/api/publicity/bulletins/{draft.pk}/docx/").status_code == 200


def test_outsiders_see_nothing(draft, lit):
    actions.publish(draft, by=lit.user("office"))
    anonymous = lit.client("anonymous")
    assert anonymous.get(f"/bulletins/{draft.pk}/").status_code == 302
    assert anonymous.get("/api/publicity/bulletins/").status_code in (401, 403)


def test_the_command_writes_the_docx(lit, tmp_path):
    out = tmp_path / "b.docx"
    call_command("bulletin", "--plan", "2026", "--as-of", "2026-06-30", "--scope", "leader:王副区长",
                 "-o", str(out), stdout=io.StringIO())  # fmt: skip
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "关于2026年1—6月王副区长同志分管的重点工作推进情况的通报" in texts
    assert Bulletin.objects.count() == 0


def test_the_red_and_black_lists_appear_once_published_with_the_ranking(lit):
    from decimal import Decimal

    from tongtui.assessment import actions as assessment_actions
    from tongtui.assessment.ledger_db import recompute
    from tongtui.orgs.models import Unit
    from tongtui.publicity.facts import red_and_black_lines

    office = lit.user("office")
    towns = [Unit.objects.create(name=f"{n}镇", kind="town", parent=lit.district, order=90 + i)
             for i, n in enumerate("甲乙丙丁戊己庚")]  # fmt: skip
    for town, points in zip(towns, (12, 9, 6, 3, 1, -4, -8), strict=True):
        kind = "commendation" if points > 0 else "adjustment"
        assessment_actions.add_manual_entry(lit.plan, by=office, unit=town, kind=kind, reason="表扬或扣分",
                                            on=D(2026, 2, 10), points=Decimal(points))  # fmt: skip
    recompute(lit.plan)
    RankingPublication.objects.create(plan=lit.plan, period="2026-Q1", published_by=office)
    assert red_and_black_lines(lit.plan, "2026-Q1") == []  # the ranking only, not its lists
    RankingPublication.objects.filter(plan=lit.plan, period="2026-Q1").update(with_lists=True)
    lines = red_and_black_lines(lit.plan, "2026-Q1")
    red = next(line for line in lines if "红榜" in line)
    black = next(line for line in lines if "黑榜" in line)
    assert "甲镇" in red and "庚镇" in black and "甲镇" not in black
    b = actions.draft_of(lit.plan, start=D(2026, 1, 1), as_of=D(2026, 6, 30))
    assert red in b.rankings and black in b.rankings
