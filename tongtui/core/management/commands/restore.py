from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongtui.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace this installation's rows and files with a backup made by `tongtui backup`, all or nothing, "
        "after checking the archive and that its schema matches this database's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .zip written by `tongtui backup`.")
        parser.add_argument(
            "--force",
            "--replace",
            action="store_true",
            dest="force",
            help="Replace a database that holds rows (and media files that differ). Everything in it is lost.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the archive (members, checksums) and that it fits this database; write nothing.",
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(
                options["archive"],
                using=options["database"],
                force=options["force"],
                check_only=options["check"],
            )
        except BackupError as e:
            raise CommandError(str(e)) from None
        manifest = result.manifest
        assert manifest is not None
        raw = manifest.raw
        rows = sum(t.rows for t in manifest.tables)
        made = (
            f"made {raw.get('created_at')} by Tongtui {raw.get('tongtui_version')} on "
            f"{raw.get('database', {}).get('vendor')}"
        )
        if not result.restored:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result.path} is sound ({made}): {len(manifest.tables)} tables, {rows} rows, "
                    f"{len(manifest.files)} files; checksums verified, schema matches this database."
                )
            )
            for note in result.notes:
                self.stdout.write(note + " Restoring over it needs --force.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {result.path} ({made}): {result.tables} tables, {result.rows} rows, "
                f"{result.files_written} files written ({result.files_unchanged} already there); "
                f"every table read back and verified, in {result.seconds:.1f} s."
            )
        )
        for note in result.notes:
            self.stdout.write(note)
