"""The demo district's organisation: units, unit groups, leaders, office staff, unit heads and liaisons."""

import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from tongtui.core.history import save_with_history
from tongtui.orgs import actions
from tongtui.orgs.models import Person, Role, Unit, UnitAlias, UnitGroup, UnitKind

DISTRICT = "示范区人民政府"

# (full name, short name, kind, aliases)
UNITS: list[tuple[str, str, str, tuple[str, ...]]] = [
    (DISTRICT, "区政府", UnitKind.DISTRICT, ("示范区政府",)),
    ("区委区政府督查室", "区督查室", UnitKind.OFFICE, ("区委督查室", "区政府督查室", "督查室")),
    ("区人民政府办公室", "区政府办", UnitKind.DEPARTMENT, ("政府办",)),
    (
        "区发展和改革局",
        "区发改局",
        UnitKind.DEPARTMENT,
        ("发改局", "区发改委", "区发展改革局", "区发展改革委"),
    ),
    ("区工业和信息化局", "区工信局", UnitKind.DEPARTMENT, ("工信局", "区经信局")),
    ("区科学技术局", "区科技局", UnitKind.DEPARTMENT, ("科技局",)),
    ("区财政局", "区财政局", UnitKind.DEPARTMENT, ("财政局",)),
    ("区统计局", "区统计局", UnitKind.DEPARTMENT, ("统计局",)),
    ("区自然资源局", "区自然资源局", UnitKind.DEPARTMENT, ("自然资源局", "区自然资源分局")),
    (
        "市生态环境局示范区分局",
        "区生态环境分局",
        UnitKind.DEPARTMENT,
        ("生态环境分局", "区生态环境局", "区环保局"),
    ),
    ("区住房和城乡建设局", "区住建局", UnitKind.DEPARTMENT, ("住建局", "区住房城乡建设局")),
    ("区交通运输局", "区交通局", UnitKind.DEPARTMENT, ("交通局", "区交通运输局")),
    ("区农业农村局", "区农业农村局", UnitKind.DEPARTMENT, ("农业农村局", "区农业局")),
    ("区水利局", "区水利局", UnitKind.DEPARTMENT, ("水利局", "区水务局")),
    ("区商务局", "区商务局", UnitKind.DEPARTMENT, ("商务局",)),
    ("区文化旅游局", "区文旅局", UnitKind.DEPARTMENT, ("文旅局", "区文化和旅游局")),
    ("区卫生健康局", "区卫健局", UnitKind.DEPARTMENT, ("卫健局", "区卫生健康委")),
    ("区教育局", "区教育局", UnitKind.DEPARTMENT, ("教育局",)),
    ("区人力资源和社会保障局", "区人社局", UnitKind.DEPARTMENT, ("人社局", "区人力社保局")),
    ("区民政局", "区民政局", UnitKind.DEPARTMENT, ("民政局",)),
    ("区应急管理局", "区应急局", UnitKind.DEPARTMENT, ("应急局", "区应急管理局")),
    ("区市场监督管理局", "区市场监管局", UnitKind.DEPARTMENT, ("市场监管局",)),
    ("区营商环境建设局", "区营商局", UnitKind.DEPARTMENT, ("营商局", "区营商环境局")),
    ("区城市管理综合行政执法局", "区城管局", UnitKind.DEPARTMENT, ("城管局", "区城管执法局")),
    ("城关街道办事处", "城关街道", UnitKind.SUBDISTRICT, ("城关街道办",)),
    ("新华街道办事处", "新华街道", UnitKind.SUBDISTRICT, ("新华街道办",)),
    ("东湖镇人民政府", "东湖镇", UnitKind.TOWN, ("东湖镇政府",)),
    ("柳河镇人民政府", "柳河镇", UnitKind.TOWN, ("柳河镇政府",)),
    ("石桥镇人民政府", "石桥镇", UnitKind.TOWN, ("石桥镇政府",)),
    (
        "示范区经济开发区管理委员会",
        "经开区管委会",
        UnitKind.PARK,
        ("经开区", "开发区管委会", "经济开发区管委会"),
    ),
    ("示范区城市建设投资集团有限公司", "区城投集团", UnitKind.COMPANY, ("城投集团", "区城投公司")),
]

