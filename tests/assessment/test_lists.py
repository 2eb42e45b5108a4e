"""Red and black lists (红黑榜): the pure rule (properties and examples), then publication, access, the page, the
API and the workbook column."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tongtui.assessment import actions
from tongtui.assessment.ledger_db import recompute
from tongtui.assessment.lists import ListMode, ListRule, RedBlack, describe, red_and_black
from tongtui.assessment.models import RankingPublication, Scheme
from tongtui.assessment.ranking import Row, competition_ranks, parse_period
from tongtui.assessment.rules_data import RuleKind
from tongtui.core.errors import Conflict
from tongtui.notify.models import Notification
from tongtui.plans.models import Task
from tongtui.supervision.models import RectificationOrder

D = Decimal


def rows_of(scores: list[Decimal], lost: list[bool] | None = None) -> list[Row]:
    """Ranking rows for units 1..n with these scores; `lost[i]`: unit i+1 has a deduction in the period."""
    lost = lost if lost is not None else [True] * len(scores)
    ranks = competition_ranks({i + 1: s for i, s in enumerate(scores)})
    return [
        Row(
            i + 1,
            s,
            ranks[i + 1],
            by_kind={RuleKind.TASK: s + 1, RuleKind.ADMONITION: D(-1)} if lost[i] else {RuleKind.TASK: s},
        )  # fmt: skip
        for i, s in enumerate(scores)
    ]


def ids(placed) -> list[int]:
    return [p.unit_id for p in placed]


# ---- examples -------------------------------------------------------------------------------------------


def test_top_three_and_bottom_two_by_default():
    lists = red_and_black(rows_of([D(90), D(80), D(70), D(60), D(50), D(40), D(30)]), ListRule())
    assert ids(lists.red) == [1, 2, 3] and ids(lists.black) == [6, 7]
    assert lists.red_edge == 70 and lists.black_edge == 40
    assert [p.rank for p in lists.red] == [1, 2, 3]


def test_a_tie_at_the_edge_takes_every_tied_unit():
    lists = red_and_black(rows_of([D(90), D(80), D(70), D(70), D(60), D(50), D(50), D(50)]), ListRule())
    assert ids(lists.red) == [1, 2, 3, 4]  # 1, 2, 3, 3: both thirds
    assert ids(lists.black) == [6, 7, 8]  # three units share the last place


def test_units_within_the_margin_of_the_edge_are_not_split():
    scores = [D(90), D(80), D("70.0"), D("69.6"), D("69.2"), D(50), D(40), D(30)]
    assert ids(red_and_black(rows_of(scores), ListRule(), D("0.5")).red) == [1, 2, 3, 4, 5]
    assert ids(red_and_black(rows_of(scores), ListRule(), D(0)).red) == [1, 2, 3]


def test_a_unit_on_both_lists_is_on_neither():
    lists = red_and_black(rows_of([D(10), D(9), D(8), D(7)]), ListRule(red_places=3, black_places=2))
    assert ids(lists.red) == [1, 2] and ids(lists.black) == [4] and lists.on_both == (3,)
    level = red_and_black(rows_of([D(10)] * 5), ListRule())
    assert level.red == () and level.black == () and set(level.on_both) == {1, 2, 3, 4, 5}


def test_a_bottom_place_without_a_deduction_is_spared():
    lists = red_and_black(
        rows_of([D(9), D(8), D(7), D(6), D(5)], lost=[True, True, True, True, False]), ListRule()
    )
    assert ids(lists.black) == [4] and lists.spared == (5,)
    strict = red_and_black(rows_of([D(9), D(8), D(7), D(6), D(5)], lost=[False] * 5),
                           ListRule(black_needs_deduction=False))  # fmt: skip
    assert ids(strict.black) == [4, 5]


def test_score_thresholds():
    rule = ListRule(mode=ListMode.SCORE, red_from=D(90), black_below=D(60))
    lists = red_and_black(rows_of([D(95), D("90.00"), D("89.9"), D(60), D("59.5")]), rule, D(1))
    assert ids(lists.red) == [1, 2] and ids(lists.black) == [5]  # a bar is not widened by the margin
    none = red_and_black(rows_of([D(95), D(10)]), ListRule(mode=ListMode.SCORE))
    assert none.red == () and none.black == ()


def test_no_places_no_list_and_an_empty_group():
    assert red_and_black(rows_of([D(3), D(2), D(1)]), ListRule(red_places=0, black_places=0)).red == ()
    empty = red_and_black([], ListRule())
    assert isinstance(empty, RedBlack) and empty.red == () and empty.black == () and empty.size == 0


def test_how_the_lists_were_drawn_is_said_in_words():
    from django.utils import translation

    with translation.override("en"):
        lists = red_and_black(rows_of([D(10), D(9), D(8), D(7)], lost=[True, True, True, False]), ListRule())
        text = " ".join(describe(lists))
    assert "best 3 places" in text and "last 2 places" in text and "0" in text
    assert "on neither" in text and "lost no points" in text


# ---- properties -----------------------------------------------------------------------------------------

scores_st = st.lists(st.decimals(min_value=D(0), max_value=D(20), places=1), min_size=0, max_size=12)
rule_st = st.builds(
    ListRule,
    red_places=st.integers(0, 6),
    black_places=st.integers(0, 6),
    black_needs_deduction=st.booleans(),
)
margins = st.decimals(min_value=D(0), max_value=D(2), places=1)


@given(scores_st, st.lists(st.booleans(), min_size=12, max_size=12), rule_st, margins)
def test_lists_are_fair(scores, lost, rule, margin):
    rows = rows_of(scores, lost[: len(scores)])
    lists = red_and_black(rows, rule, margin)
    by_id = {r.unit_id: r for r in rows}
    red, black = set(ids(lists.red)), set(ids(lists.black))
    assert not red & black
    # every red unit is above every black unit
    if red and black:
        assert min(by_id[u].score for u in red) > max(by_id[u].score for u in black)
    # nobody off a list is tied or level with somebody on it (except units on both, or spared as blameless)
    off_red = set(by_id) - red - set(lists.on_both)
    off_black = set(by_id) - black - set(lists.on_both) - set(lists.spared)
    for u in red:
        assert all(by_id[u].score - by_id[o].score > margin for o in off_red)
    for u in black:
        assert all(by_id[o].score - by_id[u].score > margin for o in off_black)
    # never fewer than asked for, unless a unit was on both lists or spared
    if not lists.on_both:
        assert len(red) >= min(rule.red_places, len(rows))
        if not lists.spared:
            assert len(black) >= min(rule.black_places, len(rows))
    # a black-listed unit lost points, when the rule asks for it
    if rule.black_needs_deduction:
        assert all(by_id[u].by_kind.get(RuleKind.ADMONITION) for u in black)
    # lists come best first, with the ranking's ranks
    assert [p.score for p in lists.red] == sorted((p.score for p in lists.red), reverse=True)
    assert all(p.rank == by_id[p.unit_id].rank for p in (*lists.red, *lists.black))


@given(scores_st, rule_st, margins)
def test_the_lists_do_not_depend_on_the_order_of_the_rows(scores, rule, margin):
    rows = rows_of(scores)
    a = red_and_black(rows, rule, margin)
    b = red_and_black(rows[::-1], rule, margin)
    assert set(ids(a.red)) == set(ids(b.red)) and set(ids(a.black)) == set(ids(b.black))


# ---- with the database ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    from django.conf import settings
    from django.test import Client

    real = Client.__init__

    def init(self, *a, **kw):
        real(self, *a, **kw)
        self.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    monkeypatch.setattr(Client, "__init__", init)


@pytest.fixture
def scored(cast):
    """Departments: 区财政局 15 (lead 10 + co 5), 区发改局 7 (10 − 3 for an order not passed). One place each
    way, so 区财政局 is on the red list and 区发改局 on the black list."""
    Task.objects.filter(plan=cast.plan).update(status="in_progress", assigned_at=timezone.make_aware(
        datetime.datetime(2026, 1, 10, 9)))  # fmt: skip
    RectificationOrder.objects.create(
        plan=cast.plan, unit=cast.unit_a, task=cast.task_a, problem="台账不全", requirement="补齐",
        issued_on=datetime.date(2026, 3, 2), workdays=5, deadline=datetime.date(2026, 3, 9),
        first_deadline=datetime.date(2026, 3, 9), status="not_passed", for_assessment=True,
        verified_at=timezone.make_aware(datetime.datetime(2026, 3, 10, 9)),
    )  # fmt: skip
    actions.ensure_scheme(cast.plan, by=cast.user("office"))
    Scheme.objects.filter(plan=cast.plan).update(red_places=1, black_places=1)
    recompute(cast.plan, as_of=datetime.date(2026, 6, 30))
    return cast


def lists_url(period: str = "2026") -> str:
    return f"/assessment/2026/lists/?period={period}"


def test_the_office_sees_the_lists_before_publishing_and_how_they_were_drawn(scored):
    r = scored.client("office").get(lists_url())
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="lists-draft"' in body and "How these lists were drawn" in body and "best 1 place" in body
    depts = next(rb for rb, _how in r.context["lists"] if rb.size == 2)
    assert ids(depts.red) == [scored.unit_c.pk] and ids(depts.black) == [scored.unit_a.pk]


@pytest.mark.parametrize("who", ["head_a", "liaison_a", "liaison_b"])
def test_unpublished_lists_are_404(scored, who):
    c = scored.client(who)
    assert c.get(lists_url()).status_code == 404
    assert c.get("/api/assessment/lists/?plan=2026").status_code == 404


def test_a_ranking_published_without_lists_keeps_them_hidden_until_the_lists_are_published(scored):
    actions.publish_ranking(scored.plan, "2026", by=scored.user("office"), with_lists=False)
    c = scored.client("head_a")
    ranking = c.get("/assessment/2026/ranking/?period=2026")
    assert ranking.status_code == 200 and "data-place=" not in ranking.content.decode()
    assert c.get(lists_url()).status_code == 404
    assert c.get("/api/assessment/lists/?plan=2026").status_code == 404
    assert c.post("/assessment/2026/lists/publish/?period=2026").status_code == 404  # only the office
    assert scored.client("office").post("/assessment/2026/lists/publish/?period=2026").status_code == 302
    r = c.get(lists_url())
    assert r.status_code == 200 and 'id="lists-draft"' not in r.content.decode()
    assert 'data-place="black"' in c.get("/assessment/2026/ranking/?period=2026").content.decode()
    api = c.get("/api/assessment/lists/?plan=2026").json()
    depts = next(g for g in api["groups"] if g["units_ranked"] == 2)
    assert api["published"] is True and [u["unit"] for u in depts["black"]] == [scored.unit_a.pk]
    assert depts["red"][0]["unit_name"] == "区财政局" and depts["how_drawn"]
    assert c.get(lists_url("2026-Q1")).status_code == 404  # another period stays unpublished


def test_publishing_with_the_ranking_from_the_page(scored):
    c = scored.client("office")
    assert (
        c.post("/assessment/2026/ranking/publish/", {"period": "2026-Q1", "with_lists": "on"}).status_code
        == 302
    )
    assert RankingPublication.objects.get(period="2026-Q1").with_lists
    assert scored.client("head_a").get(lists_url("2026-Q1")).status_code == 200


def test_publishing_the_lists_twice_publishes_once(scored):
    with translation.override("zh-hans"):
        pub = actions.publish_ranking(scored.plan, "2026", by=scored.user("office"), with_lists=False)
    c = scored.client("office")
    for _i in range(2):
        assert c.post("/assessment/2026/lists/publish/?period=2026").status_code == 302
    pub.refresh_from_db()
    assert pub.with_lists and pub.history.count() == 2  # created, then lists published: once
    with pytest.raises(Conflict):
        actions.publish_lists(pub, by=scored.user("office"))
    # unit heads and leaders heard of each step once; liaisons are not told of rankings
    told = sorted(Notification.objects.filter(kind="ranking", recipient=scored.user("head_a")).values_list(
        "title", flat=True))  # fmt: skip
    # (the lists were published from a page in English: the title is in the clicker's language)
    assert told == ["2026年度考核排名已公布", "Red and black lists for year 2026 published"]
    assert Notification.objects.filter(kind="ranking", recipient=scored.user("leader")).count() == 2
    assert not Notification.objects.filter(kind="ranking", recipient=scored.user("liaison_a")).exists()


@pytest.mark.parametrize(
    ("key", "zh"),
    [("2026", "2026年度"), ("2026-H1", "2026年上半年"), ("2026-H2", "2026年下半年"), ("2026-Q2", "2026年第2季度"),
     ("2026-06", "2026年6月")],
)  # fmt: skip
def test_periods_are_named_as_people_write_them(key, zh):
    with translation.override("zh-hans"):
        assert parse_period(key).label == zh


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_publish_the_lists_once(cast):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    pub = actions.publish_ranking(cast.plan, "2026", by=cast.user("office"), with_lists=False)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def click() -> None:
        try:
            barrier.wait()
            actions.publish_lists(RankingPublication.objects.get(pk=pub.pk), by=cast.user("office"))
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert RankingPublication.objects.get(pk=pub.pk).history.count() == 2


def test_the_scheme_page_changes_the_list_rule(scored, django_capture_on_commit_callbacks):
    c = scored.client("office")
    form = c.get("/assessment/2026/scheme/").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "groups"}
    data = {k: v for k, v in data.items() if v is not False}
    data.update(list_mode="score", red_from="", black_below="")
    r = c.post("/assessment/2026/scheme/", {**data, "apply": "1"})
    assert r.status_code == 200 and "give at least one of the two scores" in r.content.decode()
    data.update(red_from="12")
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post("/assessment/2026/scheme/", {**data, "apply": "1"}).status_code == 302
    scheme = Scheme.objects.get(plan=scored.plan)
    assert scheme.list_mode == "score" and scheme.red_from == 12 and scheme.data().lists.red_from == 12


def test_the_next_year_gets_a_copy_of_the_list_rule(scored):
    from tongtui.plans.models import Plan

    Scheme.objects.filter(plan=scored.plan).update(black_needs_deduction=False)
    nxt = Plan.objects.create(year=2027, title="2027")
    copy = actions.copy_scheme(scored.plan, nxt, by=scored.user("office"))
    assert (copy.red_places, copy.black_places, copy.black_needs_deduction) == (1, 1, False)


def test_the_workbook_names_the_lists(scored, tmp_path):
    from django.utils import translation

    out = tmp_path / "scores.xlsx"
    with translation.override("en"):
        call_command("scores", "--plan", "2026", "--period", "2026", "--as-of", "2026-06-30", "-o", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][4] == "Red and black lists"
    by_unit = {r[1]: r for r in rows[1:]}
    assert by_unit["区财政局"][4] == "Red list" and by_unit["区发展和改革局"][4] == "Black list"
    assert by_unit["城关街道办事处"][4] is None  # alone in its group: on both, so on neither


def test_the_api_gives_the_list_rule_and_marks_listed_units_only_once_published(scored):
    scheme = scored.client("head_a").get("/api/assessment/schemes/2026/").json()
    assert scheme["lists"]["mode"] == "rank" and scheme["lists"]["red_places"] == 1
    office = scored.client("office").get("/api/assessment/rankings/?plan=2026").json()
    marks = {row["unit"]: row["on_list"] for g in office["groups"] for row in g["rows"]}
    assert marks[scored.unit_c.pk] == "red" and marks[scored.unit_a.pk] == "black"
    actions.publish_ranking(scored.plan, "2026", by=scored.user("office"), with_lists=False)
    head = scored.client("head_a").get("/api/assessment/rankings/?plan=2026").json()
    assert {row["on_list"] for g in head["groups"] for row in g["rows"]} == {None}


def test_the_lists_for_the_bulletin(scored):
    from tongtui.assessment import tables
    from tongtui.assessment.ranking import parse_period

    lists, units = tables.red_black_lists(scored.plan, parse_period("2026"))
    depts = next(rb for rb in lists if rb.size == 2)
    assert depts.period == "2026" and units[depts.red[0].unit_id].name == "区财政局"
