import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.dispatch.conftest import MARCH, PNG, docx_bytes, png
from tongtui.core.errors import ActionError, Forbidden
from tongtui.dispatch import actions
from tongtui.dispatch.evidence import check_upload
from tongtui.dispatch.models import Attachment

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 64


def xlsx_bytes() -> bytes:
    import openpyxl

    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    return buf.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("现场.jpg", JPEG, "jpg"),
        ("现场.JPEG", JPEG, "jpg"),
        ("截图.png", PNG, "png"),
        ("a.webp", WEBP, "webp"),
        ("IMG_0001.HEIC", HEIC, "heic"),
        ("批复.pdf", PDF, "pdf"),
        ("方案.doc", OLE2, "doc"),
        ("台账.xls", OLE2, "xls"),
        ("汇报.ppt", OLE2, "ppt"),
        ("通知.wps", OLE2, "wps"),
        ("表.et", OLE2, "et"),
    ],
)
def test_it_accepts_photos_pdf_and_office_files(name, content, kind):
    checked = check_upload(upload(name, content))
    assert checked.kind == kind
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_it_accepts_real_word_and_excel_files():
    assert check_upload(upload("纪要.docx", docx_bytes())).kind == "docx"
    assert check_upload(upload("台账.xlsx", xlsx_bytes())).kind == "xlsx"


@pytest.mark.parametrize(
    "name", ["setup.exe", "script.js", "page.html", "archive.zip", "noextension", "a.svg"]
)
def test_it_refuses_other_types_and_says_what_is_accepted(name):
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, b"MZ\x90\x00" + b"\x00" * 64))
    message = exc.value.messages[0]
    assert name in message
    assert "PDF" in message and "JPG" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", PDF),  # a PDF renamed
        ("scan.pdf", b"MZ\x90\x00" + b"\x00" * 64),  # a program renamed
        ("report.doc", docx_bytes()),  # right family, wrong format
        ("report.xlsx", docx_bytes()),  # a Word file named as Excel
        ("report.docx", b"PK\x03\x04" + b"\x00" * 64),  # broken zip
    ],
)
def test_it_refuses_a_file_whose_content_is_not_its_type(name, content):
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, content))
    assert exc.value.code == "content"


def test_it_refuses_a_plain_zip_named_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError):
        check_upload(upload("report.docx", buf.getvalue()))


