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
_ORG_END = re.compile(r"(?:省|市|区|县|委|府|镇|乡|街道|政府|党组)$")
_NAME = re.compile(r"^(?:[\u4e00-\u9fff·]{2,5}|[A-Za-z][A-Za-z .'-]{1,40})$")
_SEPARATORS = re.compile(r"[、,，;；/|\n\r]+")


@dataclass(frozen=True)
class PersonHit:
    """A name from a leader or person cell. kind: person (found), new (to be created), post (a post, no name)."""

    written: str
    kind: str
    person_id: int | None = None
    name: str = ""
    title: str = ""


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
    """Every person by name and by title, for matching in memory."""

    by_name: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    by_title: dict[str, list[int]] = field(default_factory=dict)

    def add(self, person_id: int, name: str, title: str = "") -> None:
        self.by_name.setdefault(key(name), []).append((person_id, key(title)))
        if title:
            self.by_title.setdefault(key(title), []).append(person_id)

    @classmethod
    def from_db(cls) -> "People":
        from tongtui.orgs.models import Person

        people = cls()
        for pk, name, title in Person.objects.order_by("pk").values_list("pk", "name", "title"):
            people.add(pk, name, title)
        return people

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
