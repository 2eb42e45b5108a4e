"""One read row -> one preview row: units, people, dates, checks, and what changes on an existing task."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from tongtui.plans.importing.assignees import Assignees
from tongtui.plans.importing.book import Book, Options, Raw, Row
from tongtui.plans.importing.deadlines import (
    invalid_dates,
    is_plain_date,
    parse_date,
    parse_deadline,
    parse_schedule,
)
from tongtui.plans.importing.existing import load_existing
from tongtui.plans.importing.headers import SYNONYMS
from tongtui.plans.importing.labels import inline_units
from tongtui.plans.importing.normalize import key, squash
from tongtui.plans.importing.people import People, PersonHit
from tongtui.plans.importing.units import Directory

TEXT_FIELDS = ("goal", "measures", "deliverables", "note")
INHERITED = ("lead", "co", "duty", "leader", "owner", "category")
SOURCE_WORDS = {
    "city": ("市级部署", "上级部署", "市委市政府部署", "市里部署", "省级部署"),
    "work_report": ("政府工作报告", "工作报告", "区政府工作报告"),
    "meeting": ("会议议定", "会议决定", "议定事项", "会议", "会议议定事项"),
    "instruction": ("领导批示", "批示", "批示件"),
    "other": ("其他", "其它"),
}
TRUE_WORDS = {"是", "公开", "y", "yes", "true", "1", "√", "✓", "对"}
FALSE_WORDS = {"否", "不公开", "n", "no", "false", "0", "×", "✗"}


def source_of(text: str) -> str | None:
    """The Source for a written source: its code, its label in Chinese or English, or a common synonym."""
    from tongtui.plans.models import Source

    k = key(text).lower()
    for value, words in SOURCE_WORDS.items():
        if k == value or k in words:
            return value
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in Source.choices:
                if k == key(str(label)).lower():
                    return value
    return None


class Resolver(Assignees):
    def __init__(
        self,
        book: Book,
        options: Options,
        *,
        plan: Any = None,
        directory: Directory | None = None,
        people: People | None = None,
        raws: list[Raw] | None = None,
    ) -> None:
        self.book = book
        self.options = options
        self.directory = directory if directory is not None else Directory.from_db()
        self.people = people if people is not None else People.from_db()
        self.existing = load_existing(plan)
        for old in self.existing.values():
            for group_id, written in old.groups.items():
                self.directory.add_group_name(written, group_id)
        self.categories = set()
        if plan is not None and plan.pk is not None:
            self.categories = set(plan.categories.values_list("name", flat=True))
        self.file_codes = {r.code for r in raws or []}
        self.seen: dict[str, str] = {}

    # -- messages -------------------------------------------------------------------------------

    def _msg(self, message: str, row: Row, **params: Any) -> str:
        return message % {"row": row.ref, **params}

    def warn(self, row: Row, message: str, **params: Any) -> None:
        row.warnings.append(self._msg(message, row, **params))

    def error(self, row: Row, message: str, **params: Any) -> None:
        row.errors.append(self._msg(message, row, **params))

    # -- one row --------------------------------------------------------------------------------

    def row(self, raw: Raw) -> Row:
        row = Row(raw.ref, raw.code, parent_code=raw.parent_code)
        v = dict(raw.values)
        title = squash(v.get("title") or v.get("content") or "").lstrip("★☆* ")
        if v.get("title") and v.get("content"):
            v.setdefault("goal" if "goal" not in v else "measures", v["content"])
        stripped, inline = inline_units(title)
        if inline:
            title = stripped
            for name, value in inline.items():
                v.setdefault(name, value)
        if raw.parent is not None:
            for name in INHERITED:
                if (
                    name in raw.parent.values
                    and not v.get(name)
                    and not (
                        name in ("lead", "co", "duty") and (v.get("lead") or v.get("co") or v.get("duty"))
                    )
                ):
                    v[name] = raw.parent.values[name]
        row.title = title
        self.check_identity(row)
        row.category = (v.get("category") or raw.category).strip()[:100]
        for name in TEXT_FIELDS:
            if v.get(name):
                row.texts[name] = v[name]
        leaders = self.units(row, v)
        self.persons(row, v.get("leader", "") or "、".join(leaders) or raw.leader, v.get("owner", ""))
        self.dates(row, v, raw.headers)
        self.extras(row, v)
        self.compare(row)
        self.readiness(row)
        return row

    def check_identity(self, row: Row) -> None:
        if not row.title:
            self.error(row, _("Row %(row)s: the task has no title."))
        elif len(row.title) > 500:
            self.error(row, _("Row %(row)s: the title is longer than 500 characters."))
        if len(row.code) > 40:
            self.error(
                row, _("Row %(row)s: the code “%(code)s” is longer than 40 characters."), code=row.code
            )
        if row.code in self.seen:
            self.error(
                row,
                _("Row %(row)s: the code “%(code)s” is used twice (also in row %(other)s)."),
                code=row.code,
                other=self.seen[row.code],
            )
        self.seen.setdefault(row.code, row.ref)
        if row.parent_code:
            if row.parent_code == row.code:
                self.error(row, _("Row %(row)s: the task cannot be its own parent."))
            elif row.parent_code not in self.file_codes and row.parent_code not in self.existing:
                self.error(
                    row,
                    _("Row %(row)s: the parent task “%(code)s” is neither in the file nor in the plan."),
                    code=row.parent_code,
                )

    # -- dates ----------------------------------------------------------------------------------

    def not_a_date(self, row: Row, column: str, text: str, bad: list[str]) -> bool:
        """An error naming the cell when its text names a day no calendar has (2026-02-30, 13月)."""
        if bad:
            self.error(
                row,
                _("Row %(row)s, %(column)s: “%(text)s” is not a real date."),
                column=column,
                text="、".join(bad),
            )
        return bool(bad)

    def dates(self, row: Row, v: dict[str, str], headers: dict[str, str] | None = None) -> None:
        year = self.options.year
        headers = headers or {}
        deadline = v.get("deadline", "").strip()
        schedule = v.get("schedule", "").strip()
        if deadline and not schedule:
            steps, _undated = parse_schedule(deadline, year)
            if len(steps) > 1:
                schedule = deadline
        if deadline:
            column = headers.get("deadline", SYNONYMS["deadline"][0])
            parsed = parse_deadline(deadline, year)
            row.due = parsed.due
            if not is_plain_date(deadline):
                row.deadline_text = deadline[:100]
                if len(deadline) > 100:
                    self.warn(row, _("Row %(row)s: the deadline text is cut to 100 characters."))
            old = self.existing.get(row.code)
            stored = old is not None and old.values.get("deadline_text") == deadline[:100]
            if (
                not self.not_a_date(row, column, deadline, list(parsed.invalid))
                and not parsed.understood
                and not stored
            ):
                self.error(
                    row,
                    _(
                        "Row %(row)s, %(column)s: “%(text)s” is neither a date nor an open deadline such as "
                        "持续推进; write a date such as 6月底前."
                    ),
                    column=column,
                    text=deadline,
                )
        if schedule:
            column = headers.get("schedule", headers.get("deadline", SYNONYMS["schedule"][0]))
            if self.not_a_date(row, column, schedule, invalid_dates(schedule, year)):
                schedule = ""
        if schedule:
            steps, undated = parse_schedule(schedule, year)
            for piece in undated:
                self.warn(
                    row, _("Row %(row)s: the step “%(text)s” names no date and is left out."), text=piece
                )
            row.milestones = steps
            if steps and row.due is None:
                row.due = steps[-1].due
            if steps and row.due and steps[-1].due > row.due:
                self.warn(row, _("Row %(row)s: the last milestone is after the due date."))
            if any(b.planned_progress < a.planned_progress for a, b in zip(steps, steps[1:], strict=False)):
                self.warn(row, _("Row %(row)s: the planned progress of the milestones goes down."))
            if any(b.due < a.due for a, b in zip(steps, steps[1:], strict=False)):
                self.warn(row, _("Row %(row)s: the milestones are not in date order."))
        if v.get("start") and self.not_a_date(
            row, headers.get("start", SYNONYMS["start"][0]), v["start"], invalid_dates(v["start"], year)
        ):
            pass
        elif v.get("start"):
            row.start = parse_date(v["start"], year)
            if row.start is None:
                self.warn(row, _("Row %(row)s: the start “%(text)s” could not be read."), text=v["start"])
        if row.start and row.due and row.start > row.due:
            self.error(row, _("Row %(row)s: the start date is after the due date."))
        dates = [d for d in (row.start, row.due) if d] + [s.due for s in row.milestones or []]
        outside = sorted({d for d in dates if d.year != year})
        if outside:
            self.warn(
                row,
                _("Row %(row)s: %(dates)s is outside the plan year %(year)s."),
                dates="、".join(d.isoformat() for d in outside),
                year=year,
            )

    # -- the rest -------------------------------------------------------------------------------

    def extras(self, row: Row, v: dict[str, str]) -> None:
        if v.get("weight"):
            try:
                row.weight = Decimal(v["weight"].strip().rstrip("%"))
                if row.weight < 0 or row.weight >= 10000:
                    raise InvalidOperation
            except InvalidOperation:
                row.weight = None
                self.error(
                    row,
                    _("Row %(row)s: the weight “%(text)s” is not a number from 0 to 9999."),
                    text=v["weight"],
                )
        if v.get("source"):
            row.source = source_of(v["source"])
            if row.source is None:
                self.warn(
                    row,
                    _("Row %(row)s: the source “%(text)s” is not known; it is left as it is."),
                    text=v["source"],
                )
        if v.get("is_public"):
            word = key(v["is_public"]).lower()
            row.is_public = True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
            if row.is_public is None:
                self.warn(
                    row,
                    _("Row %(row)s: “%(text)s” is not yes or no; the public flag is left as it is."),
                    text=v["is_public"],
                )
        if (
            row.category
            and row.category not in self.categories
            and row.category not in self.book.new_categories
        ):
            self.book.new_categories.append(row.category)

    def compare(self, row: Row) -> None:
        old = self.existing.get(row.code)
        if old is None:
            row.action = "create"
            return
        row.task_id = old.id
        changes = []
        want = self.wanted(row)
        for name, value in want.items():
            if old.values.get(name) != value:
                changes.append(name)
        units = [h for h in [row.lead, *row.co] if h is not None]
        people = [h for h in (row.leader, row.owner) if h is not None]
        if any(h.kind in ("new", "newgroup") for h in units) or any(
            h.kind == "new" or (h.kind == "post" and h.post_id is None) for h in people
        ):
            changes.append("new")
        if row.co:
            direct = {u for h in row.co if h.kind == "unit" for u in h.unit_ids}
            groups = {h.group_id: h.written[:100] for h in row.co if h.kind == "group"}
            if direct != old.co_ids or groups != old.groups:
                changes.append("co_units")
        if row.milestones is not None:
            steps = [(s.title, s.due, s.planned_progress) for s in row.milestones]
            if steps != old.milestones:
                changes.append("milestones")
        row.changes = changes
        row.action = "update" if changes else "unchanged"
        if "title" in changes:
            self.warn(
                row,
                _(
                    "Row %(row)s: this updates task %(code)s, now titled “%(old)s”; check that it is the same task."
                ),
                code=row.code,
                old=old.values["title"][:60],
            )

    def wanted(self, row: Row) -> dict[str, Any]:
        """The task fields this row sets (blank cells leave a task's values as they are)."""
        want: dict[str, Any] = {"title": row.title}
        if row.category:
            want["category"] = row.category
        want.update(row.texts)
        if row.parent_code:
            want["parent"] = row.parent_code
        if row.lead is not None and row.lead.kind == "unit":
            want["lead_unit_id"] = row.lead.unit_ids[0]
        if row.lead_text is not None:
            want["lead_text"] = row.lead_text
        for attr in ("leader", "owner"):
            hit = getattr(row, attr)
            if hit is None:
                continue
            if hit.kind == "person":
                want[f"{attr}_id"] = hit.person_id
            if hit.kind in ("person", "post") and hit.post_id is not None:
                want[f"{attr}_post_id"] = hit.post_id
            elif hit.kind == "text":
                want[f"{attr}_post_id"] = None
            want[f"{attr}_text"] = hit.written[:100] if hit.kind == "text" else ""
        for name in ("start", "due", "deadline_text", "weight", "source", "is_public"):
            value = getattr(row, name)
            if value is not None:
                want[name] = value
        return want

    def readiness(self, row: Row) -> None:
        """有人抓、有人管、有人负责: what the task lacks to be assigned once imported."""
        old = self.existing.get(row.code)
        missing = []
        if row.lead is None and not (old and old.values.get("lead_unit_id")):
            missing.append(str(_("lead unit")))
        for attr, label in (("leader", _("responsible leader")), ("owner", _("responsible person"))):
            hit = getattr(row, attr)
            if not (hit is not None and hit.is_named) and not (old and old.values.get(f"{attr}_id")):
                missing.append(str(label))
        row.missing = missing
        if missing:
            self.warn(
                row,
                _("Row %(row)s: cannot be assigned until it has a %(missing)s."),
                missing="、".join(missing),
            )
        if self.options.assigned_on is not None:
            row.assign = not missing and (old is None or old.values.get("status") == "draft")

    def finish(self) -> None:
        pass


def person_label(hit: PersonHit | None) -> str:
    if hit is None:
        return ""
    return hit.name or hit.written
