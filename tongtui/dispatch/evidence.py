"""Checks on evidence uploads: size, type by extension AND by the file's first bytes, then what hides inside.

Accepted: photos (JPG, PNG, WEBP, HEIC), PDF, and Office documents (Word, Excel, PowerPoint and WPS).
Refused inside an accepted type: macros (a .docm renamed .docx, VBA in a legacy .doc), programs packed into
an Office file, web-page code in the first bytes (an HTML/PDF or HTML/image polyglot a browser could run), and
PDFs that run scripts or launch programs. Everything is refused with a message a liaison can act on.
"""

import hashlib
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

HEAD_BYTES = 2048
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office and WPS documents (compound file)
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"}


def _jpeg(head: bytes, _f: IO[bytes]) -> bool:
    return head[:3] == b"\xff\xd8\xff"


def _png(head: bytes, _f: IO[bytes]) -> bool:
    return head[:8] == b"\x89PNG\r\n\x1a\n"


def _webp(head: bytes, _f: IO[bytes]) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _heic(head: bytes, _f: IO[bytes]) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def _pdf(head: bytes, _f: IO[bytes]) -> bool:
    return b"%PDF-" in head[:1024]  # the PDF specification allows a little junk before the header


def _ole2(head: bytes, _f: IO[bytes]) -> bool:
    return head[:8] == OLE2


def _ooxml(folder: str) -> Callable[[bytes, IO[bytes]], bool]:
    def check(head: bytes, f: IO[bytes]) -> bool:
        if head[:4] != b"PK\x03\x04":
            return False
        try:
            f.seek(0)
            names = zipfile.ZipFile(f).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            f.seek(0)
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)

    return check


# extension -> (kind stored, check of the content)
ACCEPTED: dict[str, tuple[str, Callable[[bytes, IO[bytes]], bool]]] = {
    "jpg": ("jpg", _jpeg),
    "jpeg": ("jpg", _jpeg),
    "png": ("png", _png),
    "webp": ("webp", _webp),
    "heic": ("heic", _heic),
    "heif": ("heic", _heic),
    "pdf": ("pdf", _pdf),
    "doc": ("doc", _ole2),
    "xls": ("xls", _ole2),
    "ppt": ("ppt", _ole2),
    "wps": ("wps", _ole2),
    "et": ("et", _ole2),
    "docx": ("docx", _ooxml("word/")),
    "xlsx": ("xlsx", _ooxml("xl/")),
    "pptx": ("pptx", _ooxml("ppt/")),
}
IMAGE_KINDS = {"jpg", "png", "webp", "heic"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
    "pdf": "application/pdf",
}


# Names of programs, whatever folder of an Office package they sit in.
PROGRAM_EXTENSIONS = {"exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf",
                      "hta", "jar", "sh", "lnk", "cpl", "pif", "reg", "apk", "elf", "so", "dylib", "app"}  # fmt: skip
