"""tongtui import_tasks FILE --plan YEAR [--dry-run] [--create-units] [--lead-rule first|none] [--by USER] [--sheet]
[--assigned-on DATE]"""

import argparse
import datetime
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tongtui.core.system import actor_for_command
from tongtui.plans.importing.apply import ImportFailed, apply_book, read_book
from tongtui.plans.importing.book import LEAD_RULES, Book, Options
from tongtui.plans.importing.preview import row_cells
from tongtui.plans.importing.readers import EXTENSIONS, UnreadableFile
from tongtui.plans.importing.suggest import Suggester
from tongtui.plans.models import Plan

COLUMNS = ("row", "code", "action", "title", "lead", "co-units", "leader", "owner", "due", "steps", "notes")
WIDTHS = (6, 8, 9, 24, 12, 18, 8, 8, 10, 5, 5)


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-07-01") from None


def _fit(text: str, width: int) -> str:
    """Cut to a display width, counting a Chinese character as two columns."""
    out: list[str] = []
    used = 0
    for ch in text.replace("\n", " "):
        w = 2 if ord(ch) > 0x2E80 else 1
        if used + w > width:
            out[-1:] = ["…"] if out else []
            used = width
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


class Command(BaseCommand):
    help = "Import a task book (任务分解表) from .xlsx, .csv, .docx or pasted text into a plan year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help='the task book; "-" reads pasted text from standard input')
        parser.add_argument("--plan", type=int, required=True, help="the plan year, e.g. 2026")
        parser.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
        parser.add_argument(
            "--create-units",
            action="store_true",
            help="create units that match no known unit, and unit groups for collective names (filled later)",
        )
        parser.add_argument(
            "--lead-rule",
            choices=LEAD_RULES,
            default="first",
            help="first: the first 责任单位 leads (default); none: leave the lead empty",
        )
        parser.add_argument("--by", help="username to act as (default: the system account)")
        parser.add_argument("--sheet", help="read only this sheet of an .xlsx workbook")
        parser.add_argument(
            "--assigned-on",
            type=_day,
            metavar="DATE",
            help="the mid-year switch: import every complete task as assigned and acknowledged on this day "
            "(YYYY-MM-DD), history dated then; incomplete tasks stay drafts and are listed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        filename: str = options["file"]
        if filename == "-":
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        else:
            path = Path(filename)
            if path.suffix.lower() not in EXTENSIONS:
                raise CommandError(
                    _("%(file)s: only .xlsx, .csv, .docx and .txt files can be imported.")
                    % {"file": filename}
                )
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{filename}: {exc.strerror}") from None
        year = options["plan"]
        plan = Plan.objects.filter(year=year).first()
        assigned_on: datetime.date | None = options.get("assigned_on")
        opts = Options(
            year=year,
            lead_rule=options["lead_rule"],
            create_units=options["create_units"],
            assigned_on=assigned_on,
        )
        try:
            book = read_book(
                Path(filename).name if filename != "-" else "-",
                data,
                opts,
                plan=plan,
                sheet=options.get("sheet"),
            )
        except UnreadableFile as exc:
            raise CommandError(f"{filename}: {exc}") from None
        read_at = time.perf_counter()
        self.show(book, verbose=options["verbosity"] >= 2)
        if not book.ok:
            raise CommandError("\n".join([_("Nothing was imported:"), *book.all_errors]))
        if assigned_on is not None:
            self.show_switch(book, assigned_on)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
            if options["verbosity"] >= 2:
                self.stdout.write(f"time: read and preview {read_at - started:.2f} s")
            return
        by = actor_for_command(options.get("by"))
        try:
            result = apply_book(
                book,
                year=year,
                by=by,
                filename=Path(filename).name if filename != "-" else "stdin",
                assigned_on=assigned_on,
            )
        except ImportFailed as exc:
            raise CommandError("\n".join([_("Nothing was imported:"), *exc.messages])) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported into %(year)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged; "
                    "%(units)d units, %(groups)d unit groups, %(posts)d posts, %(people)d people and "
                    "%(categories)d categories created."
                )
                % {"year": result.plan.year, **result.as_dict()}
            )
        )
        if assigned_on is not None:
            self.stdout.write(
                _("%(n)d tasks assigned and acknowledged on %(day)s.")
                % {"n": result.assigned, "day": assigned_on.isoformat()}
            )
            if result.drafts:
                self.stdout.write(_("Stay drafts until they are complete:"))
                for line in result.drafts:
                    self.stdout.write("  " + line)
        if options["verbosity"] >= 2:
            done = time.perf_counter()
            self.stdout.write(
                f"time: read and preview {read_at - started:.2f} s, write {done - read_at:.2f} s"
            )

    def show_switch(self, book: Book, day: datetime.date) -> None:
        assigning = sum(1 for r in book.rows if r.assign)
        self.stdout.write(
            _("The mid-year switch: %(n)d tasks to assign and acknowledge on %(day)s.")
            % {"n": assigning, "day": day.isoformat()}
        )
        if book.drafts:
            self.stdout.write(_("Stay drafts until they are complete:"))
            for row in book.drafts:
                self.stdout.write(f"  {row.code}: " + "、".join(row.missing))

    def show(self, book: Book, verbose: bool) -> None:
        self.stdout.write("  ".join(_fit(c, w) for c, w in zip(COLUMNS, WIDTHS, strict=True)).rstrip())
        for row in book.rows:
            cells = row_cells(row)
            values = (
                row.ref,
                row.code,
                cells["action"],
                row.title,
                cells["lead"],
                cells["co"],
                cells["leader"],
                cells["owner"],
                cells["due"],
                str(len(row.milestones or [])),
                ("E" if row.errors else "") + ("W" if row.warnings else ""),
            )
            self.stdout.write("  ".join(_fit(v, w) for v, w in zip(values, WIDTHS, strict=True)).rstrip())
        if book.ignored_columns:
            self.stdout.write(
                _("Columns not imported: %(names)s") % {"names": "、".join(book.ignored_columns)}
            )
        if book.unknown_units:
            self.stdout.write(
                _(
                    "Names that match no unit or unit group (add aliases, or use --create-units to create them):"
                )
            )
            suggester = Suggester(book.directory) if book.directory is not None else None
            for item in book.unknown_units.values():
                kind = _(" (collective name)") if item.collective else ""
                lead = _(" (lead: the task stays a draft)") if item.as_lead else ""
                guesses = suggester.suggest(item.name, limit=3) if suggester else []
                maybe = (
                    (" " + _("perhaps: %(names)s") % {"names": "、".join(g.label for g in guesses)})
                    if guesses
                    else ""
                )
                self.stdout.write(
                    f"  {item.name}{kind}{lead}: "
                    + _("rows %(rows)s") % {"rows": ", ".join(item.refs[:20])}
                    + maybe
                )
        if book.new_units:
            self.stdout.write(_("Units to create: %(names)s") % {"names": "、".join(book.new_units.values())})
        if book.new_groups:
            self.stdout.write(
                _("Unit groups to create (to fill later): %(names)s")
                % {"names": "、".join(book.new_groups.values())}
            )
        posts = sorted(
            {h.label or h.written for r in book.rows for h in (r.leader, r.owner) if h and h.kind == "post"}
        )
        if posts:
            self.stdout.write(
                _("Posts named instead of people (fill each once): %(names)s") % {"names": "、".join(posts)}
            )
        if book.new_people:
            names = "、".join(h.name for h in book.new_people.values())
            self.stdout.write(_("People to create: %(names)s") % {"names": names})
        if book.new_categories:
            self.stdout.write(
                _("Categories to create: %(names)s") % {"names": "、".join(book.new_categories)}
            )
        warnings = book.warnings + [w for r in book.rows for w in r.warnings]
        if warnings and (verbose or len(warnings) <= 50):
            self.stdout.write(_("Warnings:"))
            for w in warnings:
                self.stdout.write("  " + w)
        elif warnings:
            self.stdout.write(_("%(n)d warnings (use -v 2 to list them).") % {"n": len(warnings)})
        self.stdout.write(book.summary())
