"""Leader and person cells -> people: 刘 哲, 叶枝利区长, 区长陈兴立, 常务副区长, 陈仲朝、陈炳荣."""

import re
from dataclasses import dataclass, field

from tongtui.plans.importing.normalize import key, simplify

TITLES = sorted(
    {
        "常务副区长",
        "常务副市长",
        "常务副县长",
        "常务副省长",
        "副区长",
        "副市长",
        "副县长",
        "副省长",
        "区长",
        "市长",
        "县长",
        "省长",
        "镇长",
        "乡长",
        "区委书记",
        "市委书记",
        "县委书记",
        "党工委书记",
        "党委书记",
        "副书记",
        "书记",
        "区政府党组成员",
        "市政府党组成员",
        "县政府党组成员",
        "党组成员",
        "协管副秘书长",
        "副秘书长",
        "秘书长",
        "分管副省长",
        "分管副市长",
        "分管副区长",
        "分管副县长",
        "分管领导同志",
        "分管领导",
        "领导同志",
        "同志",
        "副主任",
        "主任",
        "副局长",
        "局长",
        "副部长",
        "部长",
        "区委常委",
        "市委常委",
        "县委常委",
        "常委",
        "副主席",
        "主席",
        "调研员",
        "巡视员",
        "总经理",
        "董事长",
        "副组长",
        "组长",
        "副处长",
        "处长",
        "副科长",
        "科长",
        "工委书记",
        "管委会主任",
        "政协主席",
        "人大常委会主任",
    },
    key=len,
    reverse=True,
)
_TITLE_RE = re.compile("|".join(re.escape(t) for t in TITLES))
_BRACKET = re.compile(r"[((]([^()()]*)[))]")
# A chunk beside a title that names a body or a role, not a person: 区发改局局长, 区政府常务副区长助理.
_ORG_END = re.compile(
    r"(?:省|市|区|县|委|府|镇|乡|街道|政府|党组|局|办|厅|院|处|室|中心|站|队|部|公司|集团|助理|秘书|干部|代表|成员|人员)$"
)
_NAME = re.compile(r"^(?:[\u4e00-\u9fff·]{2,5}|[A-Za-z][A-Za-z .'-]{1,40})$")
_SEPARATORS = re.compile(r"[、,，;；/|\n\r]+")


# Posts that name the head of whichever unit they follow (区应急管理局负责人, 各镇街主要负责人).
HEAD_TITLES = ("主要负责人", "负责人", "主要领导", "一把手", "主要负责同志", "负责同志")
POST_TITLES = sorted(
    set(TITLES)
    | set(HEAD_TITLES)
    | {
        "分管负责人",
        "分管负责同志",
        "分管局长",
        "分管副局长",
        "分管副主任",
        "党组书记",
        "站长",
        "所长",
        "院长",
        "校长",
        "行长",
        "关长",
        "馆长",
        "社长",
        "队长",
        "大队长",
        "指挥长",
        "总指挥",
        "副总经理",
        "经理",
        "团长",
        "会长",
        "理事长",
    },
    key=len,
    reverse=True,
)
_POST_RE = re.compile("(" + "|".join(re.escape(t) for t in POST_TITLES) + r")(?:同志)?$")
_RELATIVE = re.compile(r"^(?:分管|协管|联系|包抓|挂钩)")  # the leader in charge of *this* task: no one post


@dataclass(frozen=True)
class PersonHit:
    """A name from a leader or person cell.

    kind: person (found), new (to be created), post (a unit's post, filled or not: the post of that title in
    unit_id, or in the unit the import creates under unit_key), text (kept as written: a collective or
    relative post such as 各镇街主要负责人 or 分管副区长).
    """

    written: str
    kind: str
    person_id: int | None = None
    name: str = ""
    title: str = ""
    unit_id: int | None = None
    unit_key: str = ""
    post_id: int | None = None
    label: str = ""  # a post as the ledger writes it: the unit's short name and the title (区应急局负责人)

    @property
    def is_named(self) -> bool:
        return self.kind in ("person", "new")


def split_post(piece: str) -> tuple[str, str] | None:
    """("区应急管理局", "负责人") for 区应急管理局负责人, ("", "局长") for 局长; None when no post title ends it."""
    k = key(piece)
    m = _POST_RE.search(k)
    if m is None:
        return None
    return k[: m.start()], m.group(1)


def is_relative(title: str) -> bool:
    return bool(_RELATIVE.search(title))


def split_people(text: str) -> list[str]:
    pieces: list[str] = []
    for piece in _SEPARATORS.split(simplify(text)):
        piece = piece.strip(" \u3000。.:：")
        if not piece:
            continue
        words = piece.split()
        if len(words) > 1 and len("".join(words)) > 4 and all(len(w) >= 2 for w in words):
            pieces.extend(words)  # 成坤 柯相国: several names; 刘 哲: one padded name
        else:
            pieces.append("".join(words))
    return pieces


