"""The archive: one .zip holding `manifest.json`, `tables/<table>.jsonl` and `media/<storage name>`.

Zip rather than tar, because its directory sits at the end: the manifest (written last, when the counts and
checksums are known) is read first, and every member is checked against it before anything is trusted.
"""

import hashlib
import json
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

FORMAT = "tongtui-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
READ_CHUNK = 1024 * 1024

_HEX64 = re.compile(r"[0-9a-f]{64}")
_TABLE = re.compile(r"[A-Za-z0-9_]+")


class BackupError(Exception):
    """A backup that cannot be made, read or restored; the message says why and what to do."""


@dataclass(frozen=True)
class TableEntry:
    table: str
    model: str
    columns: list[str]
    rows: int
    digest: str
    member: str
    size: int
    sha256: str
    high_water: int | None


@dataclass(frozen=True)
class FileEntry:
    name: str
    member: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    raw: dict[str, Any]
    tables: list[TableEntry]
    files: list[FileEntry]

    @property
    def migrations(self) -> dict[str, list[str]]:
        return self.raw["migrations"]


def table_member(table: str) -> str:
    return f"tables/{table}.jsonl"


def file_member(name: str) -> str:
    return f"media/{name}"


def safe_name(name: str) -> bool:
    """A relative POSIX path with no way out of its folder: no '..', no absolute path, no backslash or drive."""
    if not name or len(name) > 1024 or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    if re.match(r"^[A-Za-z]:", name) or any(ord(c) < 32 for c in name):
        return False
    parts = name.split("/")
    return all(part not in ("", ".", "..") for part in parts) and posixpath.normpath(name) == name


def _need(cond: bool, what: str) -> None:
    if not cond:
        raise BackupError(f"The archive's manifest is malformed: {what}.")


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def parse_manifest(raw: Any) -> Manifest:
    _need(isinstance(raw, dict), "not an object")
    if raw.get("format") != FORMAT:
        raise BackupError("This is not a Tongtui backup (its manifest does not say format 'tongtui-backup').")
    version = raw.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"This backup is in format version {version!r}; this Tongtui reads format version {FORMAT_VERSION} only. "
            f"It was made by Tongtui {raw.get('tongtui_version', '?')}: restore it with that version."
        )
    migrations = raw.get("migrations")
    _need(
        isinstance(migrations, dict)
        and all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(n, str) for n in v)
            for k, v in migrations.items()
        ),
        "'migrations' must map each app to its applied migrations",
    )
    tables: list[TableEntry] = []
    _need(isinstance(raw.get("tables"), list), "'tables' must be a list")
    for t in raw["tables"]:
        _need(isinstance(t, dict), "a table entry is not an object")
        name = t.get("table")
        _need(isinstance(name, str) and bool(_TABLE.fullmatch(name)), f"bad table name {name!r}")
        _need(t.get("member") == table_member(name), f"table {name}: its member must be {table_member(name)}")
        _need(isinstance(t.get("model"), str), f"table {name}: no model")
        cols = t.get("columns")
        _need(
            isinstance(cols, list)
            and bool(cols)
            and all(isinstance(c, str) for c in cols)
            and len(set(cols)) == len(cols),
            f"table {name}: bad columns",
        )
        _need(_int(t.get("rows")) and _int(t.get("size")), f"table {name}: bad rows or size")
        _need(
            all(isinstance(t.get(k), str) and _HEX64.fullmatch(t[k]) for k in ("digest", "sha256")),
            f"table {name}: bad checksums",
        )
        _need(t.get("high_water") is None or _int(t.get("high_water")), f"table {name}: bad high_water")
        tables.append(
            TableEntry(
                name,
                t["model"],
                cols,
                t["rows"],
                t["digest"],
                t["member"],
                t["size"],
                t["sha256"],
                t.get("high_water"),
            )
        )
    files: list[FileEntry] = []
    _need(isinstance(raw.get("files"), list), "'files' must be a list")
    for f in raw["files"]:
        _need(isinstance(f, dict), "a file entry is not an object")
        name = f.get("name")
        if not isinstance(name, str) or not safe_name(name):
            raise BackupError(
                f"The archive names a file with an unsafe path: {name!r}. Nothing was restored."
            )
        _need(f.get("member") == file_member(name), f"file {name}: its member must be {file_member(name)}")
        _need(_int(f.get("size")), f"file {name}: bad size")
        _need(
            isinstance(f.get("sha256"), str) and bool(_HEX64.fullmatch(f["sha256"])),
            f"file {name}: bad sha256",
        )
        files.append(FileEntry(name, f["member"], f["size"], f["sha256"]))
    _need(len({t.table for t in tables}) == len(tables), "a table is listed twice")
    _need(len({f.name for f in files}) == len(files), "a file is listed twice")
    return Manifest(raw, tables, files)


def open_archive(path: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"No such file: {path}") from None
    except (zipfile.BadZipFile, OSError) as e:
        raise BackupError(f"{path} is not a readable backup archive (a .zip): {e}") from None


def read_manifest(zf: zipfile.ZipFile) -> Manifest:
    """The manifest, after checking that every member of the archive is one it lists, with the size it says."""
    names = zf.namelist()
    for name in names:
        if not safe_name(name):
            raise BackupError(
                f"The archive holds a member with an unsafe path: {name!r}. Nothing was restored."
            )
    if len(set(names)) != len(names):
        raise BackupError("The archive holds a member twice. Nothing was restored.")
    if MANIFEST not in names:
        raise BackupError("This is not a Tongtui backup: it has no manifest.json.")
    info = zf.getinfo(MANIFEST)
    if info.file_size > MANIFEST_MAX_BYTES:
        raise BackupError("The archive's manifest is implausibly large.")
    try:
        with zf.open(info) as f:
            raw = json.loads(f.read(MANIFEST_MAX_BYTES + 1))
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise BackupError(f"The archive's manifest cannot be read: {e}") from None
    manifest = parse_manifest(raw)
    expected = {t.member: t.size for t in manifest.tables} | {f.member: f.size for f in manifest.files}
    unknown = sorted(set(names) - set(expected) - {MANIFEST})
    if unknown:
        raise BackupError(f"The archive holds members its manifest does not list: {', '.join(unknown[:5])}.")
    missing = sorted(set(expected) - set(names))
    if missing:
        raise BackupError(f"The archive lacks members its manifest lists: {', '.join(missing[:5])}.")
    for member, size in expected.items():
        if zf.getinfo(member).file_size != size:
            raise BackupError(f"{member}: {zf.getinfo(member).file_size} bytes, the manifest says {size}.")
    return manifest


def chunks(zf: zipfile.ZipFile, member: str, size: int) -> Any:
    """The member's bytes in chunks; never more than the manifest's size, and raises if they differ."""
    read = 0
    try:
        with zf.open(member) as f:
            while block := f.read(min(READ_CHUNK, size - read + 1)):
                read += len(block)
                if read > size:
                    raise BackupError(f"{member} is longer than its manifest says.")
                yield block
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise BackupError(f"{member} is damaged: {e}") from None
    if read != size:
        raise BackupError(f"{member} is shorter than its manifest says.")


def verify(zf: zipfile.ZipFile, member: str, size: int, sha256: str) -> None:
    h = hashlib.sha256()
    for block in chunks(zf, member, size):
        h.update(block)
    if h.hexdigest() != sha256:
        raise BackupError(
            f"{member} does not match its checksum in the manifest: the archive is damaged or altered."
        )


class HashingWriter:
    """Writes into a zip member while counting and hashing what went in."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.size = 0
        self.sha = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.out.write(data)
        self.size += len(data)
        self.sha.update(data)
