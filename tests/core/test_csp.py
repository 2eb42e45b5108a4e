"""Every page carries the strict Content-Security-Policy: scripts and style sheets from this site only, no
plugins, no framing, forms posting here only. Inline style attributes are the one allowance."""

import re
from pathlib import Path

import pytest
from django.test import Client

import tongtui

STRICT = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def directives(response) -> list[str]:
    return [d.strip() for d in response["Content-Security-Policy"].split(";")]


@pytest.mark.parametrize("who", ["office", "liaison_a"])
def test_the_policy_is_on_every_kind_of_page(cast, who):
    client = cast.client(who)
    pages = ["/", "/tasks/", f"/tasks/{cast.task_a.pk}/", "/account/", "/account/token/", "/api/docs/",
             "/api/tasks/", "/no-such-page/"]  # fmt: skip
    if who == "office":
        pages += ["/cockpit/", "/setup/", "/cockpit/weekly/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert sorted(directives(response)) == sorted(STRICT), url


def test_the_login_page_and_the_public_page_carry_it_too(cast):
    for url in ("/login/", "/public/"):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in directives(response), url


def test_the_api_docs_page_loads_its_start_up_script_as_a_file(cast):
    page = cast.client("office").get("/api/docs/").content.decode()
    assert "<script>" not in page and "<style>" not in page
    script = cast.client("office").get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


TEMPLATES = Path(tongtui.__file__).parent


def test_no_template_holds_an_inline_script_handler_or_style_sheet():
    """What the policy would refuse: found here rather than by a user whose button does nothing."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>")
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    found = []
    for path in TEMPLATES.glob("**/templates/**/*.html"):
        text = path.read_text()
        for pattern in (inline_script, handler, re.compile(r"<style[\s>]"), re.compile(r"javascript:")):
            found += [f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []
