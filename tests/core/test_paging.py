"""The paginator that counts only when the page does not tell the count: Django's answers, fewer queries."""

import pytest
from django.core import paginator as django_paging
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tongtui.core.paging import Paginator
from tongtui.orgs.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    Unit.objects.bulk_create([Unit(name=f"分页单位{i:02d}", kind="department", order=i) for i in range(7)])
    return Unit.objects.filter(name__startswith="分页单位").order_by("order")


def counts(ctx: CaptureQueriesContext) -> int:
    return sum("COUNT(" in q["sql"] for q in ctx.captured_queries)


def answer(pager, how: str, number):
    """What a view sees of one page: its rows, number, count, page count, neighbours, or the error."""
    try:
        page = pager.page(number) if how == "page" else pager.get_page(number)
    except django_paging.InvalidPage as error:
        return type(error).__name__, str(error)
    return (
        [u.name for u in page],
        page.number,
        pager.count,
        pager.num_pages,
        page.has_next(),
        page.has_previous(),
        page.start_index(),
        page.end_index(),
    )


@pytest.mark.parametrize("how", ["page", "get_page"])
@pytest.mark.parametrize("per_page", [1, 3, 7, 10])
@pytest.mark.parametrize("number", [1, 2, 3, 4, 8, 0, -1, "2", "x", None, 2.0, 2.5])
def test_same_answers_as_django(units, how, per_page, number):
    for allow_empty in (True, False):
        ours = answer(Paginator(units, per_page, allow_empty_first_page=allow_empty), how, number)
        theirs = answer(django_paging.Paginator(units, per_page, allow_empty_first_page=allow_empty), how, number)
        assert ours == theirs


@pytest.mark.parametrize("how", ["page", "get_page"])
@pytest.mark.parametrize("number", [1, 2, "x"])
def test_same_answers_on_an_empty_list(db, how, number):
    empty = Unit.objects.filter(name="没有这个单位").order_by("pk")
    for allow_empty in (True, False):
        ours = answer(Paginator(empty, 5, allow_empty_first_page=allow_empty), how, number)
        theirs = answer(django_paging.Paginator(empty, 5, allow_empty_first_page=allow_empty), how, number)
        assert ours == theirs


def test_a_short_first_page_is_the_whole_list_without_a_count(units):
    with CaptureQueriesContext(connection) as ctx:
        pager = Paginator(units, 10)
        page = pager.page(1)
        assert (len(page), pager.count, pager.num_pages, page.has_next()) == (7, 7, 1, False)
    assert counts(ctx) == 0
    assert len(ctx.captured_queries) == 1


def test_a_later_page_counts_first(units):
    with CaptureQueriesContext(connection) as ctx:
        pager = Paginator(units, 3)
        page = pager.get_page("3")
        assert ([u.order for u in page], pager.count, pager.num_pages) == ([6], 7, 3)
    assert counts(ctx) == 1
    with pytest.raises(django_paging.EmptyPage):
        Paginator(units, 3).page(10**30)  # refused on the count, never sent as an offset


def test_an_empty_list_is_one_empty_page_without_a_count(db):
    with CaptureQueriesContext(connection) as ctx:
        pager = Paginator(Unit.objects.filter(name="没有这个单位").order_by("pk"), 10)
        page = pager.get_page(None)
        assert (len(page), pager.count, pager.num_pages) == (0, 0, 1)
    assert counts(ctx) == 0


def test_a_full_page_counts(units):
    with CaptureQueriesContext(connection) as ctx:
        pager = Paginator(units, 3)
        page = pager.page(1)
        assert (pager.num_pages, page.has_next()) == (3, True)
    assert counts(ctx) == 1


def test_a_page_past_the_end_counts_then_refuses_or_falls_back(units):
    pager = Paginator(units, 3)
    with pytest.raises(django_paging.EmptyPage):
        pager.page(5)
    fallback = Paginator(units, 3)
    with CaptureQueriesContext(connection) as ctx:
        page = fallback.get_page(5)
    assert (page.number, [u.order for u in page]) == (3, [6])
    assert counts(ctx) == 1


def test_orphans_keep_djangos_way(units):
    ours, theirs = Paginator(units, 3, orphans=1), django_paging.Paginator(units, 3, orphans=1)
    assert answer(ours, "page", 2) == answer(theirs, "page", 2)
    assert [u.order for u in ours.page(2)] == [3, 4, 5, 6]


def test_the_api_list_does_not_count_a_short_page(cast):
    """The task API's page: a list shorter than the page carries its count without a COUNT query."""
    api = APIClient()
    api.force_authenticate(cast.user("office"))
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("/api/tasks/?page_size=100")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["results"]) > 0
    assert counts(ctx) == 0
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("/api/tasks/?page_size=1")
    assert response.json()["count"] == body["count"]
    assert counts(ctx) == 1


def test_the_task_page_does_not_count_a_short_list(cast):
    with CaptureQueriesContext(connection) as ctx:
        response = cast.client("office").get("/tasks/")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == len(page) == 2
    assert not any("COUNT(" in q["sql"] and "plans_task" in q["sql"] for q in ctx.captured_queries)
