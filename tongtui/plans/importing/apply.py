"""The preview -> tasks. All or nothing: one transaction, every write through plans/actions.py and
orgs/actions.py (tasks in bulk: create_tasks, update_tasks), history reason "import <filename>". Also the staging of an upload between preview and confirm."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.errors import Conflict, Forbidden
from tongtui.orgs import actions as org_actions
from tongtui.orgs.models import Person, Unit
from tongtui.plans import actions, actions_bulk
from tongtui.plans.importing.book import Book, Options, Row, build_book
from tongtui.plans.importing.deadlines import Step
from tongtui.plans.importing.normalize import key
from tongtui.plans.importing.readers import decode, read_file, read_text
from tongtui.plans.importing.units import UnitHit, guess_kind
from tongtui.plans.models import Milestone, Plan, Task, TaskImport


class ImportFailed(Exception):
    """Nothing was written; `messages` say why, row by row."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class Applied:
    plan: Plan
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units: int = 0
    people: int = 0
    categories: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "units": self.units,
            "people": self.people,
            "categories": self.categories,
        }


def read_book(
    filename: str, data: bytes, options: Options, *, plan: Plan | None = None, sheet: str | None = None
) -> Book:
    """Read a file (or pasted text when filename is "-") and build its preview. Raises UnreadableFile."""
    blocks = read_text(decode(data)) if filename == "-" else read_file(filename, data, sheet)
    return build_book(blocks, options, plan=plan)


def _ordered(rows: list[Row]) -> list[Row]:
    """Parents before their children, otherwise in file order."""
    by_code = {r.code: r for r in rows}

    def depth(row: Row) -> int:
        d, seen = 0, set()
        while row.parent_code in by_code and row.code not in seen:
            seen.add(row.code)
            row = by_code[row.parent_code]
            d += 1
        return d

    return sorted(rows, key=depth)


