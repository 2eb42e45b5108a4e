"""The 交办单 of an assigned task: a GB/T 9704 .docx with its number, for the office, leaders and the task's
units; 404 for anyone else and for a task not yet assigned."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn
from docx.shared import Pt

from tongtui.orgs.models import Post
from tongtui.plans import actions
from tongtui.plans.models import CoUnit, Milestone, Task


@pytest.fixture
def assigned(cast):
    actions.update_task(cast.task_a, by=cast.user("office"), goal="全年增长6%", measures="月调度、季分析")
    Milestone.objects.create(task=cast.task_a, title="完成立项", due=datetime.date(2026, 3, 31),
                             planned_progress=Decimal(30))  # fmt: skip
    actions.assign_task(cast.task_a, by=cast.user("office"))
    cast.task_a.refresh_from_db()
    return cast


def url(task) -> str:
    return reverse("task-assignment-doc", args=[task.pk])


def download(cast, who: str, task=None):
    return cast.client(who).get(url(task or cast.task_a))


def opened(response) -> docx.document.Document:
    return docx.Document(io.BytesIO(b"".join(response.streaming_content)))


def form_of(document) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}


def test_the_url_is_ascii():
    assert url(Task(pk=7)) == "/tasks/7/assignment.docx"


def test_the_office_downloads_the_notice_with_its_number(assigned):
    response = download(assigned, "office")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    document = opened(response)
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["区政府督查室", "交办〔2026〕1号", "重点工作交办单"]
    assert texts[3] == "区发展和改革局、区财政局："
    assert any("交办后3个工作日内" in t for t in texts)
    form = form_of(document)
    assert form["交办单编号"] == "交办〔2026〕1号"
    assert form["工作事项"] == "1 地区生产总值增长6%左右"
    assert form["工作要求"] == "工作目标：全年增长6%\n主要举措：月调度、季分析"
    assert (form["牵头单位"], form["配合单位"]) == ("区发展和改革局", "区财政局")
    assert (form["责任领导"], form["责任人"]) == ("王副区长", "陈责任")
    assert form["时限要求"] == "2026年12月31日前完成\n路线图：\n1.2026年3月31日前完成立项（30%）"
    ack = assigned.task_a.ack_due
    assert form["签收时限"] == f"{ack.year}年{ack.month}月{ack.day}日前（交办后3个工作日内）"


def test_the_numbers_follow_the_order_of_assignment(assigned):
    actions.assign_task(assigned.task_c, by=assigned.user("office"))
    texts = [p.text for p in opened(download(assigned, "office", assigned.task_c)).paragraphs]
    assert texts[1] == "交办〔2026〕2号"


def test_the_layout_is_gbt_9704(assigned):
    document = opened(download(assigned, "office"))
    section = document.sections[0]
    mm = [round(v.mm, 1) for v in (section.page_width, section.page_height, section.top_margin,
                                     section.bottom_margin, section.left_margin, section.right_margin)]  # fmt: skip
    assert mm == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and int(grid.get(qn("w:linePitch"))) == 579  # 22 lines
    heading, number, title, *_ = document.paragraphs
    run = heading.runs[0]
    assert str(run.font.color.rgb) == "E60012"
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert heading._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "E60012"
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = document.paragraphs[4].runs[0]
    assert body.font.size == Pt(16) and body._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    footer = section.footer.paragraphs[0]
    assert footer.text == "—  —" and "PAGE" in footer._p.xml and footer.runs[0].font.size == Pt(14)
    assert section.even_page_footer.paragraphs[0].alignment != footer.alignment
    fonts = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    ).blob.decode()
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts


def test_groups_posts_and_written_names_print_as_the_document_wrote_them(assigned):
    post = Post.objects.create(unit=assigned.unit_a, title="负责人")
    Task.objects.filter(pk=assigned.task_a.pk).update(
        owner=None, owner_post=post, leader=None, leader_text="分管副区长"
    )
    form = form_of(opened(download(assigned, "office")))
    assert (form["责任领导"], form["责任人"]) == ("分管副区长", "区发改局负责人")


@pytest.mark.parametrize("who", ["office", "leader", "head_a", "liaison_a"])
def test_the_office_leaders_and_the_lead_unit_download_it(assigned, who):
    assert download(assigned, who).status_code == 200


def test_a_co_unit_downloads_it(assigned):
    CoUnit.objects.create(task=assigned.task_a, unit=assigned.unit_b)
    assert download(assigned, "liaison_b").status_code == 200


def test_a_unit_not_on_the_task_gets_404(assigned):
    assert download(assigned, "liaison_b").status_code == 404


def test_anonymous_is_sent_to_the_login_page(assigned):
    response = download(assigned, "anonymous")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_task_not_yet_assigned_has_no_notice(assigned):
    assert download(assigned, "office", assigned.task_c).status_code == 404


def test_a_missing_task_is_404(cast):
    assert cast.client("office").get("/tasks/999999/assignment.docx").status_code == 404


def test_text_pasted_from_word_still_makes_a_document(assigned):
    Task.objects.filter(pk=assigned.task_a.pk).update(
        title="老旧小区\x0b改造\x01", goal='=HYPERLINK("x")\x0c'
    )
    form = form_of(opened(download(assigned, "office")))
    assert form["工作事项"] == "1 老旧小区\n改造"
    assert form["工作要求"].startswith('工作目标：=HYPERLINK("x")')


def test_the_task_page_links_to_the_notice_once_assigned(assigned):
    page = assigned.client("liaison_a").get(reverse("task-detail", args=[assigned.task_a.pk])).text
    assert f'href="{url(assigned.task_a)}"' in page and "交办〔2026〕1号" in page
    draft = assigned.client("office").get(reverse("task-detail", args=[assigned.task_c.pk])).text
    assert 'id="task-assignment-doc"' not in draft
