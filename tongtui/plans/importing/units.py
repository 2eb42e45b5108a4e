"""Unit lists as documents write them -> units, unit groups, or names the user must map.

Splitting is pure; `Directory` holds every unit, alias and group, loaded once, and matches in memory.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tongtui.plans.importing.normalize import key, simplify

SEPARATORS = "、,，;；/|\n\r\t"
OPENERS = "(（〈[【〔《"
CLOSERS = ")）〉]】〕》"
LEVELS = "区市县省"

_TRAILING = re.compile(
    r"(?:等(?:[^等]{0,10}?(?:部门|单位))?|按职责分工负责|按职责负责|按职能分工负责|分工负责|分别牵头|牵头|配合|协助|协办|"
    r"参与|负责|共同)$"
)
_UNIT_END = re.compile(
    r"(?:局|委|办|厅|院|会|室|部|中心|街道|街办|镇|乡|政府|公司|集团|队|站|所|处|馆|社|联|团|行|海关|管委会|指挥部|园区|园|"
    r"区|县|市|小组|专班|银行|法院|协会|医院|学校|科协|台办)(?:\([^)]*\))?$"
)
_COLLECTIVE_START = re.compile(
    r"^(?:各|相关|有关|全区|全市|全县|全省|区直|市直|县直|区级|市级|县级|省级|其他|其它)"
)
_COLLECTIVE_END = re.compile(
    r"(?:成员单位|各部门|有关部门|相关部门|相关单位|有关单位|各单位|各专班|各地|主管部门|责任单位|牵头单位)$"
)
_NOT_A_UNIT = re.compile(r"^(?:含|包括|其中|不含|约|共|另|如)|\d")
_SHARED_SUFFIXES = ("人民政府", "政府", "管委会", "党委", "党工委")
_CONJUNCTIONS = re.compile(r"[和及与]")
# A bracket that states the list's convention, not a unit: (列第一位者为工作牵头单位或汇总单位,下同)
_NOTE_BRACKET = re.compile(
    r"\((?:[^()]*?(?:下同|列第一|排名第一|排序第一|排在第一|牵头单位|汇总单位|同责单位)[^()]*)\)$"
)


def split_units(text: str) -> list[str]:
    """Split a unit list on 、,;/| and line breaks, but never inside brackets; drop 等/牵头/配合 tails."""
    return [c for c in (clean_unit(i) for i in split_top(text)) if c]


def split_top(text: str) -> list[str]:
    """Split on the list separators outside brackets, keeping each piece as written."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        if ch in SEPARATORS and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [i.strip() for i in items if i.strip()]


def clean_unit(text: str) -> str:
    text = simplify(text).strip(" \u3000。.:：“”\"'★☆*、,;")
    text = _NOTE_BRACKET.sub("", text).strip(" 。.")
    for _ in range(3):
        stripped = _TRAILING.sub("", text).strip(" 。.")
        if stripped == text or not stripped:
            break
        text = stripped
    return text


def is_collective(name: str) -> bool:
    """各街道, 区直各部门, …等相关部门, 区疫情防控指挥部成员单位: a set of units, not one unit."""
    k = key(name)
    return bool(_COLLECTIVE_START.search(k) or _COLLECTIVE_END.search(k))


def looks_like_unit(name: str) -> bool:
    k = key(name)
    if len(k) < 2 or _NOT_A_UNIT.search(k):
        return False
    return bool(_UNIT_END.search(k)) or is_collective(k)


def guess_kind(name: str) -> str:
    """The Unit.kind a new unit most likely has, from how its name ends."""
    k = key(name)
    if re.search(r"(?:街道|街道办事处|街办)$", k):
        return "subdistrict"
    if re.search(r"(?:镇|乡)(?:人民政府|政府)?$", k):
        return "town"
    if re.search(r"(?:公司|集团)$", k):
        return "company"
    if re.search(r"(?:园区|开发区|管委会|园)$", k):
        return "park"
    return "department"


def _level(k: str) -> tuple[str, str]:
    """("区", "发改局") for 区发改局; ("", k) when the name has no level prefix."""
    if len(k) > 2 and k[0] in LEVELS:
        return k[0], k[1:]
    return "", k


@dataclass(frozen=True)
class UnitHit:
    """One name from a unit list and what it resolved to.

    kind: unit (one unit), group (a unit group, with its member units), new (a unit to create), newgroup (a
    unit group to create, empty until the office fills it), skip (the user chose to leave it out), unknown
    (no unit found), collective (a collective name that matches no unit group).
    """

    written: str
    kind: str
    unit_ids: tuple[int, ...] = ()
    label: str = ""
    group_id: int | None = None

    @property
    def key(self) -> str:
        return key(self.written)

    @property
    def resolved(self) -> bool:
        return self.kind in ("unit", "group", "new", "newgroup", "skip")

    @property
    def is_group(self) -> bool:
        return self.kind in ("group", "newgroup")


