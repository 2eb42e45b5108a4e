"""Every answer under /api/ is JSON, even when no URL matched or the request never reached a view."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from tongtui import urls as project_urls


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/boom/", boom), path("boom/", boom), *project_urls.urlpatterns]
handler500 = project_urls.handler500


@pytest.mark.parametrize("url", ["/api/tasks/%0A/", "/api/no-such-thing/", "/api/tasks/1/%0A"])
def test_an_unmatched_api_path_is_a_json_404(cast, url):
    c = cast.client("office")
    r = c.get(url)
    assert r.status_code == 404 and r["Content-Type"] == "application/json"
    assert set(r.json()) == {"detail"}


def test_pages_keep_their_html_404(cast):
    r = cast.client("office").get("/no-such-page/")
    assert r.status_code == 404 and r["Content-Type"].startswith("text/html")


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_crash_under_the_api_is_a_json_500_and_a_page_crash_html(cast):
    c = Client(raise_request_exception=False)
    c.force_login(cast.user("office"))
    r = c.get("/api/boom/")
    assert r.status_code == 500 and r.json() == {"detail": r.json()["detail"]} and r.json()["detail"]
    page = c.get("/boom/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