def name_and_title(piece: str) -> tuple[str, str]:
    """("叶枝利", "区长") for 叶枝利区长 or 区长叶枝利; ("", "常务副区长") for a post without a name."""
    piece = key(piece)
    bracketed = [m.group(1) for m in _BRACKET.finditer(piece)]
    piece = _BRACKET.sub("", piece)
    titles = _TITLE_RE.findall(piece)
    chunks = _TITLE_RE.split(piece)
    title = titles[-1] if titles else (bracketed[0] if bracketed else "")
    if not titles:
        return (piece if _NAME.match(piece) else ""), title
    after, before = chunks[-1], chunks[0]
    for chunk in (after, before, *chunks[1:-1]):
        if _NAME.match(chunk) and not _ORG_END.search(chunk):
            return chunk, title
    return "", piece


@dataclass
class People:
    """Every person by name, by title and by unit and title; unit heads; posts. For matching in memory."""

    by_name: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    by_title: dict[str, list[int]] = field(default_factory=dict)
    by_unit_title: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    heads: dict[int, list[int]] = field(default_factory=dict)  # unit -> its unit_head members
    posts: dict[tuple[int, str], tuple[int, int | None]] = field(default_factory=dict)  # -> (post, holder)
    names: dict[int, str] = field(default_factory=dict)

    def add(self, person_id: int, name: str, title: str = "", unit_id: int | None = None) -> None:
        self.names[person_id] = name
        self.by_name.setdefault(key(name), []).append((person_id, key(title)))
        if title:
            self.by_title.setdefault(key(title), []).append(person_id)
            if unit_id is not None:
                self.by_unit_title.setdefault((unit_id, key(title)), []).append(person_id)

    def add_post(self, post_id: int, unit_id: int, title: str, holder_id: int | None) -> None:
        self.posts[(unit_id, key(title))] = (post_id, holder_id)

    @classmethod
    def from_db(cls) -> "People":
        from tongtui.orgs.models import Membership, Person, Post, Role

        people = cls()
        for pk, name, title, unit_id in Person.objects.order_by("pk").values_list(
            "pk", "name", "title", "unit_id"
        ):
            people.add(pk, name, title, unit_id)
        heads = (
            Membership.objects.filter(role=Role.UNIT_HEAD).order_by("pk").values_list("unit_id", "person_id")
        )
        for unit_id, person_id in heads:
            people.heads.setdefault(unit_id, []).append(person_id)
        for pk, unit_id, title, holder_id in Post.objects.values_list("pk", "unit_id", "title", "holder_id"):
            people.add_post(pk, unit_id, title, holder_id)
        return people

    def in_post(self, unit_id: int, title: str) -> PersonHit | None:
        """Who holds the post in the unit, when that is known: the holder the office recorded on the post (a
        recorded post with nobody in it stays unfilled), else the one person of the unit with that title, or
        its one unit head for 主要负责人/负责人."""
        t = key(title)
        post = self.posts.get((unit_id, t))
        if post is not None:
            if post[1] is None:
                return None
            return PersonHit(title, "person", post[1], title=title, unit_id=unit_id, post_id=post[0])
        found = self.by_unit_title.get((unit_id, t), [])
        if len(found) == 1:
            return PersonHit(title, "person", found[0], title=title, unit_id=unit_id)
        if t in HEAD_TITLES and len(self.heads.get(unit_id, [])) == 1:
            return PersonHit(title, "person", self.heads[unit_id][0], title=title, unit_id=unit_id)
        return None

    def post(self, written: str, unit_id: int, title: str) -> PersonHit:
        """The unit's post of that title: its holder when known, else the post itself (recorded or to record)."""
        held = self.in_post(unit_id, title)
        if held is not None:
            name = self.names.get(held.person_id or 0, "")
            return PersonHit(
                written, "person", held.person_id, name, title, unit_id=unit_id, post_id=held.post_id
            )
        post = self.posts.get((unit_id, key(title)))
        return PersonHit(written, "post", title=title, unit_id=unit_id, post_id=post[0] if post else None)

    def resolve_name(self, piece: str) -> PersonHit | None:
        """A piece that names someone (叶枝利区长, 刘 哲): the person found, or one to create; None for a post."""
        whole = _BRACKET.sub("", key(piece))
        pk = self._by_name(whole, "")
        if pk is not None:
            return PersonHit(piece, "person", pk, whole)
        name, title = name_and_title(piece)
        if not name or _POST_RE.fullmatch(key(name)):  # 主要负责人 is a post, not somebody's name
            return None
        pk = self._by_name(name, title)
        if pk is not None:
            return PersonHit(piece, "person", pk, name, title)
        return PersonHit(piece, "new", None, name, title)

    def _by_name(self, name: str, title: str) -> int | None:
        found = self.by_name.get(key(name))
        if not found:
            return None
        for pk, t in found:
            if title and t == key(title):
                return pk
        return found[0][0]

    def resolve_one(self, piece: str) -> PersonHit:
        whole = _BRACKET.sub("", key(piece))
        pk = self._by_name(whole, "")
        if pk is not None:
            return PersonHit(piece, "person", pk, whole)
        name, title = name_and_title(piece)
        if name:
            pk = self._by_name(name, title)
            if pk is not None:
                return PersonHit(piece, "person", pk, name, title)
            return PersonHit(piece, "new", None, name, title)
        holders = self.by_title.get(key(title), [])
        if len(holders) == 1:
            return PersonHit(piece, "person", holders[0], "", title)
        return PersonHit(piece, "post", None, "", title)

    def resolve(self, text: str) -> list[PersonHit]:
        return [self.resolve_one(p) for p in split_people(text)]
