"""The leaders' cockpit: for leaders and the office only, figures that link to the filtered list behind them,
a fixed number of queries whatever the size of the plan, and the weekly summary as a page and a .docx."""

import io
import json

import pytest
from django.conf import settings
from django.test import Client
from docx import Document

from tests.home.conftest import light
from tongtui.home.cockpit import ends_of
from tongtui.plans.models import Task

URL = "/cockpit/"


def client(cast, who) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(cast.user(who))
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "liaison_b"])
def test_units_get_404(cast, who):
    assert client(cast, who).get(URL).status_code == 404


def test_anonymous_is_sent_to_log_in(cast):
    assert client(cast, "anonymous").get(URL).status_code == 302


@pytest.mark.parametrize("who", ["office", "leader"])
def test_leaders_and_the_office_see_counts_by_light_each_a_link(lights, who):
    response = client(lights, who).get(URL)
    assert response.status_code == 200
    c = response.context["c"]
    counts = {row["light"]: row["count"] for row in c.lights}
    assert counts == {"red": 1, "yellow": 1, "green": 0, "grey": 0, "blue": 0}
    red = next(row for row in c.lights if row["light"] == "red")
    assert red["url"] == f"/tasks/?plan={lights.plan.pk}&light=red"
    html = response.content.decode()
    assert f'href="/tasks/?plan={lights.plan.pk}&amp;light=red"' in html


def test_the_chart_data_names_the_url_of_every_element(lights):
    response = client(lights, "leader").get(URL)
    html = response.content.decode()
    start = html.index('<script id="cockpit-data" type="application/json">') + len(
        '<script id="cockpit-data" type="application/json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert {d["url"] for d in data["lights"]} == {
        f"/tasks/?plan={lights.plan.pk}&light=red",
        f"/tasks/?plan={lights.plan.pk}&light=yellow",
    }
    assert (
        data["by_category"]["actual"][0]["url"]
        == f"/tasks/?plan={lights.plan.pk}&category={lights.category.pk}"
    )
    assert data["trend"]["dates"] and data["trend"]["series"][0]["url"].endswith("light=red")


def test_the_most_lagging_come_red_first_with_their_reasons(lights):
    c = client(lights, "office").get(URL).context["c"]
    assert [row["task"].code for row in c.lagging] == ["1", "2"]
    assert "finishes about 40" in c.lagging[0]["reasons"][0]


def test_milestones_overdue_link_to_the_filtered_list(lights):
    response = client(lights, "office").get(URL)
    c = response.context["c"]
    assert c.milestone_counts["overdue"] == 1
    assert c.links["milestones_overdue"] == f"/tasks/?plan={lights.plan.pk}&milestone=overdue"
    listed = client(lights, "office").get(c.links["milestones_overdue"])
    assert [t.code for t in listed.context["page"].object_list] == ["1"]


def test_a_leader_can_narrow_it_to_their_own_tasks(lights):
    other = Task.objects.create(plan=lights.plan, code="3", title="别的领导的任务", lead_unit=lights.unit_b)
    light(other, "red")
    everyone = client(lights, "office").get(URL).context["c"]
    mine = client(lights, "office").get(URL, {"leader": lights.leader.pk}).context["c"]
    assert everyone.exceptions == 3 and mine.exceptions == 2


def test_an_unknown_plan_or_leader_is_404(lights):
    assert client(lights, "office").get(URL, {"plan": 999}).status_code == 404
    assert client(lights, "office").get(URL, {"leader": 999}).status_code == 404


def test_the_weekly_summary_prints_on_one_page_and_downloads_as_docx(lights):
    page = client(lights, "leader").get("/cockpit/weekly/")
    assert page.status_code == 200
    assert "home/weekly.css" in page.content.decode()
    assert "地区生产总值" in page.content.decode()
    response = client(lights, "leader").get("/cockpit/weekly.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(cell.text for t in doc.tables for row in t.rows for cell in row.cells)
    assert "Weekly summary" in text and "2 tasks: 1 red, 1 yellow" in text
    assert "地区生产总值增长6%左右" in cells


def test_the_weekly_summary_is_not_for_units(lights):
    assert client(lights, "liaison_a").get("/cockpit/weekly.docx").status_code == 404


def grow(h, n):
    for i in range(n):
        task = Task.objects.create(plan=h.plan, code=f"9.{i}", title=f"任务{i}", category=h.category,
                                   lead_unit=h.unit_a if i % 2 else h.unit_b, leader=h.leader)  # fmt: skip
        light(task, ["red", "yellow", "green"][i % 3], actual_progress=i, planned_progress=50)


# session, user, roles, plan; lights, trend, progress by category, unit and leader, milestone counts and list,
# working-day overrides, on-time rates, lagging; the navbar's unread count (its person comes with the roles), the
# plan-year choice; the standing: scheme, ranked units, ledger lines, their names, whether published
QUERIES = 21


@pytest.mark.parametrize("n", [3, 30])
def test_the_cockpit_runs_a_fixed_number_of_queries_whatever_the_plan_size(
    lights, n, django_assert_num_queries
):
    grow(lights, n)
    c = client(lights, "office")
    c.get(URL)
    with django_assert_num_queries(QUERIES):
        assert c.get(URL).status_code == 200


def test_the_cockpit_shows_each_groups_standing_this_quarter_as_the_ranking_page_does(lights):
    from tongtui.assessment import actions
    from tongtui.assessment.ledger_db import recompute

    recompute(lights.plan)
    c = client(lights, "leader")
    response = c.get(URL)
    standing = response.context["c"].ranking
    quarter = standing["period"]
    assert quarter.kind == "quarter" and standing["published"] is False
    ranking = c.get(standing["url"])  # the whole ranking the section links to
    assert ranking.status_code == 200
    page_rows = [(r.unit_id, r.rank, r.score) for t in ranking.context["groups"] for r in t.rows]
    shown = [(i["row"].unit_id, i["row"].rank, i["row"].score) for g in standing["groups"] for i in g["rows"] if i]
    assert shown and shown == page_rows  # few units: every place shown, in the page's order
    html = response.content.decode()
    assert 'id="standing"' in html and "not published" in html
    actions.publish_ranking(lights.plan, quarter.key, by=lights.user("office"))
    assert client(lights, "leader").get(URL).context["c"].ranking["published"] is True


def test_a_long_group_shows_its_first_and_last_places():
    assert ends_of(list(range(10)), 3) == [0, 1, 2, None, 7, 8, 9]
    assert ends_of(list(range(6)), 3) == [0, 1, 2, 3, 4, 5]
    assert ends_of([], 3) == []
