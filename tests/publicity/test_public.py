"""The public page (/public/) and the office's public texts: anyone reads the tasks marked public with the
office's text, progress and milestones — and never a person's name, a problem, a report's text or a score."""

import datetime
from decimal import Decimal

import pytest

from tongtui.assessment.models import ManualEntry
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.dispatch.models import ProgressReport
from tongtui.dispatch.models.problems import Problem
from tongtui.orgs.models import Person
from tongtui.plans.models import Milestone, Task
from tongtui.publicity import actions_public
from tongtui.publicity.models import PublicEntry

D = datetime.date
REPORT_TEXT = "本期完成管网改造3.2公里，张联络现场督导"
PROBLEM_TEXT = "征地拆迁遇阻，需区领导协调"


@pytest.fixture
def shown(cast):
    """task_a public (in progress, 40%, two milestones, a report, a problem, a score); task_c not public."""
    Task.objects.filter(pk=cast.task_a.pk).update(status="in_progress", progress=Decimal("40"),
                                                   progress_on=D(2026, 6, 30), progress_note=REPORT_TEXT)  # fmt: skip
    cast.task_a.refresh_from_db()
    Milestone.objects.create(task=cast.task_a, title="完成管网设计", due=D(2026, 3, 31), planned_progress=20,
                             done_on=D(2026, 3, 20))  # fmt: skip
    Milestone.objects.create(task=cast.task_a, title="完成主体施工", due=D(2026, 9, 30), planned_progress=80)
    ProgressReport.objects.create(task=cast.task_a, unit=cast.unit_a, period_start=D(2026, 6, 1),
                                  period_end=D(2026, 6, 30), due=D(2026, 7, 3), status="accepted",
                                  progress=Decimal(40), done=REPORT_TEXT)  # fmt: skip
    Problem.objects.create(task=cast.task_a, unit=cast.unit_a, title=PROBLEM_TEXT, addressed_to="leader",
                           addressed_leader=cast.leader, answer_by=D(2026, 7, 10))
    ManualEntry.objects.create(plan=cast.plan, unit=cast.unit_a, kind="commendation", reason="表扬",
                               on=D(2026, 6, 1), points=Decimal("7.37"))  # fmt: skip
    entry = actions_public.save_entry(cast.task_a, by=cast.user("office"), title="老旧小区雨污管网改造",
                                      text="改造老旧小区雨污管网，解决雨天积水问题。", public=True)  # fmt: skip
    cast.task_a.refresh_from_db()
    return entry


def test_the_entry_gets_a_public_key_of_year_and_number(cast, shown):
    assert (shown.key, shown.number) == ("2026-1", 1) and cast.task_a.is_public
    second = actions_public.save_entry(cast.task_c, by=cast.user("office"), title="t", text="x")
    assert second.key == "2026-2" and not Task.objects.get(pk=cast.task_c.pk).is_public


def test_anyone_reads_the_public_list_and_the_task_page(cast, shown):
    c = cast.client("anonymous")
    r = c.get("/public/")
    html = r.content.decode()
    assert r.status_code == 200 and "老旧小区雨污管网改造" in html and 'href="/public/2026-1/"' in html
    assert "public" in r["Cache-Control"] and "max-age=300" in r["Cache-Control"]
    assert "csrfmiddlewaretoken" not in html and "<form" not in html
    assert "Set-Cookie" not in r.headers and not r.cookies
    page = c.get("/public/2026-1/").content.decode()
    assert "改造老旧小区雨污管网" in page and "完成管网设计" in page and "40%" in page
    assert cast.task_c.title not in html


@pytest.mark.parametrize("key", ["2026-2", "1", str(1), "2025-1", "abc"])
def test_any_other_key_is_a_404(cast, shown, key):
    assert cast.client("anonymous").get(f"/public/{key}/").status_code == 404


def test_a_task_not_public_or_cancelled_or_without_text_is_not_shown(cast, shown):
    office = cast.user("office")
    actions_public.set_public(cast.task_a, by=office, public=False)
    assert cast.client("anonymous").get("/public/2026-1/").status_code == 404
    Task.objects.filter(pk=cast.task_a.pk).update(is_public=True, status="cancelled")
    assert cast.client("anonymous").get("/public/2026-1/").status_code == 404
    Task.objects.filter(pk=cast.task_c.pk).update(is_public=True, status="in_progress")  # public, no text
    assert cast.task_c.title not in cast.client("anonymous").get("/public/").content.decode()


