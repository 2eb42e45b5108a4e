"""A small district on top of the cast: units written several ways, unit groups for collective names, leaders."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from tongtui.orgs.models import Person, Unit, UnitAlias, UnitGroup
from tongtui.plans.importing.apply import read_book
from tongtui.plans.importing.book import Book, Options


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English msgid form, whatever the catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The cast creates five accounts per test; a cheap hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district(cast) -> SimpleNamespace:
    root = cast.district

    def unit(name: str, short: str = "", kind: str = "department", aliases: tuple[str, ...] = ()) -> Unit:
        u = Unit.objects.create(name=name, short_name=short, kind=kind, parent=root)
        for alias in aliases:
            UnitAlias.objects.create(unit=u, name=alias)
        return u

    UnitAlias.objects.create(unit=cast.unit_a, name="区发改委")
    d = SimpleNamespace(cast=cast, fgj=cast.unit_a, czj=cast.unit_c, chengguan=cast.unit_b)
    d.nyj = unit("区农业局")
    d.jrb = unit("区金融工作办公室", "区金融办")
    d.wjj = unit("区卫生健康局", "区卫健局")
    d.cwb = unit("区创建文明城市工作办公室", "区创文办")
    d.rsj = unit("区人力资源和社会保障局", "区人力社保局", aliases=("区人社局",))
    d.swj = unit("区税务局")
    d.kjj = unit("区科技局")
    d.jxj = unit("区经济和信息化局", "区经信局")
    d.zjj = unit("区住房和城乡建设局", "区住建局")
    d.donghu = unit("东湖街道办事处", "东湖街道", kind="subdistrict")
    d.xishan = unit("西山镇人民政府", "西山镇", kind="town")
    d.streets = UnitGroup.objects.create(
        name="各街道", aliases="各街道办事处\n各镇(街道)\n各镇(街道、园区)\n各街办(新区)"
    )
    d.streets.units.set([d.chengguan, d.donghu, d.xishan])
    d.departments = UnitGroup.objects.create(
        name="区直各部门", aliases="区级各部门\n各相关部门\n区级有关部门"
    )
    d.departments.units.set([d.fgj, d.czj, d.rsj])
    d.ye = Person.objects.create(name="叶枝利", title="区长", unit=root)
    d.xu = Person.objects.create(name="徐洪涛", title="常务副区长", unit=root)
    return d


@pytest.fixture
def preview(db):
    """Build the preview of a file's bytes for a plan year (the plan is looked up, not created)."""

    def build(filename: str, data: bytes | str, year: int = 2027, **options) -> Book:
        from tongtui.plans.models import Plan

        raw = data.encode("utf-8") if isinstance(data, str) else data
        plan = Plan.objects.filter(year=year).first()
        return read_book(filename, raw, Options(year=year, **options), plan=plan)

    return build


def row_by_title(book: Book, text: str):
    matches = [r for r in book.rows if text in r.title]
    assert matches, f"no row with {text!r} in {[r.title for r in book.rows]}"
    return matches[0]
