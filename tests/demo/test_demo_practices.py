"""The demo's practices and public page: eight tasks public with the office's texts, six practices in every
state; and the public pages of the whole demo district name nobody of its 100-odd people."""

from django.test import Client

from tongtui.assessment.models import ManualEntry
from tongtui.orgs.models import Person
from tongtui.plans.models import Task
from tongtui.publicity.models import Practice, PublicEntry


def test_eight_tasks_are_on_the_public_page_with_texts(built, db):
    keys = list(PublicEntry.objects.filter(task__is_public=True).values_list("key", flat=True))
    assert len(keys) == 8 and keys[0] == "2026-1"
    categories = set(PublicEntry.objects.values_list("task__category__name", flat=True))
    assert "民生保障" in categories and not categories & {"产业转型升级", "营商环境"}  # 民生实事, not GDP


def test_six_practices_four_published_with_their_bonuses(built, db):
    states = sorted(Practice.objects.values_list("status", flat=True))
    assert states == ["published"] * 4 + ["returned", "submitted"]
    assert all(p.photos.count() == 1 for p in Practice.objects.all())
    bonus_ids = Practice.objects.filter(bonus__isnull=False).values_list("bonus", flat=True)
    bonuses = ManualEntry.objects.filter(pk__in=bonus_ids, kind__in=["practice", "innovation"], withdrawn=False)
    assert bonuses.count() == 4  # one per published practice (the office's other bonuses: demo/assessment)


def test_the_demo_public_pages_name_nobody_and_quote_no_report(built, db):
    c = Client()
    pages = [c.get("/public/").content.decode()]
    pages += [c.get(f"/public/{k}/").content.decode() for k in PublicEntry.objects.values_list("key", flat=True)]
    pages.append(c.get("/api/public/tasks/").content.decode())
    names = set(Person.objects.values_list("name", flat=True))
    names |= {t for row in Task.objects.values_list("leader_text", "owner_text") for t in row if t}
    notes = [n for n in Task.objects.filter(is_public=True).values_list("progress_note", flat=True) if n]
    assert len(names) > 100 and notes
    for page in pages:
        assert not [n for n in names if n in page]
        assert not [n for n in notes if n[:20] in page]
