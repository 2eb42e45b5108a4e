"""Who a row names: its lead unit (or the lead as written), co-units and unit groups, the responsible leader
and person (a person, a unit's post, or the cell as written). A part of the Resolver (resolve.py)."""

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from tongtui.plans.importing.book import Row, Unknown
from tongtui.plans.importing.labels import has_duty_marks, parse_duty
from tongtui.plans.importing.normalize import key, squash
from tongtui.plans.importing.people import PersonHit, is_relative, split_people, split_post
from tongtui.plans.importing.units import UnitHit, clean_unit, split_units

if TYPE_CHECKING:
    from tongtui.plans.importing.book import Book, Options
    from tongtui.plans.importing.existing import Existing
    from tongtui.plans.importing.people import People
    from tongtui.plans.importing.units import Directory


class Assignees:
    """The Resolver's methods for units and people; the Resolver holds the state and the messages."""

    book: "Book"
    options: "Options"
    directory: "Directory"
    people: "People"
    existing: "dict[str, Existing]"

    def warn(self, row: Row, message: str, **params: Any) -> None:
        raise NotImplementedError  # the Resolver's

    def error(self, row: Row, message: str, **params: Any) -> None:
        raise NotImplementedError  # the Resolver's

    # -- units ----------------------------------------------------------------------------------

    def units(self, row: Row, v: dict[str, str]) -> list[str]:
        """Fill row.lead (or row.lead_text) and row.co; return leaders named in a 部门分工 text."""
        leads: list[str] = []
        cos: list[str] = []
        rest: list[str] = []
        leaders: list[str] = []
        for name, target in (("lead", leads), ("co", cos), ("duty", rest)):
            text = v.get(name, "")
            if not text:
                continue
            if has_duty_marks(text):
                duty = parse_duty(text)
                leads.extend(clean_unit(n) for n in duty.leads)
                cos.extend(clean_unit(n) for n in duty.cos)
                leaders.extend(duty.leaders)
                target.extend(clean_unit(n) for n in duty.rest)
            else:
                target.extend(split_units(text))
        if rest:
            if leads:
                cos = rest + cos
            elif self.options.lead_rule == "first":
                leads, cos = rest[:1], rest[1:] + cos
            else:
                cos = rest + cos
        mapping, create = self.options.mapping, self.options.create_units
        lead_hits = self.directory.resolve_list([n for n in leads if n], mapping, create)
        co_hits = self.directory.resolve_list([n for n in cos if n], mapping, create)
        for hit in lead_hits + co_hits:
            if hit.key in mapping:
                refs = self.book.mapped.setdefault(hit.key, (hit.written, mapping[hit.key], []))[2]
                if row.ref not in refs:
                    refs.append(row.ref)
        lead_hits = [h for h in lead_hits if h.kind != "skip"]
        if len(lead_hits) > 1:
            self.warn(
                row,
                _(
                    "Row %(row)s: several lead units (%(names)s); “%(lead)s” leads, the others become "
                    "co-units."
                ),
                names="、".join(h.written for h in lead_hits),
                lead=lead_hits[0].written,
            )
            co_hits = lead_hits[1:] + co_hits
        if lead_hits:
            self.lead(row, lead_hits[0])
        lead_id = row.lead.unit_ids[0] if row.lead and row.lead.unit_ids else None
        seen: set[Any] = {lead_id} if lead_id else set()
        groups: set[str] = set()
        for hit in co_hits:
            if hit.kind == "unknown":
                self.error(
                    row,
                    _(
                        "Row %(row)s: co-unit “%(name)s” matches no unit: choose a unit for it, create it, or leave it out."
                    ),
                    name=hit.written,
                )
                self.note_unknown(row, hit)
            elif hit.kind == "collective":
                self.error(
                    row,
                    _(
                        "Row %(row)s: “%(name)s” names several units and matches no unit group: choose a group "
                        "for it or create the group."
                    ),
                    name=hit.written,
                )
                self.note_unknown(row, hit)
            elif hit.kind == "new":
                if hit.key not in seen and (row.lead is None or row.lead.key != hit.key):
                    seen.add(hit.key)
                    row.co.append(hit)
                    self.note_new(row, hit)
            elif hit.kind in ("group", "newgroup"):
                name = hit.key if hit.group_id is None else f"group:{hit.group_id}"
                if name not in groups:  # a group named twice in one row is kept once
                    groups.add(name)
                    row.co.append(UnitHit(hit.written, hit.kind, hit.unit_ids, hit.label, hit.group_id))
                    if hit.kind == "newgroup":
                        self.note_new_group(row, hit)
            elif hit.kind == "unit":
                ids = tuple(u for u in hit.unit_ids if u not in seen)
                seen.update(ids)
                if ids:
                    row.co.append(UnitHit(hit.written, hit.kind, ids, hit.label))
        return leaders

    def lead(self, row: Row, hit: UnitHit) -> None:
        """A unit leads; a name that is no one unit (各主要经济指标牵头单位, an unknown name) leaves the task a draft
        without a lead unit, the name kept as written, and the rest of the book is imported all the same."""
        if hit.kind in ("unit", "new"):
            row.lead = hit
            row.lead_text = ""
            self.note_new(row, hit)
            return
        old = self.existing.get(row.code)
        if hit.kind in ("unknown", "collective", "newgroup"):
            self.note_unknown(
                row, UnitHit(hit.written, "collective" if hit.kind != "unknown" else "unknown"), as_lead=True
            )
        if old is not None and old.values.get("lead_unit_id"):
            self.warn(
                row,
                _("Row %(row)s: the lead “%(name)s” is no one known unit; the task keeps its lead unit."),
                name=hit.written,
            )
            return
        row.lead_text = hit.written[:200]
        if hit.kind == "unknown":
            message = _(
                "Row %(row)s: the lead unit “%(name)s” matches no unit; the task is imported as a draft without a "
                "lead unit, with the name kept as written."
            )
        else:
            message = _(
                "Row %(row)s: the lead “%(name)s” names several units, not one; the task is imported as a draft "
                "without a lead unit, with the name kept as written."
            )
        self.warn(row, message, name=hit.written)

    def note_unknown(self, row: Row, hit: UnitHit, as_lead: bool = False) -> None:
        item = self.book.unknown_units.setdefault(hit.key, Unknown(hit.written, hit.kind == "collective"))
        if row.ref not in item.refs:
            item.refs.append(row.ref)
        item.as_lead = item.as_lead or as_lead

    def note_new(self, row: Row, hit: UnitHit) -> None:
        if hit.kind != "new":
            return
        if len(hit.written) > 100:
            self.error(
                row,
                _("Row %(row)s: “%(name)s” is too long for the name of a new unit."),
                name=hit.written[:40] + "…",
            )
        elif hit.key in self.directory.inactive:
            self.error(
                row,
                _("Row %(row)s: “%(name)s” is an inactive unit; make it active or map the name."),
                name=hit.written,
            )
        else:
            self.book.new_units.setdefault(hit.key, hit.written)

    def note_new_group(self, row: Row, hit: UnitHit) -> None:
        if len(hit.written) > 100:
            self.error(
                row,
                _("Row %(row)s: “%(name)s” is too long for the name of a unit group."),
                name=hit.written[:40] + "…",
            )
        else:
            self.book.new_groups.setdefault(hit.key, hit.written)

    # -- people ---------------------------------------------------------------------------------

    def persons(self, row: Row, leader_text: str, owner_text: str) -> None:
        for attr, text, label in (
            ("leader", leader_text, _("responsible leader")),
            ("owner", owner_text, _("responsible person")),
        ):
            if not text.strip():
                continue
            hits = [
                self.people.resolve_name(piece) or self.post(row, attr, piece) for piece in split_people(text)
            ]
            named = [h for h in hits if h.is_named]
            hit = named[0] if named else next((h for h in hits if h.kind == "post"), None)
            if hit is None:
                hit = PersonHit(squash(text)[:100], "text")
            if len(hits) > 1 and hit.kind != "text":
                self.warn(
                    row,
                    _("Row %(row)s: several names for the %(what)s (%(names)s); “%(name)s” is taken."),
                    what=label,
                    names="、".join(h.written for h in hits),
                    name=hit.written,
                )
            setattr(row, attr, hit)
            if hit.kind == "new":
                self.book.new_people.setdefault(key(hit.name), hit)
            elif hit.kind == "text":
                self.warn(
                    row,
                    _(
                        "Row %(row)s: the %(what)s “%(text)s” is no one person or post of one unit; it is kept as "
                        "written and the task needs a person named before it can be assigned."
                    ),
                    what=label,
                    text=hit.written,
                )

    def post(self, row: Row, attr: str, piece: str) -> PersonHit:
        """A post written instead of a name: the person who holds it in that unit when known, else the unit's
        post (one per unit and title), else the text as written."""
        as_written = PersonHit(piece, "text")
        parsed = split_post(piece)
        if parsed is None:
            return as_written
        prefix, title = parsed
        unit_id: int | None = None
        unit_key = ""
        if prefix:
            hits = self.directory.resolve(prefix, self.options.mapping, create=False)
            hit = hits[0] if len(hits) == 1 else None
            if hit is not None and hit.kind == "unit":
                unit_id = hit.unit_ids[0]
            elif hit is not None and key(prefix) in self.book.new_units:
                unit_key = key(prefix)
            elif hit is not None and hit.kind == "new":
                unit_key = hit.key
            else:
                return as_written  # 各镇街主要负责人: a collective post stays as written
        elif attr == "owner":
            if row.lead is None:
                return as_written
            if row.lead.kind == "unit":
                unit_id = row.lead.unit_ids[0]
            else:
                unit_key = row.lead.key
        else:
            holders = self.people.by_title.get(key(title), [])
            if len(holders) == 1:  # 常务副区长: the one leader with that title
                return PersonHit(piece, "person", holders[0], self.people.names.get(holders[0], ""), title)
            unit_id = self.directory.root
            if unit_id is None:
                return as_written
        if is_relative(title) and (unit_id is None or (unit_id, key(title)) not in self.people.posts):
            return as_written  # 分管副区长: whoever is in charge of this task, unless the office recorded the post
        if unit_id is None:
            label = self.book.new_units.get(unit_key, unit_key) + title
            return PersonHit(piece, "post", title=title, unit_key=unit_key, label=label)
        return replace(
            self.people.post(piece, unit_id, title), label=self.directory.labels.get(unit_id, "") + title
        )
