"""A restore that cannot be trusted or would overwrite by surprise is refused with a clear message, and loses nothing."""

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from tests.backup.conftest import files_of, fresh_storage, rows_of, wipe_installation
from tongtui.core.backup import BackupError, restore_backup
from tongtui.core.backup.media import Writer
from tongtui.core.backup.tables import MOD


def rewrite(src: Path, dst: Path, *, manifest: Callable[[dict], None] | None = None,
            replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
            drop: tuple[str, ...] = ()) -> Path:  # fmt: skip
    """A copy of the archive with the manifest edited, members replaced, added or dropped."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if info.filename == "manifest.json" and manifest:
                raw = json.loads(data)
                manifest(raw)
                data = json.dumps(raw).encode()
            elif replace and info.filename in replace:
                data = replace[info.filename]
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def table(raw: dict, name: str) -> dict:
    return next(t for t in raw["tables"] if t["table"] == name)


def refused(path: Path, match: str, **kwargs) -> None:
    """The restore is refused with `match` in its message, and the installation is as it was."""
    rows, files = rows_of(), files_of()
    with pytest.raises(BackupError, match=match):
        restore_backup(path, **kwargs)
    assert rows_of() == rows
    assert files_of() == files


def test_it_refuses_to_overwrite_a_database_with_rows_without_force(archive):
    refused(
        archive,
        r"Refusing to overwrite: this database holds \d+ rows in \d+ tables \(orgs_historicalunit 7, ",
    )


def test_the_command_says_force_is_needed(archive):
    with pytest.raises(CommandError, match="pass --force"):
        call_command("restore", str(archive))


def test_it_refuses_to_replace_different_media_files_without_force(archive):
    wipe_installation()
    name = next(iter(files_of()))
    default_storage.delete(name)
    default_storage.save(name, io.BytesIO(b"another file"))
    refused(archive, r"1 files in the media storage differ from the backup's")


def test_it_refuses_another_format_version(archive, tmp_path):
    def future(raw):
        raw["format_version"] = 2

    refused(rewrite(archive, tmp_path / "x.zip", manifest=future), "format version 2; this Tongtui reads format version 1",
            force=True)  # fmt: skip


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path, installation):
    (tmp_path / "x.zip").write_bytes(b"not a zip at all")
    refused(tmp_path / "x.zip", "not a readable backup archive", force=True)
    with zipfile.ZipFile(tmp_path / "y.zip", "w") as zf:
        zf.writestr("hello.txt", "hi")
    refused(tmp_path / "y.zip", "no manifest.json", force=True)


def test_it_refuses_a_truncated_archive(archive, tmp_path):
    data = archive.read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[: len(data) // 2])
    refused(tmp_path / "cut.zip", "not a readable backup archive", force=True)


def test_it_refuses_a_table_altered_after_the_backup(archive, tmp_path):
    with zipfile.ZipFile(archive) as zf:
        rows = zf.read("tables/plans_task.jsonl")
    tampered = rewrite(archive, tmp_path / "x.zip",
                       replace={"tables/plans_task.jsonl": rows.replace("地区生产总值".encode(), "地区生产总量".encode())})  # fmt: skip
    refused(tampered, r"tables/plans_task.jsonl does not match its checksum", force=True)


def test_it_refuses_an_evidence_file_altered_after_the_backup(archive, tmp_path):
    with zipfile.ZipFile(archive) as zf:
        member = next(n for n in zf.namelist() if n.startswith("media/evidence/"))
        data = zf.read(member)
    tampered = rewrite(archive, tmp_path / "x.zip", replace={member: data[:-1] + bytes([data[-1] ^ 1])})
    refused(tampered, "does not match its checksum", force=True)


@pytest.mark.parametrize(
    "member", ["../evil.txt", "media/../../evil.txt", "/etc/evil", "media/a\\..\\..\\evil"]
)
def test_it_refuses_a_member_that_points_outside(archive, tmp_path, member):
    refused(rewrite(archive, tmp_path / "x.zip", add={member: b"x"}), "unsafe path", force=True)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_it_refuses_a_manifest_that_names_a_file_outside(archive, tmp_path):
    def outside(raw):
        raw["files"][0]["name"] = "../../evil.png"
        raw["files"][0]["member"] = "media/../../evil.png"

    refused(rewrite(archive, tmp_path / "x.zip", manifest=outside), "unsafe path", force=True)


def test_it_refuses_members_the_manifest_does_not_list(archive, tmp_path):
    refused(rewrite(archive, tmp_path / "x.zip", add={"media/extra.png": b"x"}), "does not list: media/extra.png",
            force=True)  # fmt: skip


def test_it_refuses_a_backup_from_a_newer_schema(archive, tmp_path):
    def newer(raw):
        raw["migrations"]["plans"].append("9999_from_the_future")

    refused(rewrite(archive, tmp_path / "x.zip", manifest=newer),
            r"plans: the backup has migration 9999_from_the_future, which this database has not applied", force=True)  # fmt: skip


def test_it_refuses_a_backup_from_an_older_schema(archive, tmp_path):
    def older(raw):
        raw["migrations"]["dispatch"].remove(max(raw["migrations"]["dispatch"]))

    refused(rewrite(archive, tmp_path / "x.zip", manifest=older),
            r"dispatch: this database has migration .*, which the backup predates", force=True)  # fmt: skip


def test_it_refuses_a_table_whose_columns_differ(archive, tmp_path):
    def renamed(raw):
        cols = table(raw, "plans_task")["columns"]
        cols[cols.index("title")] = "heading"

    refused(
        rewrite(archive, tmp_path / "x.zip", manifest=renamed),
        r"Table plans_task: the backup's columns",
        force=True,
    )


def test_it_refuses_unknown_tables(archive, tmp_path):
    def unknown(raw):
        table(raw, "plans_task").update(table="plans_secret", member="tables/plans_secret.jsonl")

    with zipfile.ZipFile(archive) as zf:
        rows = zf.read("tables/plans_task.jsonl")
    tampered = rewrite(archive, tmp_path / "x.zip", manifest=unknown, add={"tables/plans_secret.jsonl": rows},
                       drop=("tables/plans_task.jsonl",))  # fmt: skip
    refused(tampered, "holds tables this Tongtui does not know: plans_secret", force=True)


def resealed(src: Path, dst: Path, name: str, edit: Callable[[list[str], list[list]], None]) -> Path:
    """The archive with a table's rows edited and every checksum made to match, as a careful forger would."""
    member = f"tables/{name}.jsonl"
    with zipfile.ZipFile(src) as zf:
        raw = json.loads(zf.read("manifest.json"))
        rows = [json.loads(line) for line in zf.read(member).splitlines()]
    entry = table(raw, name)
    edit(entry["columns"], rows)
    lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode() for row in rows]
    data = b"".join(line + b"\n" for line in lines)
    total = sum(int.from_bytes(hashlib.sha256(line).digest(), "big") for line in lines) % MOD
    entry.update(
        rows=len(rows), size=len(data), sha256=hashlib.sha256(data).hexdigest(), digest=f"{total:064x}"
    )
    return rewrite(src, dst, manifest=lambda m: m.update(raw), replace={member: data})


