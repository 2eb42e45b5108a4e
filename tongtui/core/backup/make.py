"""`tongtui backup`: every table and every uploaded file into one archive, from one consistent snapshot."""

import contextlib
import datetime
import importlib.metadata
import json
import os
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.core.files.storage import Storage, default_storage
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

from . import media
from .archive import FORMAT, FORMAT_VERSION, MANIFEST, BackupError, HashingWriter, file_member, table_member
from .tables import Digest, counts, high_water, lines, tables


@dataclass
class BackupResult:
    path: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    size: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def tongtui_version() -> str:
    try:
        return importlib.metadata.version("tongtui")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        raise BackupError("This database has no Tongtui tables yet: run `tongtui migrate` first.")
    by_app: dict[str, list[str]] = {}
    for app, name in recorder.applied_migrations():
        by_app.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(by_app.items())}


@contextlib.contextmanager
def snapshot(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """One read transaction for every table: a consistent picture while the application keeps writing.

    PostgreSQL: REPEATABLE READ, READ ONLY. SQLite (WAL): a deferred transaction, so that writers are not held
    up by the project's IMMEDIATE mode while the backup reads."""
    if connection.in_atomic_block:  # already in a transaction (tests): it is the snapshot
        yield
        return
    mode = getattr(connection, "transaction_mode", None)
    if connection.vendor == "sqlite":
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
    try:
        with transaction.atomic(using=connection.alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = mode  # type: ignore[attr-defined]


def make_backup(path: str | Path, *, using: str = "default", storage: Storage | None = None) -> BackupResult:
    """Write the archive to `path` (via `path.partial`, renamed once complete; readable by its owner only)."""
    path = Path(path)
    started = time.monotonic()
    result = BackupResult(path)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # password hashes and tokens inside
    try:
        with os.fdopen(fd, "wb") as out:
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                _write(zf, result, connections[using], storage or default_storage)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    result.size = path.stat().st_size
    result.seconds = time.monotonic() - started
    return result


def _write(
    zf: zipfile.ZipFile, result: BackupResult, connection: BaseDatabaseWrapper, storage: Storage
) -> None:
    created = datetime.datetime.now(datetime.UTC)
    stamp = created.timetuple()[:6]
    using = connection.alias
    table_entries: list[dict[str, Any]] = []
    with snapshot(connection):
        migrations = applied_migrations(connection)
        all_tables = tables()
        known = {t.name for t in all_tables}
        sizes = counts(all_tables, connection)
        marks = high_water(all_tables, connection)
        for table in all_tables:
            digest = Digest()
            info = zipfile.ZipInfo(table_member(table.name), stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as member:
                writer = HashingWriter(member)
                batch: list[bytes] = []
                for line, canonical in lines(table, using, sizes[table.name]) if sizes[table.name] else ():
                    digest.add(canonical)
                    batch.append(line)
                    if len(batch) == 500:  # the compressor is called per write: not per row
                        writer.write(b"\n".join(batch) + b"\n")
                        batch = []
                if batch:
                    writer.write(b"\n".join(batch) + b"\n")
            table_entries.append(
                {
                    "table": table.name,
                    "model": table.label,
                    "columns": table.columns,
                    "rows": digest.rows,
                    "digest": digest.hex,
                    "member": table_member(table.name),
                    "size": writer.size,
                    "sha256": writer.sha.hexdigest(),
                    "high_water": marks.get(table.name),
                }
            )
            result.rows += digest.rows
        with connection.cursor() as cursor:
            others = set(connection.introspection.table_names(cursor)) - known - {"django_migrations"}
        wanted = media.referenced(using)
    result.tables = len(table_entries)
    if others:
        result.warnings.append(f"Tables no model describes were left out: {', '.join(sorted(others))}.")

    file_entries: list[dict[str, Any]] = []
    for name in media.walk(storage):
        info = zipfile.ZipInfo(file_member(name), stamp)
        info.compress_type = zipfile.ZIP_STORED  # photos, PDFs and Office files are compressed already
        with storage.open(name, "rb") as src, zf.open(info, "w", force_zip64=True) as member:
            writer = HashingWriter(member)
            while block := src.read(media.READ_CHUNK):
                writer.write(block)
        file_entries.append(
            {"name": name, "member": file_member(name), "size": writer.size, "sha256": writer.sha.hexdigest()}
        )
        result.file_bytes += writer.size
    result.files = len(file_entries)
    missing = sorted(wanted - {f["name"] for f in file_entries})
    if missing:
        result.warnings.append(
            f"{len(missing)} files named by rows are not in the storage (e.g. {missing[0]}); "
            "the backup has the rows without them."
        )

    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tongtui_version": tongtui_version(),
        "django_version": django.get_version(),
        "created_at": created.isoformat(),
        "database": {"vendor": connection.vendor},
        "migrations": migrations,
        "tables": table_entries,
        "files": file_entries,
        "missing_files": missing,
        "skipped_tables": sorted(others),
    }
    zf.writestr(
        zipfile.ZipInfo(MANIFEST, stamp),
        json.dumps(manifest, ensure_ascii=False, indent=1),
        compress_type=zipfile.ZIP_DEFLATED,
    )
