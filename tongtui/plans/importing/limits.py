"""How much of a file an import reads, checked before any parser opens it.

An .xlsx or .docx file is a zip archive: its members' sizes are read from the archive's directory (cheap, and
Python's zipfile never inflates a member beyond the size it declares), so a small file that would inflate to
hundreds of megabytes is refused before openpyxl or python-docx sees it. Rows, cells and merged ranges are
counted while reading, and reading stops at the first one over the limit.
"""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULTS = {
    "IMPORT_MAX_BYTES": 20 * 1024 * 1024,  # the upload itself
    "IMPORT_MAX_ROWS": 10_000,  # non-empty rows (lines of pasted text) in the whole file
    "IMPORT_MAX_CELLS": 1_000_000,  # cells read, empty ones included
    "IMPORT_MAX_MERGED": 20_000,  # merged ranges in a workbook
    "IMPORT_MAX_UNCOMPRESSED": 60 * 1024 * 1024,  # an .xlsx or .docx archive, all members inflated
    "IMPORT_MAX_ZIP_RATIO": 100,  # inflated / compressed size of any member over 1 MB
}
RATIO_FROM = 1024 * 1024  # small members compress as they like
MAX_MEMBERS = 2_000


def limit(name: str) -> int:
    """The setting, or its default when the settings module does not name it."""
    return int(getattr(settings, name, DEFAULTS[name]))


class UnreadableFile(Exception):
    """The upload cannot be read as a task book; the message says why, for the user."""


class TooLarge(UnreadableFile):
    """The file is over one of the limits; the message says which."""


def check_archive(data: bytes) -> None:
    """Refuse a zip archive whose members would inflate beyond the limits, before anything inflates them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not an archive: the reader says so in its own words
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise TooLarge(
                _("The file holds more than %(max)d parts; it is not a task book.") % {"max": MAX_MEMBERS}
            )
        total = sum(m.file_size for m in members)
        if total > limit("IMPORT_MAX_UNCOMPRESSED"):
            raise TooLarge(
                _("Unpacked, the file would take %(size)s, more than the %(max)s an import reads.")
                % {"size": filesizeformat(total), "max": filesizeformat(limit("IMPORT_MAX_UNCOMPRESSED"))}
            )
        ratio = limit("IMPORT_MAX_ZIP_RATIO")
        for m in members:
            if m.file_size > RATIO_FROM and m.file_size > ratio * max(m.compress_size, 1):
                raise TooLarge(
                    _(
                        "The part “%(part)s” of the file inflates %(ratio)d times; the file is refused as unsafe."
                    )
                    % {"part": m.filename[:60], "ratio": m.file_size // max(m.compress_size, 1)}
                )


@dataclass
class Counter:
    """Counts rows and cells while a reader goes, and stops it at the first one over the limit."""

    rows: int = 0
    cells: int = 0

    def __post_init__(self) -> None:
        self.max_rows = limit("IMPORT_MAX_ROWS")
        self.max_cells = limit("IMPORT_MAX_CELLS")

    def row(self, width: int, filled: bool = True) -> None:
        self.cells += width
        if self.cells > self.max_cells:
            raise TooLarge(
                _(
                    "The file has more than %(max)s cells; an import reads at most that many. Delete the empty "
                    "rows and columns around the table, or split the file."
                )
                % {"max": f"{self.max_cells:,}"}
            )
        if filled:
            self.rows += 1
            if self.rows > self.max_rows:
                raise TooLarge(
                    _(
                        "The file has more than %(max)s rows; an import reads at most that many. Split the task "
                        "book into several files."
                    )
                    % {"max": f"{self.max_rows:,}"}
                )


def check_merged(count: int) -> None:
    if count > limit("IMPORT_MAX_MERGED"):
        raise TooLarge(
            _("The workbook has more than %(max)s merged ranges; an import reads at most that many.")
            % {"max": f"{limit('IMPORT_MAX_MERGED'):,}"}
        )
