"""The preview -> tasks. All or nothing: one transaction, every write through plans/actions.py and
orgs/actions.py (tasks in bulk: create_tasks, update_tasks), history reason "import <filename>". Also the staging of an upload between preview and confirm."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.errors import Conflict, Forbidden
from tongtui.orgs import actions as org_actions
from tongtui.orgs.models import Person, Post, Unit, UnitAlias, UnitGroup
from tongtui.plans import actions, actions_bulk, actions_groups
from tongtui.plans.importing.book import Book, Options, Row, build_book
from tongtui.plans.importing.deadlines import Step
from tongtui.plans.importing.normalize import key
from tongtui.plans.importing.people import PersonHit
from tongtui.plans.importing.readers import decode, read_file, read_text
from tongtui.plans.importing.units import UnitHit, guess_kind
from tongtui.plans.models import Milestone, Plan, Task, TaskImport, TaskStatus


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
    groups: int = 0
    posts: int = 0
    people: int = 0
    categories: int = 0
    assigned: int = 0  # the mid-year switch: assigned and acknowledged
    drafts: list[str] = field(default_factory=list)  # with the switch: "code: what it lacks"

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "units": self.units,
            "groups": self.groups,
            "posts": self.posts,
            "people": self.people,
            "categories": self.categories,
            "assigned": self.assigned,
            "drafts": len(self.drafts),
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
    def __init__(
        self, book: Book, plan: Plan, by: Any, reason: str, date: datetime.datetime | None = None
    ) -> None:
        self.book, self.plan, self.by, self.reason, self.date = book, plan, by, reason, date
        self.result = Applied(plan)
        self.new_units: dict[str, Unit] = {}
        self.new_groups: dict[str, UnitGroup] = {}
        self.new_people: dict[str, Person] = {}
        self.units: dict[int, Unit] = {}
        self.groups: dict[int, UnitGroup] = {}
        self.people: dict[int, Person] = {}
        self.posts: dict[tuple[Any, str], Post] = {}  # (unit id or new unit key, title) -> post
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
        for k, name in self.book.new_groups.items():
            self.new_groups[k] = org_actions.create_group(by=self.by, name=name, units=[], reason=self.reason)
            self.result.groups += 1
        for k, hit in self.book.new_people.items():
            self.new_people[k] = org_actions.create_person(
                by=self.by, name=hit.name, title=hit.title, reason=self.reason
            )
            self.result.people += 1
        unit_ids = {u for r in self.book.rows for h in [r.lead, *r.co] if h is not None for u in h.unit_ids}
        hits = [h for r in self.book.rows for h in (r.leader, r.owner) if h is not None]
        unit_ids |= {h.unit_id for h in hits if h.kind == "post" and h.unit_id is not None}
        self.units = Unit.objects.in_bulk(unit_ids)
        group_ids = {h.group_id for r in self.book.rows for h in r.co if h.kind == "group" and h.group_id}
        self.groups = UnitGroup.objects.in_bulk(group_ids)
        self.people = Person.objects.in_bulk({h.person_id for h in hits if h.person_id})
        self.prepare_posts(hits)
        self.remember_names()

    def prepare_posts(self, hits: list[PersonHit]) -> None:
        """The posts the book names, each recorded once per unit and title (not once per task)."""
        known = Post.objects.in_bulk({h.post_id for h in hits if h.post_id})
        for hit in hits:
            if hit.kind != "post" and hit.post_id is None:
                continue
            place = self.post_key(hit)
            if place in self.posts:
                continue
            if hit.post_id is not None and hit.post_id in known:
                self.posts[place] = known[hit.post_id]
                continue
            unit = self.units[hit.unit_id] if hit.unit_id is not None else self.new_units[hit.unit_key]
            before = Post.objects.filter(unit=unit, title=hit.title).exists()
            self.posts[place] = actions_groups.get_or_create_post(
                unit, hit.title, by=self.by, reason=self.reason
            )
            self.result.posts += 0 if before else 1

    @staticmethod
    def post_key(hit: PersonHit) -> tuple[Any, str]:
        return (hit.unit_id if hit.unit_id is not None else hit.unit_key, key(hit.title))

    def remember_names(self) -> None:
        """A name the office chose a unit or group for becomes one of its other names, so that the next book
        (and the ledger's re-import) finds it without asking."""
        choices = [(written, choice) for written, choice, _refs in self.book.mapped.values() if ":" in choice]
        if not choices:
            return
        taken = set(
            UnitAlias.objects.filter(name__in=[w for w, _c in choices]).values_list("name", flat=True)
        )
        taken |= set(Unit.objects.filter(name__in=[w for w, _c in choices]).values_list("name", flat=True))
        groups = UnitGroup.objects.in_bulk(
            {int(c[6:]) for _w, c in choices if c.startswith("group:") and c[6:].isdigit()}
        )
        units = Unit.objects.in_bulk(
            {int(c[5:]) for _w, c in choices if c.startswith("unit:") and c[5:].isdigit()}
        )
        for written, choice in choices:
            kind, _sep, pk = choice.partition(":")
            if kind == "unit" and int(pk) in units and written not in taken:
                org_actions.add_alias(units[int(pk)], written, by=self.by, reason=self.reason)
                taken.add(written)
            elif kind == "group" and int(pk) in groups:
                actions_groups.remember_group_name(groups[int(pk)], written, by=self.by, reason=self.reason)

    def unit_list(self, hit: UnitHit) -> list[Unit]:
        if hit.kind == "new":
            return [self.new_units[hit.key]]
        return [self.units[u] for u in hit.unit_ids]

    def group(self, hit: UnitHit) -> UnitGroup:
        if hit.kind == "newgroup":
            return self.new_groups[hit.key]
        assert hit.group_id is not None
        return self.groups[hit.group_id]

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
        if row.lead_text is not None:
            f["lead_text"] = row.lead_text
        for attr in ("leader", "owner"):
            hit = getattr(row, attr)
            if hit is None:
                continue
            if hit.is_named:
                f[attr] = self.person(hit)
            if hit.kind == "post" or hit.post_id is not None:
                f[f"{attr}_post"] = self.posts[self.post_key(hit)]
            elif hit.kind == "text":
                f[f"{attr}_post"] = None
            f[f"{attr}_text"] = hit.written[:100] if hit.kind == "text" else ""
        for name in ("start", "due", "deadline_text", "weight", "source", "is_public"):
            value = getattr(row, name)
            if value is not None:
                f[name] = value
        if task is None:
            return f
        return {name: value for name, value in f.items() if getattr(task, name) != value}

    def co_units(self, row: Row) -> list[Unit]:
        """The co-units the row names on their own (not through a group)."""
        units: dict[int, Unit] = {}
        for hit in row.co:
            if hit.kind in ("unit", "new"):
                for unit in self.unit_list(hit):
                    units.setdefault(unit.pk, unit)
        return list(units.values())

    def co_groups(self, row: Row) -> list[tuple[UnitGroup, str]]:
        return [(self.group(hit), hit.written) for hit in row.co if hit.is_group]

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
                by=self.by, plan=self.plan, drafts=list(drafts.values()), reason=self.reason, date=self.date
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
            .select_related("parent", "category", "lead_unit", "leader", "owner", "leader_post", "owner_post")
            .prefetch_related("co_unit_links", "co_group_links")
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

    def co_changed(self, row: Row, task: Task) -> bool:
        """True when the row names other co-units or unit groups than the task has (or writes a group
        otherwise)."""
        if not row.co:
            return False
        direct = {u.pk for u in self.co_units(row)} - {task.lead_unit_id}
        current = {link.unit_id for link in task.co_unit_links.all() if link.via_group_id is None}
        groups = {g.pk: written[:100] for g, written in self.co_groups(row)}
        named = {link.group_id: link.written for link in task.co_group_links.all()}
        return direct != current or groups != named

    def change(self, row: Row) -> actions_bulk.TaskChange:
        """An existing task's changes as update_tasks takes them (what write() would do for the row)."""
        task = self.tasks[row.code]
        relink = self.co_changed(row, task)
        return actions_bulk.TaskChange(
            ref=row.ref,
            task=task,
            fields=self.fields(row, task),
            co_units=self.co_units(row) if relink else None,
            co_groups=self.co_groups(row) if relink else [],
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
            co_groups=self.co_groups(row),
            milestones=self.steps(row),
        )

    def write(self, row: Row) -> None:
        """One row through the per-row actions, as imports were written before the bulk path; kept as the
        reference the tests compare the bulk write with. It writes what plans.actions can: the as-written
        fields (lead_text, posts, people as written) are the bulk path's alone and tested on their own."""
        task = self.tasks.get(row.code)
        if row.action == "unchanged" and task is not None:
            self.result.unchanged += 1
            return
        co = self.co_units(row)
        new = task is None
        if task is None:
            fields = {k: v for k, v in self.fields(row, None).items() if k in actions.TASK_FIELDS}
            task = actions.create_task(
                by=self.by, plan=self.plan, co_units=co, reason=self.reason, code=row.code, **fields
            )
            self.tasks[row.code] = task
            self.result.created += 1
        else:
            changed = {k: v for k, v in self.fields(row, task).items() if k in actions.TASK_FIELDS}
            relink = self.co_changed(row, task)
            if changed or relink:
                actions.update_task(
                    task,
                    by=self.by,
                    version=task.version,
                    co_units=co if relink else None,
                    reason=self.reason,
                    **changed,
                )
            self.result.updated += 1
        for group, written in self.co_groups(row):
            actions_groups.add_co_group(task, group, by=self.by, written=written, reason=self.reason)
        if row.milestones is not None:
            self.milestones(task, row.milestones, new=new)

    def switch(self, on: datetime.date) -> None:
        """The mid-year switch: the book's complete drafts assigned and acknowledged on `on`."""
        codes = {r.code for r in self.book.rows}
        tasks = [t for code, t in self.tasks.items() if code in codes]
        done = actions_bulk.acknowledge_imported(tasks, by=self.by, on=on, reason=self.reason)
        self.result.assigned = len(done)
        switched = {t.pk for t in done}
        for task in Task.objects.filter(pk__in=[t.pk for t in tasks], status=TaskStatus.DRAFT).order_by("pk"):
            if task.pk not in switched:
                missing = "、".join(task.missing_for_assignment())
                self.result.drafts.append(f"{task.code}: {missing}")

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


def apply_book(
    book: Book,
    *,
    year: int,
    by: Any,
    filename: str,
    plan: Plan | None = None,
    assigned_on: datetime.date | None = None,
) -> Applied:
    """Write the whole book or nothing. Creates the plan year when it does not exist yet.

    With `assigned_on` (the mid-year switch) the new tasks' history is dated that day, and every task the
    book makes complete (lead unit, leader, person) that is still a draft is assigned and acknowledged on it;
    the others stay drafts and are listed in the result."""
    if not book.ok:
        raise ImportFailed(book.all_errors)
    reason = f"import {filename}"[:100]
    date = actions_bulk.switch_time(assigned_on) if assigned_on else None
    try:
        with transaction.atomic():
            plan = plan or Plan.objects.filter(year=year).first() or actions.create_plan(by=by, year=year)
            # one import into a plan at a time: a second one waits, then finds the codes the first created
            Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk", flat=True).first()
            writer = _Writer(book, plan, by, reason, date)
            writer.prepare()
            writer.write_all(_ordered(book.rows))
            if assigned_on is not None:
                writer.switch(assigned_on)
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
        assigned_on=staged.assigned_on,
    )