@dataclass
class Directory:
    """Every unit, alias and unit group, for matching names in memory."""

    names: dict[int, str] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)  # short name, else name
    by_key: dict[str, set[int]] = field(default_factory=dict)
    by_bare: dict[str, set[tuple[int, str]]] = field(default_factory=dict)
    groups: dict[str, tuple[int, str, tuple[int, ...]]] = field(default_factory=dict)
    by_group: dict[int, tuple[int, str, tuple[int, ...]]] = field(default_factory=dict)
    longest: int = 0  # the longest name key, so that cutting run-together names tries no longer pieces
    inactive: set[str] = field(
        default_factory=set
    )  # names of units no longer active: not to be created again
    root: int | None = None  # the district (the unit its leaders' posts belong to)

    def add_unit(self, unit_id: int, name: str, *others: str, short: str = "") -> None:
        self.names[unit_id] = name
        self.labels[unit_id] = short or name
        for n in (name, short, *others):
            k = key(n)
            if not k:
                continue
            self.longest = max(self.longest, len(k))
            self.by_key.setdefault(k, set()).add(unit_id)
            level, bare = _level(k)
            self.by_bare.setdefault(bare, set()).add((unit_id, level))

    def add_group(self, group_id: int, names: Iterable[str], unit_ids: Iterable[int]) -> None:
        names = list(names)
        members = tuple(sorted(unit_ids))
        self.by_group[group_id] = (group_id, names[0], members)
        for n in names:
            self.groups.setdefault(key(n), self.by_group[group_id])
            self.longest = max(self.longest, len(key(n)))

    @classmethod
    def from_db(cls) -> "Directory":
        from tongtui.orgs.models import Unit, UnitAlias, UnitGroup

        directory = cls()
        aliases: dict[int, list[str]] = {}
        for unit_id, alias in UnitAlias.objects.values_list("unit_id", "name"):
            aliases.setdefault(unit_id, []).append(alias)
        units = Unit.objects.order_by("pk").values_list(
            "pk", "name", "short_name", "is_active", "parent_id", "kind"
        )
        for unit_id, name, short, active, parent_id, kind in units:
            if active and directory.root is None and parent_id is None and kind == "district":
                directory.root = unit_id
            if active:
                directory.add_unit(unit_id, name, *aliases.get(unit_id, []), short=short)
            else:
                directory.inactive.add(key(name))
        members: dict[int, list[int]] = {}
        for group_id, unit_id in UnitGroup.units.through.objects.values_list("unitgroup_id", "unit_id"):
            members.setdefault(group_id, []).append(unit_id)
        for group in UnitGroup.objects.all():
            directory.add_group(group.pk, group.all_names(), members.get(group.pk, []))
        return directory

    # -- matching -------------------------------------------------------------------------------

    def lookup(self, name: str, context_level: str = "") -> int | None:
        """The one unit this name stands for, by name, short name or alias, with or without 区/市/县."""
        return self._lookup_key(key(name), context_level)

    def _lookup_key(self, k: str, context_level: str) -> int | None:
        exact = self.by_key.get(k)
        if exact and len(exact) == 1:
            return next(iter(exact))
        level, bare = _level(k)
        candidates = {u for u, lv in self.by_bare.get(bare, ()) if not level or not lv or lv == level}
        if len(candidates) > 1 and not level and context_level:
            candidates = {u for u, lv in self.by_bare.get(bare, ()) if lv == context_level}
        if len(candidates) == 1:
            return next(iter(candidates))
        return None

    def _single(self, name: str, context_level: str) -> UnitHit | None:
        return self._single_key(key(name), context_level, name)

    def _single_key(self, k: str, context_level: str, name: str) -> UnitHit | None:
        group = self.groups.get(k)
        if group:
            return UnitHit(name, "group", group[2], group[1], group_id=group[0])
        unit_id = self._lookup_key(k, context_level)
        if unit_id is not None:
            return UnitHit(name, "unit", (unit_id,), self.names[unit_id])
        return None

    def _segment(self, name: str, context_level: str) -> list[UnitHit] | None:
        """Names run together without a separator (五星街道南大街街道荷花池街道): cover them with known names."""
        k = key(name)
        n = len(k)
        longest = max(self.longest, 2)
        if n < 4 or n > 80 or not (self.by_key or self.groups):
            return None
        best: list[list[UnitHit] | None] = [None] * (n + 1)
        best[0] = []
        for i in range(n):
            if best[i] is None:
                continue
            for j in range(i + 2, min(n, i + longest) + 1):
                hit = self._single_key(k[i:j], context_level, k[i:j])
                if hit is not None:
                    path = best[i] + [hit]  # type: ignore[operator]
                    if best[j] is None or len(path) < len(best[j]):  # type: ignore[arg-type]
                        best[j] = path
        result = best[n]
        return result if result and len(result) > 1 else None

    def resolve(
        self,
        name: str,
        mapping: Mapping[str, str] | None = None,
        context_level: str = "",
        create: bool = False,
    ) -> list[UnitHit]:
        """What one written name stands for. Usually one hit; several when names ran together."""
        k = key(name)
        choice = (mapping or {}).get(k)
        if choice:
            chosen = self.chosen(name, choice)
            if chosen is not None:
                return [chosen]
        hit = self._single(name, context_level)
        if hit is not None:
            return [hit]
        if is_collective(k):
            return [UnitHit(name, "newgroup" if create else "collective", (), name)]
        parts = [p for p in _CONJUNCTIONS.split(k) if p]
        if len(parts) > 1 and all(_UNIT_END.search(p) for p in parts):
            hits = [h for p in parts for h in self.resolve(p, mapping, context_level, create)]
            if all(h.resolved for h in hits) or not self.lookup(k):
                return hits
        segmented = self._segment(k, context_level)
        if segmented:
            return segmented
        return [UnitHit(name, "new" if create else "unknown", (), name)]

    def add_group_name(self, name: str, group_id: int) -> None:
        """Another name that stands for a group: one the plan's tasks already write for it (CoGroup.written),
        so that a ledger exported and imported back finds the same group."""
        k = key(name)
        group = self.group_by_id(group_id)
        if group is not None and k and k not in self.groups and k not in self.by_key:
            self.groups[k] = group
            self.longest = max(self.longest, len(k))

    def group_by_id(self, group_id: int) -> tuple[int, str, tuple[int, ...]] | None:
        return self.by_group.get(group_id)

    def chosen(self, name: str, choice: str) -> UnitHit | None:
        """What the office chose for a name: create, skip, unit:<id> or group:<id>."""
        if choice == "create":
            return UnitHit(name, "newgroup" if is_collective(name) else "new", (), name)
        if choice == "skip":
            return UnitHit(name, "skip", (), name)
        kind, _sep, pk = choice.partition(":")
        if not pk.isdigit():
            return None
        if kind == "unit" and int(pk) in self.names:
            return UnitHit(name, "unit", (int(pk),), self.names[int(pk)])
        group = self.group_by_id(int(pk)) if kind == "group" else None
        if group is not None:
            return UnitHit(name, "group", group[2], group[1], group_id=group[0])
        return None

    def resolve_list(
        self, names: list[str], mapping: Mapping[str, str] | None = None, create: bool = False
    ) -> list[UnitHit]:
        """Resolve a split list; a shared prefix (区发改局、农业局) or suffix (黄埔区、南沙区政府) helps."""
        context_level = next((_level(key(n))[0] for n in names if _level(key(n))[0]), "")
        hits: list[UnitHit] = []
        for i, name in enumerate(names):
            resolved = self.resolve(name, mapping, context_level, create=False)
            if len(resolved) == 1 and resolved[0].kind == "unknown":
                better = self._shared_suffix(name, names[i + 1 :], context_level)
                if better is not None:
                    resolved = [better]
            if create:
                resolved = [_created(h) for h in resolved]
            hits.extend(resolved)
        return hits

    def _shared_suffix(self, name: str, following: list[str], context_level: str) -> UnitHit | None:
        k = key(name)
        for nxt in following[:3]:
            nk = key(nxt)
            for suffix in _SHARED_SUFFIXES:
                if nk.endswith(suffix) and not k.endswith(suffix):
                    hit = self._single(k + suffix, context_level)
                    if hit is not None:
                        return UnitHit(name, hit.kind, hit.unit_ids, hit.label, group_id=hit.group_id)
        return None


def _created(hit: UnitHit) -> UnitHit:
    """An unknown name becomes a unit to create, a collective one a unit group to create."""
    if hit.kind == "unknown":
        return UnitHit(hit.written, "new", (), hit.written)
    if hit.kind == "collective":
        return UnitHit(hit.written, "newgroup", (), hit.written)
    return hit
