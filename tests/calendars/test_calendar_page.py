"""The calendar page: who sees which entries, the filters, the three views, holidays and 调休."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from tongtui.calendars import events, loader
from tongtui.calendars.access import mine
from tongtui.orgs.roles import roles_of

D = datetime.date
URL = reverse("calendars:calendar")
TODAY = D(2026, 4, 15)
APRIL_1, APRIL_30 = D(2026, 4, 1), D(2026, 4, 30)


def page(cast, who, **params):
    params.setdefault("d", "2026-04-01")
    client = cast.client(who)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(URL, params)


def uids(cast, who, sel=None):
    return {e.uid for e in loader.load(cast.user(who), sel or events.Selection(), APRIL_1, APRIL_30, TODAY)}


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(cast):
    response = cast.client("anonymous").get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_office_sees_every_kind(april):
    c = april
    assert uids(c, "office") == {
        f"milestone-{c.m_a.pk}", f"milestone-{c.m_c.pk}",
        f"report-{c.task_a.pk}-20260401", f"report-{c.task_c.pk}-20260401",
        f"meeting-{c.meeting.pk}", f"order-{c.order.pk}", f"chase-{c.chase.pk}",
    }  # fmt: skip


def test_a_liaison_sees_only_their_units_work(april):
    c = april
    assert uids(c, "liaison_a") == {
        f"milestone-{c.m_a.pk}",
        f"report-{c.task_a.pk}-20260401",
        f"chase-{c.chase.pk}",
    }
    assert uids(c, "liaison_b") == {f"order-{c.order.pk}"}


def test_the_page_of_an_outsider_names_nothing_of_unit_a(april):
    body = page(april, "liaison_b", view="list").content.decode()
    assert "完成项目立项" not in body and "3月进度未报送" not in body and "台账不全" in body


def test_report_deadlines_move_off_the_weekend_and_know_when_filed(april):
    c = april
    found = {
        e.uid: e
        for e in loader.load(c.user("office"), events.Selection(), D(2026, 4, 1), D(2026, 4, 30), TODAY)
    }
    report = found[f"report-{c.task_a.pk}-20260401"]
    assert report.day == D(2026, 4, 24)  # the 25th is a Saturday
    assert not report.done and not report.overdue
    assert found[f"milestone-{c.m_c.pk}"].done
    assert found[f"milestone-{c.m_a.pk}"].overdue  # due on the 10th, not done by the 15th
    assert found[f"order-{c.order.pk}"].day == c.order.deadline


def test_filters_by_unit_leader_and_category(april):
    c = april
    by_unit_c = uids(c, "office", events.Selection(unit_id=c.unit_c.pk))
    # unit C co-operates on task_a and leads task_c; the meeting decided something for it
    assert by_unit_c == {
        f"milestone-{c.m_a.pk}", f"milestone-{c.m_c.pk}", f"report-{c.task_a.pk}-20260401",
        f"report-{c.task_c.pk}-20260401", f"meeting-{c.meeting.pk}",
    }  # fmt: skip
    assert uids(c, "office", events.Selection(unit_id=c.unit_b.pk)) == {f"order-{c.order.pk}"}
    by_leader = uids(c, "office", events.Selection(leader_id=c.leader.pk))
    assert f"meeting-{c.meeting.pk}" in by_leader and f"chase-{c.chase.pk}" in by_leader
    assert f"order-{c.order.pk}" not in by_leader  # the order names no task, so no leader
    assert uids(c, "office", events.Selection(leader_id=c.owner.pk)) == set()
    by_category = uids(c, "office", events.Selection(category_id=c.category.pk))
    assert f"milestone-{c.m_a.pk}" in by_category and f"order-{c.order.pk}" not in by_category
    only = uids(c, "office", events.Selection(kinds=frozenset({events.MEETING, events.ORDER})))
    assert only == {f"meeting-{c.meeting.pk}", f"order-{c.order.pk}"}


def test_only_mine_is_the_persons_own_work(april):
    c = april
    leader_mine = uids(c, "leader", events.Selection(mine=mine(roles_of(c.user("leader")))))
    assert f"meeting-{c.meeting.pk}" in leader_mine and f"milestone-{c.m_a.pk}" in leader_mine
    assert f"order-{c.order.pk}" not in leader_mine
    office_mine = uids(c, "office", events.Selection(mine=mine(roles_of(c.user("office")))))
    assert office_mine == {f"meeting-{c.meeting.pk}", f"order-{c.order.pk}", f"chase-{c.chase.pk}"}


def test_a_filter_on_a_unit_one_is_not_in_shows_only_ones_own(april):
    body = page(april, "liaison_b", view="list", unit=april.unit_a.pk).content.decode()
    assert "完成项目立项" not in body and "台账不全" in body


def test_the_month_view_shows_holidays_adjusted_days_and_links(april):
    c = april
    response = page(c, "office", view="month")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="d-2026-04-06"' in body and "Tomb-sweeping Day" in body  # Qingming, a Monday off
    assert reverse("supervision:order-detail", args=[c.order.pk]) in body
    assert reverse("dispatch:meeting-detail", args=[c.meeting.pk]) in body
    assert reverse("task-detail", args=[c.task_a.pk]) + "#roadmap" in body
    assert "April 2026" in body
    chinese = april.client("office").get(URL, {"d": "2026-04-01", "view": "month"}).content.decode()
    assert "2026年4月" in chinese  # Chinese first, in the Chinese way of writing a month


def test_the_month_of_the_spring_festival_marks_the_worked_saturday(april):
    body = page(april, "office", view="month", d="2026-02-01").content.decode()
    cell = body.split('id="d-2026-02-14"', 1)[1].split("</td>", 1)[0]
    assert "Adjusted working day" in cell and "Work" in cell
    festival = body.split('id="d-2026-02-17"', 1)[1].split("</td>", 1)[0]
    assert "Spring Festival" in festival and "Off" in festival


def test_the_week_view_starts_on_monday(april):
    body = page(april, "office", view="week", d="2026-04-16").content.decode()
    assert 'id="d-2026-04-13"' in body and 'id="d-2026-04-19"' in body and 'id="d-2026-04-20"' not in body
    assert "09:30" in body and "一季度重点工作调度会" in body


def test_the_list_view_holds_only_days_with_something(april):
    body = page(april, "office", view="list").content.decode()
    assert 'id="l-2026-04-10"' in body and 'id="l-2026-04-24"' in body
    assert 'id="l-2026-04-07"' not in body  # a plain Tuesday with nothing due
    assert 'id="cal-month"' not in body


def test_with_no_view_chosen_the_phone_gets_the_list_and_the_desk_the_month(april):
    body = page(april, "office").content.decode()
    assert 'class="d-none d-lg-block tt-cal-month-wrap"' in body
    assert 'class="d-lg-none" id="cal-list"' in body


def test_a_report_deadline_links_the_liaison_to_the_form_and_others_to_the_tasks_reports(april):
    c = april
    start = reverse("dispatch:report-start", args=[c.task_a.pk, "2026-04-01"])
    assert start in page(c, "liaison_a", view="list").content.decode()
    office = page(c, "office", view="list").content.decode()
    assert start not in office and reverse("dispatch:task-reports", args=[c.task_a.pk]) in office


def test_the_page_moves_by_month_and_by_week(april):
    body = page(april, "office", view="week", d="2026-04-16", unit=april.unit_c.pk).content.decode()
    assert "d=2026-04-09" in body and "d=2026-04-23" in body and f"unit={april.unit_c.pk}" in body
    body = page(april, "office", view="month", d="2026-04-16").content.decode()
    assert "d=2026-03-01" in body and "d=2026-05-01" in body


def test_bad_filters_are_ignored_not_an_error(april):
    response = page(april, "office", unit="x", leader="999999", d="not-a-date", kind="nonsense")
    assert response.status_code == 200


def test_a_crowded_day_in_the_list_asks_for_a_filter(april, monkeypatch):
    from tongtui.calendars import views

    monkeypatch.setattr(views, "MAX_PER_DAY", 1)
    body = page(april, "office", view="list").content.decode()
    day = body.split('id="l-2026-04-24"', 1)[1].split("</section>", 1)[0]  # two reports fall due that day
    assert day.count("tt-cal-ev ") == 1 and "And 1 more on this day" in day