def repack(data: bytes, add: dict[str, bytes] | None = None, types: bytes | None = None) -> bytes:
    """A copy of an Office package with parts added or [Content_Types].xml rewritten."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml" and types is not None:
                body = types
            dst.writestr(info, body)
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def refused(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, content))
    return exc.value


def test_it_refuses_a_macro_enabled_document_renamed_docx():
    docm_types = zipfile.ZipFile(io.BytesIO(docx_bytes())).read("[Content_Types].xml").replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")  # fmt: skip
    assert refused("方案.docx", repack(docx_bytes(), types=docm_types)).code == "macro"
    assert refused("方案.docx", repack(docx_bytes(), {"word/vbaProject.bin": OLE2})).code == "macro"
    assert refused("台账.xlsx", repack(xlsx_bytes(), {"xl/vbaProject.bin": OLE2})).code == "macro"


def test_it_refuses_vba_in_a_legacy_office_file():
    with_macros = OLE2 + "_VBA_PROJECT".encode("utf-16-le") + b"\x00" * 64
    assert refused("方案.doc", with_macros).code == "macro"
    assert check_upload(upload("方案.doc", OLE2)).kind == "doc"  # the same file without: fine


@pytest.mark.parametrize(("part", "body"), [
    ("word/embeddings/setup.exe", b"MZ\x90\x00" + b"\x00" * 60),   # a program by its name
    ("word/media/image1.png", b"MZ\x90\x00" + b"\x00" * 60),       # a program by its first bytes
    ("word/media/run.sh", b"#!/bin/sh\nrm -rf /\n"),
    ("word/embeddings/tool", b"\x7fELF\x02\x01\x01" + b"\x00" * 60),
])  # fmt: skip
def test_it_refuses_an_office_file_carrying_a_program(part, body):
    e = refused("汇报.docx", repack(docx_bytes(), {part: body}))
    assert e.code == "program" and part.rsplit("/", 1)[-1] in e.messages[0]


@pytest.mark.parametrize("content", [
    b"<html><script>alert(1)</script></html>\n" + PDF,     # an HTML/PDF polyglot
    b"<!DOCTYPE html><body onload=x()>" + PDF,
    b"<svg xmlns='http://www.w3.org/2000/svg' onload='x()'/>" + PDF,
])  # fmt: skip
def test_it_refuses_web_page_code_before_a_pdf(content):
    assert refused("批复.pdf", content).code == "web_code"


def test_it_refuses_web_page_code_in_a_photo():
    assert refused("现场.jpg", JPEG[:20] + b"<script>alert(1)</script>" + JPEG[20:]).code == "web_code"


@pytest.mark.parametrize("action", [b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
                                    b"/AA << /O << /S /Launch /F (cmd.exe) >> >>"])  # fmt: skip
def test_it_refuses_a_pdf_that_runs_scripts_or_programs(action):
    assert refused("批复.pdf", PDF + b"\n1 0 obj\n<< /Type /Catalog " + action + b" >>\nendobj\n").code == "pdf_active"


def test_ordinary_word_excel_and_pdf_files_still_pass():
    assert check_upload(upload("方案.docx", docx_bytes())).kind == "docx"
    assert check_upload(upload("台账.xlsx", xlsx_bytes())).kind == "xlsx"
    assert check_upload(upload("批复.pdf", PDF + b"\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")).kind == "pdf"


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("big.png", PNG + b"\x00" * 100))
    assert exc.value.code == "too_large"
    assert "big.png" in exc.value.messages[0]


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("empty.pdf", b""))
    assert exc.value.code == "empty"


def test_evidence_is_stored_through_the_storage_api_with_its_hash(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    attachment = actions.add_attachment(report, by=d.user("liaison_a"), file=png("现场照片.png"))
    assert attachment.original_name == "现场照片.png"
    assert attachment.kind == "png" and attachment.unit == d.unit_a
    assert attachment.sha256 == hashlib.sha256(PNG).hexdigest()
    assert attachment.file.name.startswith("evidence/") and "现场" not in attachment.file.name
    with default_storage.open(attachment.file.name) as f:
        assert f.read() == PNG


def test_a_co_unit_attaches_evidence_in_its_own_name(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    attachment = actions.add_attachment(report, by=d.user("liaison_c"), file=png())
    assert attachment.unit == d.unit_c


@pytest.mark.parametrize("who", ["liaison_b", "leader", "office"])
def test_outsiders_cannot_attach(d, who):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    with pytest.raises(Forbidden):
        actions.add_attachment(report, by=d.user(who), file=png())


def test_a_refused_file_leaves_nothing_behind(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    with pytest.raises(ValidationError):
        actions.add_attachment(report, by=d.user("liaison_a"), file=upload("virus.exe", b"MZ" + b"\x00" * 10))
    assert not Attachment.objects.exists()


def test_evidence_cannot_be_added_or_removed_after_submission(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    attachment = actions.add_attachment(report, by=d.user("liaison_a"), file=png())
    actions.save_draft(report, by=d.user("liaison_a"), version=report.version, progress=10, done="开工")
    actions.submit_report(report, by=d.user("liaison_a"))
    with pytest.raises(ActionError):
        actions.add_attachment(report, by=d.user("liaison_a"), file=png())
    with pytest.raises(ActionError):
        actions.remove_attachment(attachment, by=d.user("liaison_a"))


def test_a_draft_file_can_be_removed_and_the_removal_is_in_history(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    attachment = actions.add_attachment(report, by=d.user("liaison_a"), file=png())
    actions.remove_attachment(attachment, by=d.user("liaison_a"))
    assert not report.attachments.exists()
    assert Attachment.history.filter(history_type="-").get().history_user == d.user("liaison_a")