TOWN_KINDS = (UnitKind.TOWN, UnitKind.SUBDISTRICT)

# (group name, aliases, which unit kinds belong)
GROUPS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("各镇街", ("各街道", "各镇(街道)", "各乡镇", "各镇街道", "各镇、街道"), TOWN_KINDS),
    ("区直各部门", ("区直各单位", "区级各部门", "区直有关部门"), (UnitKind.DEPARTMENT,)),
    ("各相关部门", ("相关部门", "有关部门", "区级有关部门", "各有关部门"), (UnitKind.DEPARTMENT,)),
]

# key, name, title; the key names the categories a leader is in charge of in tasks.py
LEADERS: list[tuple[str, str, str]] = [
    ("mayor", "陈志远", "区长"),
    ("economy", "王海涛", "常务副区长"),
    ("rural", "张卫东", "副区长"),
    ("ecology", "赵明辉", "副区长"),
    ("welfare", "李春梅", "副区长"),
    ("projects", "孙立新", "副区长"),
]

OFFICE_STAFF: list[tuple[str, str]] = [
    ("吴晓峰", "督查室主任"),
    ("周敏", "督查室副主任"),
    ("郑思远", "督查室科员"),
]

# The handful of people who can log in to the demo: username, role label, who.
LOGINS: list[tuple[str, str, str]] = [
    ("office", "supervision office", "office:周敏"),
    ("leader", "leader", "leader:economy"),
    ("head", "unit head", "head:区发改局"),
    ("liaison", "liaison", "liaison:区发改局"),
    ("town", "town liaison", "liaison:东湖镇"),
]

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = (
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 涛 明 超 秀英 霞 平 刚 桂英 建华 建国 志强 海燕 晓东 春雨 立新 红梅 "
    "文博 子涵 振华 国庆 玉兰 德胜 宏伟 雪梅 少军 永刚 晓丽 卫国 凤英 俊杰 思远 雅琴 宇航 东升 慧敏 长青 "
    "瑞霞 金龙 学军 亚楠 海波 丽华 立军 秋菊 继东 爱民 建军 晓燕 志刚 淑珍 光辉 晨阳 佳慧 家豪 婉婷"
).split()


@dataclass
class Org:
    units: dict[str, Unit] = field(default_factory=dict)  # by short name
    leaders: dict[str, Person] = field(default_factory=dict)  # by key
    heads: dict[str, Person] = field(default_factory=dict)  # by unit short name
    liaisons: dict[str, Person] = field(default_factory=dict)
    deputies: dict[str, list[Person]] = field(default_factory=dict)
    office: list[Person] = field(default_factory=list)
    logins: list[tuple[str, str, str, Person]] = field(
        default_factory=list
    )  # username, password, role, person

    def unit(self, name: str) -> Unit:
        return self.units[name]

    def towns(self) -> list[Unit]:
        return [u for u in self.units.values() if u.kind in TOWN_KINDS]


def titles_for(kind: str, short_name: str) -> tuple[str, str, str]:
    """(head, deputy, liaison) titles in a unit of this kind."""
    if kind == UnitKind.TOWN:
        return "镇长", "副镇长", "党政办主任"
    if kind == UnitKind.SUBDISTRICT:
        return "主任", "副主任", "党政办主任"
    if kind == UnitKind.PARK:
        return "主任", "副主任", "综合办主任"
    if kind == UnitKind.COMPANY:
        return "董事长", "副总经理", "综合部部长"
    if short_name.endswith("办"):
        return "主任", "副主任", "秘书科科长"
    return "局长", "副局长", "办公室主任"


