import datetime

import pytest

from tongtui.supervision import actions_chases as chases
from tongtui.supervision.models import ChaseNotice, ChaseStatus


@pytest.mark.parametrize("who", ["office", "leader", "head_a", "liaison_a", "liaison_b"])
def test_every_logged_in_user_sees_the_list_scoped_to_them(cast, chase, who):
    r = cast.client(who).get("/supervision/chases/?state=all")
    assert r.status_code == 200
    assert (f'data-chase="{chase.pk}"' in r.text) == (who != "liaison_b")


def test_anonymous_users_get_the_login_page(cast, chase):
    for url in ["/supervision/chases/", f"/supervision/chases/{chase.pk}/", "/supervision/chases/new/"]:
        r = cast.client("anonymous").get(url)
        assert r.status_code == 302 and "/login" in r["Location"], url


def test_an_outsider_gets_404_on_another_units_notice(cast, chase):
    assert cast.client("liaison_b").get(f"/supervision/chases/{chase.pk}/").status_code == 404
    r = cast.client("liaison_b").post(f"/supervision/chases/{chase.pk}/", {"step": "reply", "text": "x"})
    assert r.status_code == 404
    assert cast.client("liaison_a").get(f"/supervision/chases/{chase.pk}/").status_code == 200
    assert cast.client("leader").get(f"/supervision/chases/{chase.pk}/").status_code == 200


def test_the_overdue_and_open_filters(cast, chase):
    other = chases.issue_chase(by=cast.user("office"), plan=cast.plan, unit=cast.unit_b, subject="未来", content="c",
                               issued_on=datetime.date.today())  # fmt: skip
    c = cast.client("office")
    late = c.get("/supervision/chases/?state=overdue").text
    assert f'data-chase="{chase.pk}"' in late and f'data-chase="{other.pk}"' not in late
    chases.close_chase(chase, by=cast.user("office"))
    opened = c.get("/supervision/chases/").text
    assert f'data-chase="{chase.pk}"' not in opened and f'data-chase="{other.pk}"' in opened
    assert f'data-chase="{chase.pk}"' in c.get("/supervision/chases/?state=closed").text


def test_the_office_issues_a_notice_from_the_form(cast):
    c = cast.client("office")
    assert c.get(f"/supervision/chases/new/?unit={cast.unit_b.pk}").status_code == 200
    r = c.post("/supervision/chases/new/", {"unit": cast.unit_b.pk, "subject": "里程碑逾期", "content": "请说明",
                                            "workdays": 3, "tasks": [cast.task_a.pk]})  # fmt: skip
    n = ChaseNotice.objects.get(unit=cast.unit_b)
    assert r.status_code == 302 and r["Location"] == f"/supervision/chases/{n.pk}/"
    assert n.issued_by == cast.user("office") and list(n.tasks.all()) == [cast.task_a]
    assert n.number in c.get(r["Location"]).text


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a"])
def test_only_the_office_sees_the_issue_form(cast, who):
    assert cast.client(who).get("/supervision/chases/new/").status_code == 404
    assert cast.client(who).post("/supervision/chases/new/", {"unit": cast.unit_a.pk}).status_code == 404


def test_the_liaison_replies_and_the_office_closes(cast, chase):
    c = cast.client("liaison_a")
    page = c.get(f"/supervision/chases/{chase.pk}/").text
    assert 'id="reply-form"' in page and 'id="close-form"' not in page and "2026-10-10" in page
    assert c.post(f"/supervision/chases/{chase.pk}/", {"step": "reply", "text": "已补报"}).status_code == 302
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.REPLIED and chase.reply_text == "已补报"
    office = cast.client("office")
    assert 'id="close-form"' in office.get(f"/supervision/chases/{chase.pk}/").text
    office.post(f"/supervision/chases/{chase.pk}/", {"step": "close", "note": "已阅"})
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.CLOSED


def test_the_office_reissues_and_lands_on_the_new_notice(cast, chase):
    r = cast.client("office").post(f"/supervision/chases/{chase.pk}/",
                                   {"step": "reissue", "content": "仍未报送", "workdays": 2})  # fmt: skip
    new = ChaseNotice.objects.get(reissued_from=chase)
    assert r.status_code == 302 and r["Location"] == f"/supervision/chases/{new.pk}/"
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.CLOSED and new.workdays == 2


@pytest.mark.parametrize("who,step", [("leader", "close"), ("head_a", "close"), ("office", "reply")])
def test_a_refused_step_shows_the_reason_and_changes_nothing(cast, chase, who, step):
    r = cast.client(who).post(f"/supervision/chases/{chase.pk}/", {"step": step, "text": "x"}, follow=True)
    assert r.status_code == 200
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.ISSUED


def test_an_unknown_step_is_404(cast, chase):
    assert cast.client("office").post(f"/supervision/chases/{chase.pk}/", {"step": "x"}).status_code == 404


def test_the_desk_shows_open_chase_notices_beside_orders(cast, chase):
    r = cast.client("office").get("/supervision/desk/")
    assert 'id="desk-chases"' in r.text and f'data-chase="{chase.pk}"' in r.text
    chases.close_chase(chase, by=cast.user("office"))
    assert f'data-chase="{chase.pk}"' not in cast.client("office").get("/supervision/desk/").text


def test_the_menu_links_to_chase_notices(cast):
    assert 'href="/supervision/chases/"' in cast.client("liaison_a").get("/supervision/orders/").text
