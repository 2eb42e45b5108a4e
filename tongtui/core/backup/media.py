"""Uploaded files through Django's storage API (the file system, or S3-compatible storage alike)."""

import hashlib
import io
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files import File
from django.core.files.storage import Storage
from django.db import models

from .archive import BackupError, FileEntry, chunks

READ_CHUNK = 1024 * 1024
log = logging.getLogger(__name__)


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, sorted (an absent media folder is an empty one)."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for d in sorted(dirs):
        yield from walk(storage, f"{folder}/{d}" if folder else d)


def referenced(using: str) -> set[str]:
    """The file names that rows point at (history keeps a file's name as text, not as a file field)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                qs = (
                    model._base_manager.using(using)
                    .exclude(**{field.attname: ""})
                    .exclude(**{field.attname: None})
                )
                names.update(qs.values_list(field.attname, flat=True).iterator())
    return names


def sha256_of(storage: Storage, name: str) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as f:
        while block := f.read(READ_CHUNK):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


class _Stream(io.RawIOBase):
    """A zip member as a read-only, forward-only file for `Storage.save`, capped at the manifest's size."""

    def __init__(self, zf: zipfile.ZipFile, entry: FileEntry) -> None:
        super().__init__()
        self._chunks = chunks(zf, entry.member, entry.size)
        self._buffer = memoryview(b"")
        self.size = entry.size
        self.name = entry.name

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buffer:
            block = next(self._chunks, None)
            if block is None:
                return 0
            self._buffer = memoryview(block)
        n = min(len(b), len(self._buffer))
        b[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]  # a view: no copy of the rest
        return n


class Writer:
    """Writes the archive's files into the storage and can take every write back: files it added are deleted,
    files it replaced are put back from a private copy kept until the restore is over."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.added: list[str] = []
        self.replaced: list[tuple[str, Path]] = []
        self.skipped = 0
        self._keep = Path(tempfile.mkdtemp(prefix="tongtui-restore-"))
        self._keep_copies = False

    def plan(self, entries: list[FileEntry]) -> tuple[list[FileEntry], list[FileEntry]]:
        """(files to write, of which those that replace a different file already in the storage)."""
        todo, clashes = [], []
        for entry in entries:
            if self.storage.exists(entry.name):
                if sha256_of(self.storage, entry.name) == (entry.size, entry.sha256):
                    self.skipped += 1
                    continue
                clashes.append(entry)
            todo.append(entry)
        return todo, clashes

    def write(self, zf: zipfile.ZipFile, entry: FileEntry) -> None:
        name = entry.name
        if self.storage.exists(name):
            kept = self._keep / str(len(self.replaced))
            with self.storage.open(name, "rb") as src, kept.open("wb") as dst:
                shutil.copyfileobj(src, dst, READ_CHUNK)
            self.replaced.append((name, kept))
            self.storage.delete(name)
        saved = self.storage.save(name, File(_Stream(zf, entry), name=name))  # type: ignore[arg-type]
        self.added.append(saved)
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}; the restore needs the same names.")
        if sha256_of(self.storage, name) != (entry.size, entry.sha256):
            raise BackupError(f"{name} reads back different from the archive after writing it.")

    def undo(self) -> None:
        """Take every write back, carrying on past a file that fails (the error that caused the undo matters
        more); what could not be taken back is logged."""
        for name in reversed(self.added):
            try:
                self.storage.delete(name)
            except Exception:
                log.exception("restore: could not delete %s after a failed restore", name)
        for name, kept in reversed(self.replaced):
            try:
                with kept.open("rb") as f:
                    if self.storage.exists(name):
                        self.storage.delete(name)
                    self.storage.save(name, File(f, name=name))
            except Exception:
                log.exception(
                    "restore: could not put %s back after a failed restore (its copy: %s)", name, kept
                )
                self._keep_copies = True
        self.added, self.replaced = [], []

    def close(self) -> None:
        if not self._keep_copies:
            shutil.rmtree(self._keep, ignore_errors=True)
