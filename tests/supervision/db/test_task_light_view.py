import json
import re

from tongtui.plans import actions as plan_actions
from tongtui.supervision.recompute import recompute_plan

from .conftest import D


def url(task):
    return f"/supervision/tasks/{task.pk}/light/"


def test_the_partial_shows_the_light_its_reasons_the_forecast_and_the_chart(lights):
    cast = lights.cast
    lights.report(cast.task_a, 10, 20, submitted=D(2026, 10, 24))
    recompute_plan(cast.plan)
    response = cast.client("liaison_a").get(url(cast.task_a), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-light="red"' in html
    assert 'data-code="behind_plan"' in html
    assert 'id="task-forecast"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert 'id="task-light-history"' in html
    data = json.loads(
        re.search(r'<script id="task-trajectory-data" type="application/json">(.*?)</script>', html).group(1)
    )
    assert data["reported"] == [["2026-10-31", 20.0]]
    assert data["planned"][0] == ["2026-01-01", 0.0]


def test_as_of_shows_the_day_asked_for(lights):
    cast = lights.cast
    html = cast.client("office").get(url(cast.task_a), {"as_of": "2026-02-01"}).content.decode()
    assert "2026-02-01" in html


def test_an_outsider_gets_404(lights):
    assert lights.cast.client("liaison_b").get(url(lights.cast.task_a)).status_code == 404


def test_anonymous_gets_the_login_page(lights):
    response = lights.cast.client("anonymous").get(url(lights.cast.task_a))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_task_page_loads_the_partial(lights):
    html = lights.cast.client("office").get(f"/tasks/{lights.cast.task_a.pk}/").content.decode()
    assert f'hx-get="/supervision/tasks/{lights.cast.task_a.pk}/light/"' in html
    assert 'hx-trigger="load"' in html


def test_the_task_list_shows_and_filters_the_light(lights):
    cast = lights.cast
    lights.report(cast.task_a, 10, 20, submitted=D(2026, 10, 24))
    plan_actions.suspend_task(cast.task_c, by=cast.user("office"), reason="暂缓")
    recompute_plan(cast.plan)
    office = cast.client("office")
    html = office.get("/tasks/").content.decode()
    assert 'data-light="red"' in html
    filtered = office.get("/tasks/", {"light": "red"}).content.decode()
    assert f'data-task="{cast.task_a.pk}"' in filtered
    assert f'data-task="{cast.task_c.pk}"' not in filtered