PROGRAM_HEADS = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "activex", "macrosheets/", "attachedtoolbars.bin")
MACRO_TYPES = (b"macroenabled", b"vbaproject", b"ms-office.activex")
OLE_MACRO_NAMES = tuple(n.encode("utf-16-le") for n in ("_VBA_PROJECT", "VBA", "Macros", "_VBA_PROJECT_CUR"))
WEB_CODE = (b"<html", b"<script", b"<!doctype html", b"<svg", b"<body", b"<iframe", b"<object", b"<embed")
PDF_ACTIVE = (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch", b"/RichMedia")
ENTRY_READ = 8  # bytes read from each packed part to tell a program by its first bytes


def _inner_problem(kind: str, f: IO[bytes], head: bytes) -> tuple[str, str] | None:
    """(code, detail) of what makes an accepted file unsafe, or None."""
    if any(marker in head[:1024].lower() for marker in WEB_CODE):
        return "web_code", ""
    if kind in ("docx", "xlsx", "pptx"):
        f.seek(0)
        with zipfile.ZipFile(f) as z:
            for info in z.infolist():
                low = info.filename.lower()
                if any(part in low for part in MACRO_PARTS):
                    return "macro", ""
                if posixpath.splitext(low)[1].lstrip(".") in PROGRAM_EXTENSIONS:
                    return "program", posixpath.basename(info.filename)
                if not info.is_dir() and info.file_size:
                    with z.open(info) as part:
                        if part.read(ENTRY_READ).startswith(PROGRAM_HEADS):
                            return "program", posixpath.basename(info.filename)
            types = z.read("[Content_Types].xml").lower()
            if any(t in types for t in MACRO_TYPES):
                return "macro", ""
    elif kind in ("doc", "xls", "ppt", "wps", "et"):
        f.seek(0)
        body = f.read()
        if any(name in body for name in OLE_MACRO_NAMES):
            return "macro", ""
    elif kind == "pdf":
        f.seek(0)
        body = f.read()
        if any(marker in body for marker in PDF_ACTIVE):
            return "pdf_active", ""
    return None


def _inner_message(code: str, shown: str, ext: str, detail: str) -> str:
    if code == "macro":
        return _("“%(name)s” contains macros. Save it again as an ordinary document without macros and upload "
                 "that.") % {"name": shown}  # fmt: skip
    if code == "program":
        return _("“%(name)s” carries a program (%(part)s); programs cannot be evidence. Save the document again "
                 "without it.") % {"name": shown, "part": detail}  # fmt: skip
    if code == "web_code":
        return _("“%(name)s” contains web-page code at its start; it is not a plain .%(ext)s file. Save or scan it "
                 "again and upload that.") % {"name": shown, "ext": ext}  # fmt: skip
    return _("“%(name)s” runs scripts or opens programs. Print it again to PDF (or "
             "scan it) and upload that.") % {"name": shown}  # fmt: skip


@dataclass(frozen=True)
class Checked:
    kind: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


def accepted_types_text() -> str:
    return _("photos (JPG, PNG, WEBP, HEIC), PDF, and Word, Excel, PowerPoint or WPS documents")


def check_upload(f: Any, name: str | None = None) -> Checked:
    """Refuse a file that is empty, too large, of a type not accepted, or whose content is not its type."""
    name = name or getattr(f, "name", "") or ""
    shown = posixpath.basename(name.replace("\\", "/"))
    size = getattr(f, "size", None)
    if size is None:
        f.seek(0, 2)
        size = f.tell()
    if not size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": shown}, code="empty")
    if size > max_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size)s; an evidence file may be at most %(max)s.")
            % {"name": shown, "size": filesizeformat(size), "max": filesizeformat(max_bytes())},
            code="too_large",
        )
    ext = posixpath.splitext(shown)[1].lower().lstrip(".")
    if ext not in ACCEPTED:
        raise ValidationError(
            _("“%(name)s” cannot be used as evidence. Accepted are %(types)s.")
            % {"name": shown, "types": accepted_types_text()},
            code="type",
        )
    kind, looks_right = ACCEPTED[ext]
    f.seek(0)
    head = f.read(HEAD_BYTES)
    f.seek(0)
    if not looks_right(head, f):
        raise ValidationError(
            _(
                "“%(name)s” is named .%(ext)s but its content is not a %(ext)s file. Save it again in that format."
            )
            % {"name": shown, "ext": ext},
            code="content",
        )
    try:
        problem = _inner_problem(kind, f, head)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, NotImplementedError):
        problem = ("content", "")  # a package that cannot be read through is not a document
    finally:
        f.seek(0)
    if problem is not None:
        code, detail = problem
        if code == "content":
            raise ValidationError(
                _("“%(name)s” is named .%(ext)s but its content is not a %(ext)s file. Save it again in that "
                  "format.") % {"name": shown, "ext": ext}, code="content",
            )  # fmt: skip
        raise ValidationError(_inner_message(code, shown, ext, detail), code=code)
    digest = hashlib.sha256()
    chunks = f.chunks() if hasattr(f, "chunks") else iter(lambda: f.read(65536), b"")
    for chunk in chunks:
        digest.update(chunk)
    f.seek(0)
    return Checked(kind=kind, size=size, sha256=digest.hexdigest())