class _Writer:
    def __init__(self, book: Book, plan: Plan, by: Any, reason: str) -> None:
        self.book, self.plan, self.by, self.reason = book, plan, by, reason
        self.result = Applied(plan)
        self.new_units: dict[str, Unit] = {}
        self.new_people: dict[str, Person] = {}
        self.units: dict[int, Unit] = {}
        self.people: dict[int, Person] = {}
        self.categories = {c.name: c for c in plan.categories.all()}
        self.tasks = {t.code: t for t in Task.objects.filter(plan=plan)}

    def prepare(self) -> None:
        order = max((c.order for c in self.categories.values()), default=0)
        for name in self.book.new_categories:
            if name not in self.categories:
                order += 1
                self.categories[name] = actions.create_category(self.plan, name, by=self.by, order=order)
                self.result.categories += 1
        root = Unit.objects.filter(parent=None, kind="district").order_by("pk").first()
        for k, name in self.book.new_units.items():
            self.new_units[k] = org_actions.create_unit(
                by=self.by, name=name, parent=root, kind=guess_kind(name), reason=self.reason
            )
            self.result.units += 1
        for k, hit in self.book.new_people.items():
            self.new_people[k] = org_actions.create_person(
                by=self.by, name=hit.name, title=hit.title, reason=self.reason
            )
            self.result.people += 1
        unit_ids = {u for r in self.book.rows for h in [r.lead, *r.co] if h is not None for u in h.unit_ids}
        self.units = Unit.objects.in_bulk(unit_ids)
        person_ids = {h.person_id for r in self.book.rows for h in (r.leader, r.owner) if h and h.person_id}
        self.people = Person.objects.in_bulk(person_ids)

    def unit_list(self, hit: UnitHit) -> list[Unit]:
        if hit.kind == "new":
            return [self.new_units[hit.key]]
        return [self.units[u] for u in hit.unit_ids]

    def person(self, hit: Any) -> Person | None:
        if hit is None:
            return None
        if hit.kind == "new":
            return self.new_people[key(hit.name)]
        return self.people.get(hit.person_id)

    def fields(
        self, row: Row, task: Task | None, parents: dict[str, actions_bulk.TaskDraft] | None = None
    ) -> dict[str, Any]:
        """The task fields to write: everything for a new task, only what the row gives for an existing one.
        A new task's parent may be a draft among `parents` (created in the same import)."""
        f: dict[str, Any] = {"title": row.title}
        f.update(row.texts)
        if row.category:
            f["category"] = self.categories[row.category]
        if row.parent_code:
            drafted = (parents or {}).get(row.parent_code)
            f["parent"] = drafted if drafted is not None else self.tasks[row.parent_code]
        if row.lead is not None and row.lead.kind in ("unit", "new"):
            f["lead_unit"] = self.unit_list(row.lead)[0]
        for attr in ("leader", "owner"):
            person = self.person(getattr(row, attr))
            if person is not None:
                f[attr] = person
        for name in ("start", "due", "deadline_text", "weight", "source", "is_public"):
            value = getattr(row, name)
            if value is not None:
                f[name] = value
        if task is None:
            return f
        return {name: value for name, value in f.items() if getattr(task, name) != value}

    def co_units(self, row: Row) -> list[Unit]:
        units: dict[int, Unit] = {}
        for hit in row.co:
            for unit in self.unit_list(hit):
                units.setdefault(unit.pk, unit)
        return list(units.values())

    def write_all(self, rows: list[Row]) -> None:
        """New tasks in one bulk write (parents before children), then the changes to existing tasks in
        another."""
        drafts: dict[str, actions_bulk.TaskDraft] = {}
        updates: list[Row] = []
        for row in rows:
            task = self.tasks.get(row.code)
            if row.action == "unchanged" and task is not None:
                self.result.unchanged += 1
            elif task is None and row.code not in drafts:
                drafts[row.code] = self.draft(row, drafts)
            else:
                updates.append(row)
        try:
            actions_bulk.create_tasks(
                by=self.by, plan=self.plan, drafts=list(drafts.values()), reason=self.reason
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            raise ImportFailed(
                [
                    _("Row %(row)s: %(error)s") % {"row": ref, "error": " ".join(messages)}
                    for ref, messages in exc.message_dict.items()
                ]
            ) from exc
        for code, draft in drafts.items():
            assert draft.task is not None
            self.tasks[code] = draft.task
        self.result.created += len(drafts)
        stored = [self.tasks[r.code].pk for r in updates if r.code not in drafts]
        for task in (
            Task.objects.filter(pk__in=stored)
            .select_related("parent", "category", "lead_unit", "leader", "owner")
            .prefetch_related("co_unit_links")
        ):
            self.tasks[task.code] = task  # what the rows are compared with, in a few queries
        changes = [self.change(row) for row in updates]
        try:
            actions_bulk.update_tasks(by=self.by, changes=changes, reason=self.reason)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            raise ImportFailed(
                [
                    _("Row %(row)s: %(error)s") % {"row": ref, "error": " ".join(messages)}
                    for ref, messages in exc.message_dict.items()
                ]
            ) from exc
        self.result.updated += len(changes)

    def change(self, row: Row) -> actions_bulk.TaskChange:
        """An existing task's changes as update_tasks takes them (what write() would do for the row)."""
        task = self.tasks[row.code]
        co = self.co_units(row)
        current = {link.unit_id for link in task.co_unit_links.all()}
        new_co = co if row.co and {u.pk for u in co} - {task.lead_unit_id} != current else None
        return actions_bulk.TaskChange(
            ref=row.ref,
            task=task,
            fields=self.fields(row, task),
            co_units=new_co,
            milestones=None if row.milestones is None else self.steps(row),
        )

    @staticmethod
    def steps(row: Row) -> list[dict[str, Any]]:
        return [
            {"title": s.title[:300], "due": s.due, "planned_progress": s.planned_progress, "seq": seq}
            for seq, s in enumerate(row.milestones or [], start=1)
        ]

    def draft(self, row: Row, drafts: dict[str, actions_bulk.TaskDraft]) -> actions_bulk.TaskDraft:
        """A new task as create_tasks takes it; its parent may be a task or a draft of this import."""
        fields = self.fields(row, None, parents=drafts)
        parent = fields.pop("parent", None)
        return actions_bulk.TaskDraft(
            ref=row.ref,
            fields={"code": row.code, **fields},
            parent=parent,
            co_units=self.co_units(row),
            milestones=self.steps(row),
        )

    def write(self, row: Row) -> None:
        """One row through the per-row actions, as imports were written before the bulk path; kept as the
        reference the tests compare the bulk write with."""
        task = self.tasks.get(row.code)
        if row.action == "unchanged" and task is not None:
            self.result.unchanged += 1
            return
        co = self.co_units(row)
        new = task is None
        if task is None:
            task = actions.create_task(
                by=self.by,
                plan=self.plan,
                co_units=co,
                reason=self.reason,
                code=row.code,
                **self.fields(row, None),
            )
            self.tasks[row.code] = task
            self.result.created += 1
        else:
            changed = self.fields(row, task)
            current = {link.unit_id for link in task.co_unit_links.all()}
            new_co = co if row.co and {u.pk for u in co} - {task.lead_unit_id} != current else None
            if changed or new_co is not None:
                actions.update_task(
                    task, by=self.by, version=task.version, co_units=new_co, reason=self.reason, **changed
                )
            self.result.updated += 1
        if row.milestones is not None:
            self.milestones(task, row.milestones, new=new)

    def milestones(self, task: Task, steps: list[Step], new: bool = False) -> None:
        old = [] if new else list(Milestone.objects.filter(task=task).order_by("seq", "due", "pk"))
        for seq, step in enumerate(steps, start=1):
            title = step.title[:300]
            if seq <= len(old):
                m = old[seq - 1]
                changes = {
                    k: v
                    for k, v in (
                        ("title", title),
                        ("due", step.due),
                        ("planned_progress", step.planned_progress),
                        ("seq", seq),
                    )
                    if getattr(m, k) != v
                }
                if changes:
                    actions.update_milestone(m, by=self.by, reason=self.reason, **changes)
            else:
                actions.add_milestone(
                    task,
                    by=self.by,
                    title=title,
                    due=step.due,
                    planned_progress=step.planned_progress,
                    seq=seq,
                    reason=self.reason,
                )
        for m in old[len(steps) :]:
            actions.delete_milestone(m, by=self.by, reason=self.reason)


def apply_book(book: Book, *, year: int, by: Any, filename: str, plan: Plan | None = None) -> Applied:
    """Write the whole book or nothing. Creates the plan year when it does not exist yet."""
    if not book.ok:
        raise ImportFailed(book.all_errors)
    reason = f"import {filename}"[:100]
    try:
        with transaction.atomic():
            plan = plan or Plan.objects.filter(year=year).first() or actions.create_plan(by=by, year=year)
            writer = _Writer(book, plan, by, reason)
            writer.prepare()
            writer.write_all(_ordered(book.rows))
    except (ValidationError, Forbidden, Conflict) as exc:
        raise ImportFailed([_flat(exc)]) from exc
    return writer.result


def _flat(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


# -- staging between preview and confirm ----------------------------------------------------------


def stage(
    *,
    plan: Plan,
    by: Any,
    filename: str,
    content: bytes,
    pasted_text: str,
    lead_rule: str,
    create_units: bool,
    sheet: str = "",
) -> TaskImport:
    staged = TaskImport(
        plan=plan,
        uploaded_by=by,
        filename=filename,
        content=content,
        pasted_text=pasted_text,
        lead_rule=lead_rule,
        create_units=create_units,
        sheet=sheet,
    )
    staged.full_clean()
    staged.save()
    return staged


def options_for(staged: TaskImport) -> Options:
    return Options(
        year=staged.plan.year,
        lead_rule=staged.lead_rule,
        create_units=staged.create_units,
        mapping=dict(staged.unit_mapping or {}),
    )


def preview(staged: TaskImport) -> Book:
    options = options_for(staged)
    if staged.pasted_text and not staged.filename:
        blocks = read_text(staged.pasted_text)
        return build_book(blocks, options, plan=staged.plan)
    return read_book(
        staged.filename, bytes(staged.content), options, plan=staged.plan, sheet=staged.sheet or None
    )


def set_mapping(staged: TaskImport, mapping: dict[str, str]) -> None:
    staged.unit_mapping = mapping
    staged.save(update_fields=["unit_mapping"])


def confirm(staged: TaskImport, *, by: Any) -> Applied:
    """Apply a staged import once; the preview is rebuilt from the stored file so it is what gets written."""
    if staged.applied_at is not None:
        raise ImportFailed([_("This import has already been applied.")])
    book = preview(staged)
    result = apply_book(
        book, year=staged.plan.year, by=by, filename=staged.filename or "pasted text", plan=staged.plan
    )
    staged.applied_at = timezone.now()
    staged.summary = result.as_dict()
    staged.save(update_fields=["applied_at", "summary"])
    return result
