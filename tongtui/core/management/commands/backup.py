from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongtui.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Write every table's rows (history, logins and tokens included) and every uploaded file into one .zip "
        "that `tongtui restore` reads back, on SQLite or PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", help="Archive to write (default: tongtui-backup-YYYYMMDD-HHMMSS.zip here)."
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["output"] or f"tongtui-backup-{timezone.localtime():%Y%m%d-%H%M%S}.zip"
        try:
            result = make_backup(path, using=options["database"])
        except BackupError as e:
            raise CommandError(str(e)) from None
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.path}: {result.tables} tables, {result.rows} rows, {result.files} files "
                f"({result.file_bytes / 1e6:.1f} MB); archive {result.size / 1e6:.1f} MB in {result.seconds:.1f} s."
            )
        )
