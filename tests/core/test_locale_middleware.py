from django.test import Client


def test_an_english_browser_gets_chinese_by_default(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/login/")
    assert response["Content-Language"] == "zh-hans"


def test_the_language_switch_is_what_counts(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert client.get("/login/")["Content-Language"] == "en"


def test_an_unknown_language_cookie_falls_back_to_chinese(db):
    client = Client()
    client.cookies["django_language"] = "xx"
    assert client.get("/login/")["Content-Language"] == "zh-hans"
