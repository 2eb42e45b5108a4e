"""Every table's rows as JSON lines that read the same on SQLite and PostgreSQL.

A row is a JSON array of its columns' values, in the order the manifest lists them. Values are written by their
Python type (dates and times in ISO 8601, decimals and UUIDs as strings, durations in microseconds, bytes in
base64, JSON fields as they are) and read back by the field's own `to_python`, then handed to the database
through the field's `get_db_prep_save`, as the ORM itself would. Rows are streamed in chunks both ways.

A table's digest is the sum of its rows' SHA-256 modulo 2**256: independent of the order the database returns
rows in (collations differ between the vendors), so a restore can be checked against the backup by reading the
restored table again.
"""

import base64
import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

CHUNK = 2000
MOD = 2**256

# Rows that `migrate` itself writes: a freshly migrated database holds these and is still empty.
MIGRATE_MADE = {"django_content_type", "auth_permission"}


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    name: str
    fields: tuple[models.Field, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]

    @property
    def has_json(self) -> bool:
        return any(isinstance(f, models.JSONField) for f in self.fields)

    @property
    def autoincrement(self) -> models.Field | None:
        pk = self.model._meta.pk
        return pk if isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField) else None


def tables() -> list[Table]:
    """Every table Django manages here (history, m2m, auth, tokens, task results, axes included), by name."""
    found: dict[str, Table] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        fields = tuple(
            f for f in meta.concrete_fields if not getattr(f, "generated", False)
        )  # computed columns
        found.setdefault(meta.db_table, Table(model, meta.db_table, fields))
    return [found[name] for name in sorted(found)]


_AS_IS = frozenset([str, int, bool, float, dict, list, type(None)])


def encode(value: Any) -> Any:
    if type(value) in _AS_IS or isinstance(value, bool | int | str | float | dict | list):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value // datetime.timedelta(microseconds=1)
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot write a {type(value).__name__} value")


def _kind(field: models.Field) -> models.Field:
    """The field whose type the column holds (a foreign key holds its target's)."""
    while field.is_relation and getattr(field, "target_field", None) is not None:
        field = field.target_field  # type: ignore[attr-defined]
    return field


