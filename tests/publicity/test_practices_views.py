"""Practice pages: the library with its search, writing, a practice's page with its steps, the photos; an
outsider gets 404 for everything not published, and the home pages feature the latest published."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.publicity.conftest import PNG, write
from tongtui.publicity import actions_practices as a
from tongtui.publicity.models import Practice, PracticeStatus


def test_the_library_lists_published_practices_as_cards(cast, published):
    practice = write(cast)
    html = cast.client("liaison_b").get("/practices/").content.decode()
    assert f'data-practice="{published.pk}"' in html
    assert f'data-practice="{practice.pk}"' not in html  # unit A's draft (same title, another pk)


def test_the_library_searches_by_words_kind_unit_category_and_year(cast, published):
    c = cast.client("liaison_b")
    hit = f'data-practice="{published.pk}"'
    for query in ("q=周调度", "q=清零 调度", "kind=practice", f"unit={cast.unit_a.pk}",
                  f"category={cast.category.pk}", "year=2026"):  # fmt: skip
        assert hit in c.get(f"/practices/?{query}").content.decode(), query
    for query in ("q=没有这个词", "kind=innovation", f"unit={cast.unit_b.pk}"):
        assert hit not in c.get(f"/practices/?{query}").content.decode(), query


def test_the_library_runs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    office = cast.user("office")
    for i in range(6):
        p = write(cast, title=f"经验{i}")
        a.add_photo(p, by=cast.user("liaison_a"), file=SimpleUploadedFile("a.png", PNG))
        a.submit(p, by=cast.user("liaison_a"))
        a.select(p, by=office)
        a.publish(p, by=office)
    c = cast.client("liaison_b")
    c.get("/practices/")
    with django_assert_max_num_queries(14):
        assert c.get("/practices/?q=经验").status_code == 200


def test_the_library_is_for_people_with_a_unit(cast, published):
    from django.contrib.auth import get_user_model
    from django.test import Client

    c = Client()
    c.force_login(get_user_model().objects.create_user("nobody", password="x"))
    assert c.get("/practices/").status_code == 404
    assert cast.client("anonymous").get("/practices/").status_code == 302  # to the login


@pytest.mark.parametrize("who", ["liaison_b", "leader", "anonymous"])
def test_a_draft_is_a_404_to_outsiders(cast, practice, who):
    photo = a.add_photo(practice, by=cast.user("liaison_a"), file=SimpleUploadedFile("a.png", PNG))
    c = cast.client(who)
    expected = 302 if who == "anonymous" else 404
    for url in (f"/practices/{practice.pk}/", f"/practices/{practice.pk}/edit/",
                f"/practices/photos/{photo.pk}/"):  # fmt: skip
        assert c.get(url).status_code == expected, url
    for url in (f"/practices/{practice.pk}/submit/", f"/practices/{practice.pk}/photos/",
                f"/practices/photos/{photo.pk}/delete/"):  # fmt: skip
        assert c.post(url).status_code == expected, url
    assert Practice.objects.get().status == PracticeStatus.DRAFT


def test_a_missing_practice_is_a_404(cast):
    assert cast.client("office").get("/practices/999/").status_code == 404
    assert cast.client("office").get("/practices/photos/999/").status_code == 404


def test_a_published_practice_and_its_photo_are_read_by_everyone_with_a_unit(cast, practice):
    photo = a.add_photo(practice, by=cast.user("liaison_a"), file=SimpleUploadedFile("a.png", PNG))
    a.submit(practice, by=cast.user("liaison_a"))
    a.select(practice, by=cast.user("office"))
    a.publish(practice, by=cast.user("office"))
    c = cast.client("liaison_b")
    html = c.get(f"/practices/{practice.pk}/").content.decode()
    assert "每周一调度" in html and 'id="unit-steps"' not in html and 'id="office-steps"' not in html
    r = c.get(f"/practices/photos/{photo.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and b"".join(r.streaming_content) == PNG
    assert c.post(f"/practices/{practice.pk}/unpublish/", {"reason": "x"}).status_code == 302
    assert Practice.objects.get().status == PracticeStatus.PUBLISHED  # refused: not the office


def test_a_liaison_writes_uploads_and_submits_through_the_pages(cast):
    c = cast.client("liaison_a")
    assert c.get("/practices/new/").status_code == 200
    r = c.post("/practices/new/", {"unit": cast.unit_a.pk, "plan": cast.plan.pk, "kind": "innovation",
                                   "title": "一网通办", "summary": "办事不跑腿。", "body": "正文",
                                   "tasks": [cast.task_a.pk]})  # fmt: skip
    p = Practice.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/practices/{p.pk}/"
    c.post(f"/practices/{p.pk}/photos/", {"photos": [SimpleUploadedFile("现场.png", PNG)]})
    c.post(f"/practices/{p.pk}/photos/", {"photos": [SimpleUploadedFile("假.jpg", PNG)]})  # not a JPEG
    assert p.photos.count() == 1
    c.post(f"/practices/{p.pk}/edit/", {"kind": "innovation", "title": "一网通办2.0", "summary": "s", "body": "b",
                                         "version": p.version})  # fmt: skip
    c.post(f"/practices/{p.pk}/submit/")
    p.refresh_from_db()
    assert (p.title, p.status) == ("一网通办2.0", PracticeStatus.SUBMITTED)


def test_a_unit_without_a_writer_cannot_open_the_form(cast):
    assert cast.client("leader").get("/practices/new/").status_code == 404
    assert cast.client("office").get("/practices/new/").status_code == 404


def test_the_office_reviews_through_the_pages(cast, practice):
    a.submit(practice, by=cast.user("liaison_a"))
    c = cast.client("office")
    assert f'data-working="{practice.pk}"' in c.get("/practices/").content.decode()
    c.post(f"/practices/{practice.pk}/return/", {"reason": "补充数据"})
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.RETURNED
    html = cast.client("liaison_a").get(f"/practices/{practice.pk}/").content.decode()
    assert "补充数据" in html and 'id="unit-steps"' in html
    assert c.post(f"/practices/{practice.pk}/no-such-step/").status_code == 404


def test_the_home_pages_feature_the_latest_three_published(cast):
    office = cast.user("office")
    made = []
    for i in range(4):
        p = write(cast, title=f"经验{i}")
        a.submit(p, by=cast.user("liaison_a"))
        a.select(p, by=office)
        made.append(a.publish(p, by=office))
    for who in ("liaison_b", "office", "leader", "head_a"):
        html = cast.client(who).get("/").content.decode()
        assert 'id="featured-practices"' in html, who
        assert f'data-practice="{made[3].pk}"' in html and f'data-practice="{made[0].pk}"' not in html
