"""`tongtui restore`: check the archive, then replace every row in one transaction and write its files.

Order: the archive is read and checked whole (members, sizes, checksums, schema) before the database is touched;
rows go in inside one transaction that also checks foreign keys and reads every table back against its digest;
files are written last, inside that transaction, and taken back if anything fails before it commits.
"""

import hashlib
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage, default_storage
from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from .archive import BackupError, Manifest, TableEntry, open_archive, read_manifest, verify
from .make import applied_migrations
from .media import Writer, walk
from .tables import MIGRATE_MADE, RowError, Table, counts, digest_of, load, set_high_water, tables, wipe


@dataclass
class RestoreResult:
    path: Path
    manifest: Manifest | None = None
    tables: int = 0
    rows: int = 0
    files_written: int = 0
    files_unchanged: int = 0
    restored: bool = False
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def check_schema(manifest: Manifest, connection: BaseDatabaseWrapper) -> dict[str, Table]:
    """The target's tables by name, once its migrations and columns match the backup's; else a clear refusal."""
    ours = applied_migrations(connection)
    theirs = manifest.migrations
    made_by = manifest.raw.get("tongtui_version", "?")
    problems = []
    for app in sorted(set(ours) | set(theirs)):
        extra = sorted(set(theirs.get(app, [])) - set(ours.get(app, [])))
        lacking = sorted(set(ours.get(app, [])) - set(theirs.get(app, [])))
        if extra:
            problems.append(
                f"{app}: the backup has migration {', '.join(extra)}, which this database has not "
                "applied (install the Tongtui version that made it, or newer, and run `tongtui migrate`)"
            )
        if lacking:
            problems.append(
                f"{app}: this database has migration {', '.join(lacking)}, which the backup predates "
                f"(restore into a database migrated only as far as the backup, with Tongtui {made_by}, "
                "then upgrade and run `tongtui migrate`)"
            )
    if problems:
        raise BackupError(
            f"This backup (Tongtui {made_by}) does not fit this database's schema; nothing was restored.\n  "
            + "\n  ".join(problems)
        )
    target = {t.name: t for t in tables()}
    archived = {t.table: t for t in manifest.tables}
    unknown = sorted(set(archived) - set(target))
    if unknown:
        raise BackupError(
            f"The backup holds tables this Tongtui does not know: {', '.join(unknown)}. Nothing was restored."
        )
    absent = sorted(set(target) - set(archived))
    if absent:
        raise BackupError(
            f"The backup lacks tables this Tongtui has: {', '.join(absent)}. Nothing was restored."
        )
    for name, entry in archived.items():
        if set(entry.columns) != set(target[name].columns):
            raise BackupError(
                f"Table {name}: the backup's columns ({', '.join(sorted(entry.columns))}) differ from this "
                f"database's ({', '.join(sorted(target[name].columns))}). Nothing was restored."
            )
    return target


def occupied(all_tables: list[Table], connection: BaseDatabaseWrapper) -> str:
    """What the database holds beyond what `migrate` writes itself ('' if nothing), largest tables first."""
    found = [
        (n, name) for name, n in counts(all_tables, connection).items() if n and name not in MIGRATE_MADE
    ]
    if not found:
        return ""
    found.sort(key=lambda f: (-f[0], f[1]))
    named = ", ".join(f"{name} {n}" for n, name in found[:6])
    return (
        f"{sum(n for n, _ in found)} rows in {len(found)} tables ({named}{', …' if len(found) > 6 else ''})"
    )


def _rows(zf: zipfile.ZipFile, entry: TableEntry) -> Iterator[bytes]:
    """The member's lines, hashed again as they are read: the bytes loaded are the bytes checked."""
    h = hashlib.sha256()
    with zf.open(entry.member) as f:
        for raw in f:
            h.update(raw)
            line = raw.rstrip(b"\n")
            if line:
                yield line
    if h.hexdigest() != entry.sha256:
        raise BackupError(f"{entry.member} changed while it was read; nothing was restored.")