def decode(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    kind = _kind(field)
    if isinstance(kind, models.JSONField):
        return value
    if isinstance(kind, models.BinaryField):
        return base64.b64decode(value, validate=True)
    if isinstance(kind, models.DurationField):
        if not isinstance(value, int):
            raise ValueError("a duration must be a whole number of microseconds")
        return datetime.timedelta(microseconds=value)
    return kind.to_python(value)


# Columns whose JSON value is already what the database takes: only its type is checked.
_PLAIN = {
    **dict.fromkeys(["CharField", "TextField", "SlugField", "EmailField", "URLField", "FileField"], str),
    **dict.fromkeys(
        [
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
        ],
        int,
    ),  # fmt: skip
    "BooleanField": bool,
}


def reader(field: models.Field, connection: BaseDatabaseWrapper) -> Any:
    """A function from the archive's value for the column to the parameter the database is given."""
    wanted = _PLAIN.get(_kind(field).get_internal_type())
    if wanted is not None:

        def plain(value: Any) -> Any:
            if value is None or type(value) is wanted:
                return value
            raise ValueError(f"{field.column}: {value!r} is not of type {wanted.__name__}")

        return plain
    return lambda value: field.get_db_prep_save(decode(field, value), connection)


def line_of(values: Iterable[Any], *, canonical: bool = False) -> bytes:
    """A row as one JSON line. JSON objects keep their key order (SQLite gives back the very text it stored);
    the canonical form sorts them, as PostgreSQL's jsonb does, for the digest."""
    return json.dumps(
        [encode(v) for v in values], ensure_ascii=False, sort_keys=canonical, separators=(",", ":")
    ).encode()


class Digest:
    def __init__(self) -> None:
        self.rows = 0
        self.total = 0

    def add(self, line: bytes) -> None:
        self.rows += 1
        self.total = (self.total + int.from_bytes(hashlib.sha256(line).digest(), "big")) % MOD

    @property
    def hex(self) -> str:
        return f"{self.total:064x}"


def lines(table: Table, using: str, rows: int | None = None) -> Iterator[tuple[bytes, bytes]]:
    """The table's rows as (JSON line, its canonical form); streamed through a server-side cursor on PostgreSQL
    unless `rows` says the table is small enough to fetch at once."""
    attnames = [f.attname for f in table.fields]
    qs = table.model._base_manager.using(using).order_by("pk").values_list(*attnames)
    has_json = table.has_json
    for row in qs if rows is not None and rows <= CHUNK else qs.iterator(chunk_size=CHUNK):
        line = line_of(row)
        yield line, (line_of(row, canonical=True) if has_json else line)


def digest_of(table: Table, using: str, rows: int | None = None) -> Digest:
    digest = Digest()
    for _, canonical in lines(table, using, rows):
        digest.add(canonical)
    return digest


def counts(all_tables: list[Table], connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Every table's row count, a hundred tables to a query."""
    qn = connection.ops.quote_name
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for i in range(0, len(all_tables), 100):
            part = all_tables[i : i + 100]
            cursor.execute(
                " UNION ALL ".join(f"SELECT {j}, COUNT(*) FROM {qn(t.name)}" for j, t in enumerate(part))
            )
            for j, n in cursor.fetchall():
                found[part[j].name] = int(n)
    return found


def wipe(names: list[str], connection: BaseDatabaseWrapper) -> None:
    """Empty the tables; foreign keys are deferred and checked once the rows are back. DELETE rather than
    TRUNCATE: the same statement on both vendors, and PostgreSQL's TRUNCATE (new files for every table and index,
    synced at commit) costs more than it saves until tables hold millions of rows."""
    qn = connection.ops.quote_name
    statements = [f"DELETE FROM {qn(name)}" for name in names]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and statements:
            cursor.execute("; ".join(statements))  # one round trip
        else:
            for sql in statements:
                cursor.execute(sql)


class RowError(ValueError):
    pass


def load(table: Table, columns: list[str], source: Iterable[bytes], connection: BaseDatabaseWrapper) -> int:
    """Insert the JSON lines of `source` (columns in the archive's order) in batches; return the row count."""
    by_column = {f.column: f for f in table.fields}
    readers = [reader(by_column[c], connection) for c in columns]
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(table.name)} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    batch: list[list[Any]] = []
    n = 0
    with connection.cursor() as cursor:
        for n, raw in enumerate(source, start=1):
            try:
                values = json.loads(raw)
                if not isinstance(values, list) or len(values) != len(readers):
                    raise ValueError(f"expected {len(readers)} values")
                batch.append([read(v) for read, v in zip(readers, values, strict=True)])
            except (ValueError, TypeError, ArithmeticError) as e:
                raise RowError(f"row {n}: {e}") from e
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return n


# --- id sequences: kept at the backup's high-water mark, so that an id once used (and still named in history)
# is never handed out again after a restore.


def high_water(all_tables: list[Table], connection: BaseDatabaseWrapper) -> dict[str, int]:
    """The last id handed out for each table with an id sequence, deleted rows included (two queries in all)."""
    auto = [t for t in all_tables if t.autoincrement is not None]
    if not auto:
        return {}
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        maxima = {}
        for i in range(0, len(auto), 100):
            part = auto[i : i + 100]
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT {j}, MAX({qn(t.autoincrement.column)}) FROM {qn(t.name)}"  # type: ignore[union-attr]
                    for j, t in enumerate(part)
                )
            )
            maxima.update({part[j].name: int(m or 0) for j, m in cursor.fetchall()})
        issued: dict[str, int] = {}
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            issued = {name: int(seq or 0) for name, seq in cursor.fetchall()}
        elif connection.vendor == "postgresql":
            values = ", ".join(["(%s, %s)"] * len(auto))
            params = [x for t in auto for x in (qn(t.name), t.autoincrement.column)]  # type: ignore[union-attr]
            cursor.execute(
                f"SELECT v.t, s.last_value FROM (VALUES {values}) AS v(t, c) "
                "JOIN pg_sequences s ON pg_get_serial_sequence(v.t, v.c) = "
                "quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename)",
                params,
            )
            issued = {qn_name.strip('"'): int(last or 0) for qn_name, last in cursor.fetchall()}
    return {t.name: max(maxima[t.name], issued.get(t.name, 0)) for t in auto}


def set_high_water(marks: dict[str, int], all_tables: list[Table], connection: BaseDatabaseWrapper) -> None:
    """Each id sequence at the backup's mark, or past the highest id present if that is higher."""
    auto = [t for t in all_tables if t.autoincrement is not None and t.name in marks]
    if not auto:
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for t in auto:
                cursor.execute(f"SELECT MAX({qn(t.autoincrement.column)}) FROM {qn(t.name)}")  # type: ignore[union-attr]
                value = max(marks[t.name], cursor.fetchone()[0] or 0)
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [t.name])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [t.name, value])
        elif connection.vendor == "postgresql":
            for i in range(0, len(auto), 100):
                exprs, params = [], []
                for t in auto[i : i + 100]:
                    col = t.autoincrement.column  # type: ignore[union-attr]
                    top = f"GREATEST(%s, (SELECT COALESCE(MAX({qn(col)}), 0) FROM {qn(t.name)}))"
                    exprs.append(f"setval(pg_get_serial_sequence(%s, %s), GREATEST({top}, 1), {top} > 0)")
                    params += [qn(t.name), col, marks[t.name], marks[t.name]]
                cursor.execute("SELECT " + ", ".join(exprs), params)
        else:
            from django.core.management.color import no_style

            for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in auto]):
                cursor.execute(sql)