def test_rows_that_break_a_foreign_key_are_rolled_back_whole(archive, tmp_path):
    """Hand-edited rows with checksums to match still meet the database's own checks: nothing is half-restored."""

    def point_at_nothing(columns, rows):
        rows[0][columns.index("report_id")] = 999999

    refused(resealed(archive, tmp_path / "x.zip", "dispatch_attachment", point_at_nothing), "do not hold together",
            force=True)  # fmt: skip


def test_rows_that_break_a_unique_constraint_are_rolled_back_whole(archive, tmp_path):
    def twice(columns, rows):
        rows.append(list(rows[0]))

    refused(
        resealed(archive, tmp_path / "x.zip", "plans_task", twice),
        "refused the rows of plans_task",
        force=True,
    )


def test_a_row_of_the_wrong_shape_is_refused(archive, tmp_path):
    def short(columns, rows):
        rows[0].pop()

    refused(
        resealed(archive, tmp_path / "x.zip", "plans_plan", short),
        r"Table plans_plan, row 1: expected",
        force=True,
    )


def test_a_failure_while_writing_files_takes_back_the_rows_and_the_files(archive, monkeypatch, tmp_path):
    """With --force over the same installation: one file differs, and the second new file fails to write."""
    wipe_installation()
    storage = fresh_storage(tmp_path, "media-there")
    storage.save("evidence/keep.txt", io.BytesIO(b"was here"))
    written = []
    real_write = Writer.write

    def failing(self, zf, entry):
        if written:
            raise OSError("disk full")
        written.append(entry.name)
        real_write(self, zf, entry)

    monkeypatch.setattr(Writer, "write", failing)
    before = files_of(storage)
    with pytest.raises(OSError, match="disk full"):
        restore_backup(archive, storage=storage)
    assert files_of(storage) == before
    assert rows_of()["plans_task"] == []


def test_a_value_of_the_wrong_type_is_refused(archive, tmp_path):
    """SQLite would keep text in an integer column; the restore checks each value's type first."""

    def text_for_a_number(columns, rows):
        rows[0][columns.index("version")] = "1; DROP TABLE plans_task"

    refused(resealed(archive, tmp_path / "x.zip", "plans_task", text_for_a_number), r"row 1: version: .* is not of type int",
            force=True)  # fmt: skip