def restore_backup(
    path: str | Path,
    *,
    using: str = "default",
    storage: Storage | None = None,
    force: bool = False,
    check_only: bool = False,
) -> RestoreResult:
    started = time.monotonic()
    result = RestoreResult(Path(path))
    connection = connections[using]
    storage = storage or default_storage
    with open_archive(str(path)) as zf:
        manifest = result.manifest = read_manifest(zf)
        target = check_schema(manifest, connection)
        for t in manifest.tables:
            verify(zf, t.member, t.size, t.sha256)
        for f in manifest.files:
            verify(zf, f.member, f.size, f.sha256)
        all_tables = list(target.values())
        rows_there = occupied(all_tables, connection)
        if check_only:  # the media storage is not read: a nightly check must not download every file
            if rows_there:
                result.notes.append(f"This database is not empty: it holds {rows_there}.")
            result.seconds = time.monotonic() - started
            return result
        writer = Writer(storage)
        try:
            todo, clashes = writer.plan(manifest.files)
            result.files_unchanged = writer.skipped
            if (rows_there or clashes) and not force:
                what = []
                if rows_there:
                    what.append(f"this database holds {rows_there}")
                if clashes:
                    what.append(
                        f"{len(clashes)} files in the media storage differ from the backup's "
                        f"(e.g. {clashes[0].name})"
                    )
                raise BackupError(
                    "Refusing to overwrite: " + "; ".join(what) + ". A restore replaces everything; "
                    "pass --force to do that (make a backup of this installation first)."
                )
            try:
                with transaction.atomic(using=using):
                    _load(zf, manifest, target, connection, result)
                    for entry in todo:
                        writer.write(zf, entry)
                    result.files_written = len(todo)
            except BaseException:
                writer.undo()
                raise
        finally:
            writer.close()
    ContentType.objects.clear_cache()  # the restored content types may have other ids
    result.restored = True
    archived = {f.name for f in manifest.files}
    extra = sum(1 for name in walk(storage) if name not in archived)
    if extra:
        result.notes.append(
            f"{extra} files in the media storage are not in the backup; they were left in place."
        )
    result.seconds = time.monotonic() - started
    return result


def _load(
    zf: zipfile.ZipFile,
    manifest: Manifest,
    target: dict[str, Table],
    connection: BaseDatabaseWrapper,
    result: RestoreResult,
) -> None:
    all_tables = list(target.values())
    wipe([name for name, n in counts(all_tables, connection).items() if n], connection)
    for entry in manifest.tables:
        if not entry.rows:
            continue
        try:
            n = load(target[entry.table], entry.columns, _rows(zf, entry), connection)
        except RowError as e:
            raise BackupError(f"Table {entry.table}, {e}. Nothing was restored.") from None
        except DatabaseError as e:
            raise BackupError(
                f"The database refused the rows of {entry.table}: {e}. Nothing was restored."
            ) from None
        if n != entry.rows:
            raise BackupError(
                f"Table {entry.table}: {n} rows read, the manifest says {entry.rows}. Nothing was restored."
            )
        result.rows += n
    result.tables = len(manifest.tables)
    marks = {t.table: t.high_water for t in manifest.tables if t.high_water is not None}
    set_high_water(marks, all_tables, connection)
    try:
        connection.check_constraints(table_names=list(target))
    except DatabaseError as e:
        raise BackupError(
            f"The backup's rows do not hold together (a foreign key): {e}. Nothing was restored."
        ) from None
    present = counts(all_tables, connection)
    for entry in manifest.tables:
        n = present[entry.table]
        if n != entry.rows:
            raise BackupError(
                f"Table {entry.table} holds {n} rows after loading, {entry.rows} expected. Nothing was restored."
            )
        if not n:
            continue
        digest = digest_of(target[entry.table], connection.alias, n)
        if (digest.rows, digest.hex) != (entry.rows, entry.digest):
            raise BackupError(
                f"Table {entry.table} reads back different from the backup. Nothing was restored."
            )
