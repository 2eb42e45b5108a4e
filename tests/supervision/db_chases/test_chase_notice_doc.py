"""The 督办通知单 of a chase notice: a GB/T 9704 .docx numbered 督办〔2026〕N号, its title in the notice's colour,
for whoever sees the notice; 404 for other units."""

import io

import docx
import pytest
from django.urls import reverse

from tongtui.supervision import actions_chases as chases
from tongtui.supervision.models import ChaseNotice


def url(chase) -> str:
    return reverse("supervision:chase-doc", args=[chase.pk])


def opened(response) -> docx.document.Document:
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    return docx.Document(io.BytesIO(b"".join(response.streaming_content)))


def form_of(document) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}


def test_the_url_sits_beside_the_notice(chase):
    assert url(chase) == f"/supervision/chases/{chase.pk}/notice.docx"


def test_the_notice_holds_number_level_subject_content_tasks_and_the_reply_deadline(cast, chase):
    document = opened(cast.client("office").get(url(chase)))
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == ["区政府督查室", "督办〔2026〕1号", "黄色督办单", "区发展和改革局："]
    assert (
        "3个工作日内（2026年10月10日前）书面反馈办理情况" in texts[4]
    )  # after the holiday, 10th a 调休 workday
    form = form_of(document)
    assert form["督办编号"] == "督办〔2026〕1号"
    assert form["督办等级"] == "黄色督办（未达到序时进度或完成质量较差）"
    assert (form["督办事项"], form["督办内容"]) == (
        "9月进度未报送",
        "你单位9月份进度至今未报送，请说明原因并立即补报。",
    )
    assert form["涉及任务"] == "1 地区生产总值增长6%左右"
    assert form["办理时限"] == "3个工作日内（2026年10月10日前）"
    assert texts[-2:] == ["区政府督查室", "2026年9月30日"]


@pytest.mark.parametrize("level,title,colour", [("blue", "蓝色督办单", "0056B3"), ("yellow", "黄色督办单", "D49A00"),
                                                ("red", "红色督办单", "E60012")])  # fmt: skip
def test_the_title_prints_in_the_notices_colour(cast, chase, level, title, colour):
    ChaseNotice.objects.filter(pk=chase.pk).update(level=level)
    document = opened(cast.client("office").get(url(chase)))
    heading = document.paragraphs[2]
    assert heading.text == title and str(heading.runs[0].font.color.rgb) == colour


def test_a_red_notice_is_kept_up_until_the_work_is_done(cast, chase):
    ChaseNotice.objects.filter(pk=chase.pk).update(level="red")
    texts = [p.text for p in opened(cast.client("office").get(url(chase))).paragraphs]
    assert "直至办结为止" in texts[4]


def test_a_reissue_names_the_notice_before_it(cast, chase):
    again = chases.reissue_chase(chase, by=cast.user("office"), content="仍未报送，再次督办。")
    form = form_of(opened(cast.client("office").get(url(again))))
    assert form["前次督办"] == "督办〔2026〕1号（再次督办）"


@pytest.mark.parametrize("who", ["office", "leader", "head_a", "liaison_a"])
def test_the_office_leaders_and_the_chased_unit_download_it(cast, chase, who):
    assert cast.client(who).get(url(chase)).status_code == 200


def test_another_unit_gets_404(cast, chase):
    assert cast.client("liaison_b").get(url(chase)).status_code == 404


def test_anonymous_is_sent_to_the_login_page(cast, chase):
    response = cast.client("anonymous").get(url(chase))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_missing_notice_is_404(cast):
    assert cast.client("office").get("/supervision/chases/999999/notice.docx").status_code == 404


def test_text_pasted_from_word_still_makes_a_document(cast, chase):
    ChaseNotice.objects.filter(pk=chase.pk).update(
        subject="进度\x0b滞后\x01", content='=HYPERLINK("x")\x0c请说明'
    )
    form = form_of(opened(cast.client("office").get(url(chase))))
    assert (form["督办事项"], form["督办内容"]) == ("进度\n滞后", '=HYPERLINK("x")\n请说明')


def test_the_notice_page_links_to_the_download(cast, chase):
    page = cast.client("liaison_a").get(reverse("supervision:chase-detail", args=[chase.pk])).text
    assert f'href="{url(chase)}"' in page