class NameBook:
    """Distinct, reproducible Chinese names."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng, self.taken = rng, set(taken)

    def next(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if name not in self.taken:
                self.taken.add(name)
                return name


def build_org(*, by: Any, seed: int) -> Org:
    """Create what is missing of the organisation (idempotent) and return it."""
    org = Org()
    users = _login_users()
    district = _unit(DISTRICT, "区政府", UnitKind.DISTRICT, (), None, 0, by)
    for order, (name, short, kind, aliases) in enumerate(UNITS):
        parent = None if name == DISTRICT else district
        org.units[short] = _unit(name, short, kind, aliases, parent, order, by)
    for name, aliases, kinds in GROUPS:
        if not UnitGroup.objects.filter(name=name).exists():
            members = [u for u in org.units.values() if u.kind in kinds]
            actions.create_group(by=by, name=name, units=members, aliases=list(aliases))

    names = NameBook(random.Random(seed), {n for _k, n, _t in LEADERS} | {n for n, _t in OFFICE_STAFF})
    for key, name, title in LEADERS:
        org.leaders[key] = _person(name, title, district, Role.LEADER, by, users.get(f"leader:{key}"))
    office_unit = org.units["区督查室"]
    org.office = [
        _person(name, title, office_unit, Role.OFFICE, by, users.get(f"office:{name}"))
        for name, title in OFFICE_STAFF
    ]
    for short, unit in org.units.items():
        if unit.kind in (UnitKind.DISTRICT, UnitKind.OFFICE):
            continue
        head_title, deputy_title, liaison_title = titles_for(unit.kind, short)
        org.heads[short] = _person(
            names.next(), head_title, unit, Role.UNIT_HEAD, by, users.get(f"head:{short}")
        )
        org.liaisons[short] = _person(
            names.next(), liaison_title, unit, Role.LIAISON, by, users.get(f"liaison:{short}")
        )
        org.deputies[short] = [_person(names.next(), deputy_title, unit, None, by, None) for _ in range(2)]
    for username, role, who in LOGINS:
        person = Person.objects.get(user=users[who])
        if users[who].first_name != person.name:
            users[who].first_name = person.name
            users[who].save(update_fields=["first_name"])
        org.logins.append((username, f"tongtui-{username}", role, person))
    return org


def _unit(
    name: str, short: str, kind: str, aliases: tuple[str, ...], parent: Unit | None, order: int, by: Any
) -> Unit:
    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        unit = actions.create_unit(by=by, name=name, short_name=short, kind=kind, parent=parent, order=order)
    known = set(UnitAlias.objects.filter(name__in=aliases).values_list("name", flat=True))
    for alias in aliases:
        if alias not in known:
            actions.add_alias(unit, alias, by=by)
    return unit


def _person(name: str, title: str, unit: Unit, role: str | None, by: Any, user: Any) -> Person:
    person = Person.objects.filter(name=name, unit=unit).first()
    if person is None:
        if user is not None:
            _release(user, by)
        person = actions.create_person(by=by, name=name, title=title, unit=unit, user=user)
    elif user is not None and person.user_id != user.pk:
        _release(user, by)
        person.user = user
        save_with_history(person, by=by, reason="demo login")
    if role:
        actions.grant_role(person, unit, role, by=by)
    return person


def _release(user: Any, by: Any) -> None:
    """A login belongs to one person: detach it from whoever held it before."""
    for other in Person.objects.filter(user=user):
        other.user = None
        save_with_history(other, by=by, reason="demo login moved")


def _login_users() -> dict[str, Any]:
    """The demo logins, with a known password (reset on every run), by the person they belong to."""
    User = get_user_model()
    users = {}
    for username, _role, who in LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username)
        user.set_password(f"tongtui-{username}")
        user.is_active = True
        user.save()
        users[who] = user
    return users
