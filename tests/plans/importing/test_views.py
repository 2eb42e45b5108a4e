"""The import pages: office only (everyone else 404, anonymous to the login page), upload -> preview -> confirm."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongtui.plans.models import Plan, Task, TaskImport

BOOK = "序号,重点任务,牵头单位,配合单位\n7,推进企业上市,区金融局,区财政局、区证监办\n8,优化营商环境,区发改局,\n"
OTHERS = ["head_a", "liaison_a", "liaison_b", "leader"]


def client(cast, who: str):
    c = cast.client(who)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


def upload(c, name: str = "book.csv", content: bytes = BOOK.encode(), **data):
    form = {"file": SimpleUploadedFile(name, content), "lead_rule": "first", **data}
    return c.post(reverse("task-import", args=[2026]), form)


@pytest.fixture
def staged(district):
    response = upload(client(district.cast, "office"))
    assert response.status_code == 302
    return TaskImport.objects.get()


def test_the_office_sees_the_upload_form(district):
    response = client(district.cast, "office").get(reverse("task-import", args=[2026]))
    assert response.status_code == 200
    assert b'id="import-form"' in response.content and b'name="lead_rule"' in response.content


@pytest.mark.parametrize("who", OTHERS)
def test_every_other_persona_gets_404(district, staged, who):
    c = client(district.cast, who)
    assert c.get(reverse("task-import", args=[2026])).status_code == 404
    assert upload(c).status_code == 404
    assert c.get(reverse("task-import-preview", args=[2026, staged.pk])).status_code == 404
    assert c.post(reverse("task-import-confirm", args=[2026, staged.pk])).status_code == 404
    assert not Task.objects.filter(code="8").exists()


def test_anonymous_is_sent_to_the_login_page(district, staged):
    c = district.cast.client("anonymous")
    for url in (reverse("task-import", args=[2026]), reverse("task-import-preview", args=[2026, staged.pk])):
        response = c.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = c.post(reverse("task-import-confirm", args=[2026, staged.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unknown_plan_year_or_import_is_404(district, staged):
    c = client(district.cast, "office")
    assert c.get(reverse("task-import", args=[2031])).status_code == 404
    assert c.get(reverse("task-import-preview", args=[2026, staged.pk + 1])).status_code == 404
    Plan.objects.create(year=2031, title="2031")
    assert c.get(reverse("task-import-preview", args=[2031, staged.pk])).status_code == 404


def test_upload_preview_map_and_confirm(district, staged):
    c = client(district.cast, "office")
    preview_url = reverse("task-import-preview", args=[2026, staged.pk])
    page = c.get(preview_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Row 2: co-unit “区证监办” matches no unit" in content
    assert "the lead unit “区金融局” matches no unit; the task is imported as a draft" in content
    assert 'name="map_key" value="区金融局"' in content and 'name="map_key" value="区证监办"' in content
    assert f"<option value=\"unit:{district.jrb.pk}\">区金融办 · a similar name</option>" in content
    assert "2 rows: 2 new, 0 updated" in content

    confirm_url = reverse("task-import-confirm", args=[2026, staged.pk])
    refused = c.post(confirm_url, {"step": "apply"}, follow=True)
    assert "Nothing was imported" in refused.content.decode()
    assert not Task.objects.filter(code__in=["7", "8"]).exists()

    choices = {"map_key": ["区金融局", "区证监办"], "map": [f"unit:{district.jrb.pk}", "skip"]}
    mapped = c.post(confirm_url, {"step": "refresh", **choices})
    assert mapped.status_code == 302 and mapped.url == preview_url
    page = c.get(preview_url).content.decode()
    assert "matches no unit" not in page and f'value="unit:{district.jrb.pk}" selected' in page

    done = c.post(confirm_url, {"step": "apply", **choices})
    assert done.status_code == 302
    assert done.url == reverse("task-list") + f"?plan={district.cast.plan.pk}"
    task = Task.objects.get(plan=district.cast.plan, code="7")
    assert task.lead_unit == district.jrb and list(task.co_units.all()) == [district.czj]
    row = task.history.latest()
    assert (row.history_user, row.history_change_reason) == (district.cast.user("office"), "import book.csv")
    assert district.jrb.aliases.filter(name="区金融局").exists()  # the next book finds it by itself

    again = c.post(confirm_url, {"step": "apply"}, follow=True)
    assert "already been applied" in again.content.decode()
    assert Task.objects.filter(code="7").count() == 1


def test_an_unknown_lead_alone_does_not_stop_the_book(district):
    c = client(district.cast, "office")
    upload(c, content="序号,重点任务,牵头单位\n7,推进企业上市,区金融局\n8,优化营商环境,区发改局\n".encode())
    staged = TaskImport.objects.get()
    response = c.post(reverse("task-import-confirm", args=[2026, staged.pk]), {"step": "apply"})
    assert response.status_code == 302
    draft = Task.objects.get(code="7")
    assert (draft.lead_unit, draft.lead_text, draft.status) == (None, "区金融局", "draft")
    assert Task.objects.get(code="8").lead_unit == district.fgj


def test_a_collective_name_maps_to_a_group_and_is_remembered(district):
    c = client(district.cast, "office")
    book = "序号,重点任务,牵头单位,配合单位\n7,推进企业上市,区财政局,各镇(街道、园区)、各相关单位\n".encode()
    upload(c, content=book)
    staged = TaskImport.objects.get()
    page = c.get(reverse("task-import-preview", args=[2026, staged.pk])).content.decode()
    # 各镇(街道、园区) is one of 各街道's other names already; 各相关单位 is not
    assert 'name="map_key" value="各相关单位"' in page and 'name="map_key" value="各镇(街道、园区)"' not in page
    assert f'<option value="group:{district.departments.pk}">区直各部门 · ' in page
    c.post(
        reverse("task-import-confirm", args=[2026, staged.pk]),
        {"step": "apply", "map_key": "各相关单位", "map": f"group:{district.departments.pk}"},
    )
    task = Task.objects.get(code="7")
    assert sorted(task.co_group_links.values_list("written", flat=True)) == ["各相关单位", "各镇(街道、园区)"]
    district.departments.refresh_from_db()
    assert "各相关单位" in district.departments.all_names()


def test_create_all_remaining_resolves_every_name_in_one_click(district):
    c = client(district.cast, "office")
    book = "序号,重点任务,牵头单位,配合单位\n7,推进企业上市,区财政局,区证监办、全区经济运行各专班\n".encode()
    upload(c, content=book)
    staged = TaskImport.objects.get()
    confirm_url = reverse("task-import-confirm", args=[2026, staged.pk])
    response = c.post(
        confirm_url, {"step": "create_all", "map_key": ["区证监办", "全区经济运行各专班"], "map": ["", ""]}
    )
    assert response.status_code == 302
    staged.refresh_from_db()
    assert staged.unit_mapping == {"区证监办": "create", "全区经济运行各专班": "create"}
    page = c.get(reverse("task-import-preview", args=[2026, staged.pk])).content.decode()
    assert "Units to create: 区证监办" in page and "Unit groups to create: 全区经济运行各专班" in page
    c.post(confirm_url, {"step": "apply"})
    task = Task.objects.get(code="7")
    assert [u.name for u in task.co_units.all()] == ["区证监办"]
    assert task.co_group_links.get().group.name == "全区经济运行各专班"


def test_the_mid_year_switch_from_the_preview(district):
    c = client(district.cast, "office")
    book = (
        "序号,重点任务,牵头单位,责任领导,责任人\n7,推进企业上市,区财政局,叶枝利区长,陈责任\n8,优化营商环境,区发改局,,\n"
    ).encode()
    upload(c, content=book)
    staged = TaskImport.objects.get()
    confirm_url = reverse("task-import-confirm", args=[2026, staged.pk])
    c.post(confirm_url, {"step": "refresh", "assigned_on": "2026-07-01"})
    page = c.get(reverse("task-import-preview", args=[2026, staged.pk])).content.decode()
    assert "1 task will be assigned and acknowledged on 2026-07-01." in page
    assert "1 stays a draft:" in page
    assert c.post(confirm_url, {"step": "refresh", "assigned_on": "July"}).status_code == 302
    staged.refresh_from_db()
    assert staged.assigned_on.isoformat() == "2026-07-01"  # a day that is no date changes nothing
    c.post(confirm_url, {"step": "apply", "assigned_on": "2026-07-01"})
    assert Task.objects.get(code="7").status == "acknowledged"
    assert Task.objects.get(code="8").status == "draft"


def test_the_preview_runs_a_fixed_number_of_queries(district, django_assert_max_num_queries):
    c = client(district.cast, "office")

    def queries(n: int) -> int:
        TaskImport.objects.all().delete()
        lines = ["序号,重点任务,牵头单位,配合单位,责任人"] + [
            f"{i},任务{i},区发改局,区证监办、各街道,区发改局负责人" for i in range(10, 10 + n)
        ]
        upload(c, content=("\n".join(lines) + "\n").encode())
        staged = TaskImport.objects.get()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert c.get(reverse("task-import-preview", args=[2026, staged.pk])).status_code == 200
        return len(captured)

    assert queries(3) == queries(40) == 21  # with the bell's unread notifications; the navbar's person comes with the roles


def test_create_unknown_units_when_ticked(district):
    c = client(district.cast, "office")
    response = upload(c, create_units="on")
    staged = TaskImport.objects.get()
    assert staged.create_units
    page = c.get(response.url).content.decode()
    assert "区金融局 (new)" in page and "was not found" not in page
    c.post(reverse("task-import-confirm", args=[2026, staged.pk]), {"step": "apply"})
    assert Task.objects.get(code="7").lead_unit.name == "区金融局"


def test_pasted_text_is_accepted(district):
    c = client(district.cast, "office")
    response = c.post(
        reverse("task-import", args=[2026]),
        {"text": "9.推进乡债县管 牵头单位:区财政局 责任单位:各街道", "lead_rule": "first"},
    )
    assert response.status_code == 302
    staged = TaskImport.objects.get()
    assert staged.pasted_text.startswith("9.") and staged.filename == ""
    c.post(reverse("task-import-confirm", args=[2026, staged.pk]), {"step": "apply"})
    task = Task.objects.get(code="9")
    assert task.lead_unit == district.czj and task.co_units.count() == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("book.pdf", b"%PDF-1.4", "Only .xlsx, .csv, .docx and .txt files can be imported."),
        ("book.xlsx", b"this is not a workbook", "The file is not a readable .xlsx workbook."),
        ("book.csv", b"\xff\xfe\x00\xd8\x00\xdc", "The file is neither UTF-8 nor GB18030 text."),
    ],
)
def test_bad_uploads_are_refused_with_a_message(district, name, content, message):
    response = upload(client(district.cast, "office"), name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TaskImport.objects.exists()


def test_uploads_over_the_size_limit_are_refused(district, settings):
    settings.IMPORT_MAX_BYTES = 50
    response = upload(client(district.cast, "office"))
    assert response.status_code == 400
    assert "The file is larger than 50" in response.content.decode()
    assert not TaskImport.objects.exists()


def test_nothing_chosen_is_refused(district):
    response = client(district.cast, "office").post(
        reverse("task-import", args=[2026]), {"lead_rule": "first"}
    )
    assert response.status_code == 400
    assert "Choose a file or paste the text of the notice." in response.content.decode()


def test_a_long_book_shows_its_rows_with_errors_and_the_first_ones(district):
    c = client(district.cast, "office")
    lines = ["序号,重点任务,牵头单位,完成时限"] + [f"{i},任务{i},区发改局,12月底前" for i in range(100, 500)]
    lines[-1] = "499,任务499,区发改局,2026-02-30"
    upload(c, content=("\n".join(lines) + "\n").encode())
    page = c.get(reverse("task-import-preview", args=[2026, TaskImport.objects.get().pk])).content.decode()
    assert page.count("<tr class=") == 301  # the first 300, and the row with an error
    assert "Row 401, 完成时限: “2026-02-30” is not a real date." in page
    assert "99 more rows without errors are not shown here" in page
