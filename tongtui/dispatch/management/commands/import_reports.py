"""tongtui import_reports FILE --plan YEAR [--dry-run] [--by USERNAME] [--sheet NAME]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongtui.core.system import actor_for_command
from tongtui.dispatch.importing.matching import CREATE, UPDATE, Preview
from tongtui.dispatch.importing.write import ImportFailed, apply_preview, read_preview
from tongtui.dispatch.schedule import period_label
from tongtui.plans.importing.readers import UnreadableFile
from tongtui.plans.models import Plan

EXTENSIONS = (".xlsx", ".csv")


class Command(BaseCommand):
    help = (
        "Import an office's progress history (进展台账) from an .xlsx or .csv ledger: one row per task and "
        "period, or one column per month. Imported reports are accepted and marked imported. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the ledger, .xlsx or .csv")
        parser.add_argument("--plan", type=int, required=True, help="the plan year, e.g. 2026")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--by", help="username to act as, an office user (default: the system account)")
        parser.add_argument("--sheet", help="read only this sheet of an .xlsx workbook")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if path.suffix.lower() not in EXTENSIONS:
            raise CommandError(f"{path}: only {', '.join(EXTENSIONS)} ledgers can be imported.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        plan = Plan.objects.filter(year=options["plan"]).first()
        if plan is None:
            raise CommandError(f"There is no plan year {options['plan']}; import its task book first.")
        by = actor_for_command(options.get("by"))
        try:
            preview = read_preview(path.name, data, plan, sheet=options.get("sheet"))
        except UnreadableFile as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.show(preview, verbose=options["verbosity"] >= 2)
        try:
            result = apply_preview(preview, by=by, filename=path.name, dry_run=options["dry_run"])
        except ImportFailed as exc:
            raise CommandError("\n".join(["nothing was imported:", *exc.messages])) from None
        summary = (
            f"{result.created} reports new, {result.updated} updated, {result.unchanged} unchanged; "
            f"progress of {result.tasks_progressed} tasks brought up to date."
        )
        if options["dry_run"]:
            self.stdout.write(f"dry run, nothing was written: {summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"imported into {plan.year}: {summary}"))

    def show(self, preview: Preview, verbose: bool) -> None:
        ledger = preview.ledger
        self.stdout.write(f"{ledger.form or '?'} form, {len(preview.items)} reports read.")
        if ledger.ignored_columns:
            self.stdout.write("ignored columns: " + "、".join(ledger.ignored_columns))
        if verbose:
            for item in preview.items:
                period = period_label(item.period.start, item.period.end) if item.period else "?"
                task = item.task.code if item.task else "?"
                progress = "" if item.entry.progress is None else f"{item.entry.progress:g}%"
                mark = {CREATE: "new", UPDATE: "update"}.get(item.action, item.action)
                self.stdout.write(f"  row {item.ref}: task {task} {period} {progress} {mark}")
        warnings = preview.warnings
        if warnings and (verbose or len(warnings) <= 30):
            self.stdout.write("warnings:")
            for w in warnings:
                self.stdout.write("  " + w)
        elif warnings:
            self.stdout.write(f"{len(warnings)} warnings (use -v 2 to list them).")