def _all_pages(c):
    pages = [c.get("/public/").content.decode(), c.get("/api/public/tasks/").content.decode()]
    for key in PublicEntry.objects.values_list("key", flat=True):
        pages += [c.get(f"/public/{key}/").content.decode(), c.get(f"/api/public/tasks/{key}/").content.decode()]
    return pages


def test_the_public_sees_no_name_no_problem_no_report_text_no_score_no_id(cast, shown):
    Task.objects.filter(pk=cast.task_a.pk).update(leader_text="王副区长", owner_text="陈责任")
    pages = _all_pages(cast.client("anonymous"))
    assert len(pages) == 4 and all("老旧小区雨污管网改造" in p for p in pages)
    names = set(Person.objects.values_list("name", flat=True)) | {"王副区长", "陈责任"}
    assert len(names) >= 6
    for page in pages:
        for name in names:
            assert name not in page, name
        for secret in (PROBLEM_TEXT, REPORT_TEXT, "7.37", "得分", f"/tasks/{cast.task_a.pk}/", "/practices/",
                       "/bulletins/", "/login"):  # fmt: skip
            assert secret not in page, secret
        assert f'"id": {cast.task_a.pk}' not in page and '"id":' not in page


def test_the_milestones_can_be_left_off(cast, shown):
    actions_public.save_entry(cast.task_a, by=cast.user("office"), title="t", text="x", show_milestones=False,
                              version=shown.version)  # fmt: skip
    assert "完成管网设计" not in cast.client("anonymous").get("/public/2026-1/").content.decode()


def test_the_public_list_runs_a_fixed_number_of_queries(cast, shown, django_assert_max_num_queries):
    office = cast.user("office")
    for i in range(5):
        t = Task.objects.create(plan=cast.plan, code=f"9.{i}", title=f"t{i}", lead_unit=cast.unit_a, status="assigned")
        Milestone.objects.create(task=t, title="m", due=D(2026, 5, 1), planned_progress=50)
        actions_public.save_entry(t, by=office, title=f"民生{i}", text="x", public=True)
    c = cast.client("anonymous")
    with django_assert_max_num_queries(4):
        assert c.get("/public/").status_code == 200


def test_only_the_office_writes_public_texts(cast, shown):
    for who in ("leader", "head_a", "liaison_a"):
        with pytest.raises(Forbidden):
            actions_public.save_entry(cast.task_c, by=cast.user(who), title="t", text="x")
        with pytest.raises(Forbidden):
            actions_public.set_public(cast.task_a, by=cast.user(who), public=False)


def test_a_task_goes_public_only_with_a_text_and_a_stale_edit_is_refused(cast, shown):
    office = cast.user("office")
    with pytest.raises(ActionError):
        actions_public.set_public(cast.task_c, by=office, public=True)
    with pytest.raises(ActionError):
        actions_public.save_entry(cast.task_c, by=office, title=" ", text="x")
    actions_public.save_entry(cast.task_a, by=office, title="新", text="x", version=shown.version)
    with pytest.raises(Conflict):
        actions_public.save_entry(cast.task_a, by=office, title="旧", text="x", version=shown.version)
    with pytest.raises(Conflict):
        actions_public.set_public(Task.objects.get(pk=cast.task_a.pk), by=office, public=True)  # already


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a", "liaison_b"])
def test_the_office_page_is_a_404_to_others(cast, shown, who):
    c = cast.client(who)
    assert c.get("/public-entries/").status_code == 404
    assert c.get(f"/public-entries/{cast.task_a.pk}/").status_code == 404
    assert c.post(f"/public-entries/{cast.task_a.pk}/", {"title": "x", "text": "y"}).status_code == 404
    assert cast.client("anonymous").get("/public-entries/").status_code == 302


def test_the_office_writes_and_marks_public_on_its_page(cast, shown):
    Task.objects.filter(pk=cast.task_c.pk).update(status="assigned")  # a draft task is not offered
    c = cast.client("office")
    html = c.get("/public-entries/").content.decode()
    assert 'data-entry="2026-1"' in html and cast.task_c.title[:10] in html  # offered to add
    assert c.get(f"/public-entries/{cast.task_c.pk}/").status_code == 200
    r = c.post(f"/public-entries/{cast.task_c.pk}/", {"title": "财政惠民", "text": "惠民资金直达。",
                                                       "show_milestones": "on", "public": "on"})  # fmt: skip
    assert r.status_code == 302
    assert Task.objects.get(pk=cast.task_c.pk).is_public
    assert PublicEntry.objects.get(task=cast.task_c).history.first().history_user == cast.user("office")
    assert c.get("/public-entries/999999/").status_code == 404