def preview(staged: TaskImport) -> Book:
    options = options_for(staged)
    if staged.pasted_text and not staged.filename:
        blocks = read_text(staged.pasted_text)
        return build_book(blocks, options, plan=staged.plan)
    return read_book(
        staged.filename, bytes(staged.content), options, plan=staged.plan, sheet=staged.sheet or None
    )


def set_mapping(
    staged: TaskImport, mapping: dict[str, str], assigned_on: datetime.date | None = None
) -> None:
    """The office's choices on the preview: a unit, a group, create or leave out per unknown name, and the
    day of the mid-year switch (None: import as drafts)."""
    staged.unit_mapping = mapping
    staged.assigned_on = assigned_on
    staged.save(update_fields=["unit_mapping", "assigned_on"])


def confirm(staged: TaskImport, *, by: Any) -> Applied:
    """Apply a staged import once; the preview is rebuilt from the stored file so it is what gets written.

    The import is claimed with a conditional UPDATE inside the transaction that writes it: of two clicks (or
    two people) at once exactly one imports, the other is told it has been applied; a failed import leaves
    it unclaimed."""
    if staged.applied_at is not None:
        raise ImportFailed([_("This import has already been applied.")])
    book = preview(staged)
    with transaction.atomic():
        claimed = TaskImport.objects.filter(pk=staged.pk, applied_at__isnull=True).update(
            applied_at=timezone.now()
        )
        if not claimed:
            raise ImportFailed([_("This import has already been applied.")])
        result = apply_book(
            book,
            year=staged.plan.year,
            by=by,
            filename=staged.filename or "pasted text",
            plan=staged.plan,
            assigned_on=staged.assigned_on,
        )
        TaskImport.objects.filter(pk=staged.pk).update(summary=result.as_dict())
    staged.refresh_from_db(fields=["applied_at", "summary"])
    return result
