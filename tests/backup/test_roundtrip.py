import json
import stat
import zipfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from tests.backup.conftest import PNG, files_of, fresh_storage, next_id, rows_of, wipe_installation
from tongtui.core.backup import make_backup, restore_backup
from tongtui.core.backup.tables import tables
from tongtui.dispatch.models import Attachment, Meeting
from tongtui.orgs.models import Unit
from tongtui.plans.models import Task


def test_it_round_trips_every_row_and_every_file(installation, tmp_path):
    rows, files = rows_of(), files_of()
    assert len(files) == 5  # two evidence files, the meeting pack, the order's file, the practice photo
    for table in ("plans_historicaltask", "dispatch_historicalprogressreport", "auth_group_permissions",
                  "authtoken_token", "django_tasks_database_dbtaskresult", "axes_accessattempt", "plans_taskimport"):  # fmt: skip
        assert rows[table], table

    result = make_backup(tmp_path / "tongtui.zip")
    assert (result.tables, result.files) == (len(tables()), 5)
    wipe_installation()
    storage = fresh_storage(tmp_path, "new-media")
    restored = restore_backup(tmp_path / "tongtui.zip", storage=storage)

    assert restored.rows == result.rows == sum(len(r) for r in rows.values())
    assert rows_of() == rows
    assert files_of(storage) == files


def test_the_restored_installation_reads_its_files(archive):
    wipe_installation()
    restore_backup(archive)
    photo = Attachment.objects.get(original_name="现场照片.png")
    with photo.file.open("rb") as f:
        assert f.read() == PNG
    assert Meeting.objects.get().pack.size > 0


def test_an_id_named_only_in_history_is_never_handed_out_again(archive):
    gone = Unit.history.filter(name="临时专班").latest("history_id").id
    assert not Unit.objects.filter(pk=gone).exists()
    wipe_installation()
    restore_backup(archive)
    assert Unit.objects.create(name="新单位", kind="department").pk > gone
    assert next_id("orgs_unit") > gone + 1


def test_restoring_with_force_puts_back_what_was_changed_since(installation, archive):
    rows, files = rows_of(), files_of()
    Task.objects.filter(pk=installation.task_a.pk).update(title="改过的标题")
    Attachment.objects.all().delete()
    changed = sorted(files)[0]
    default_storage.delete(changed)
    default_storage.save(changed, ContentFile(b"changed"))
    default_storage.save("evidence/uploaded-since.png", ContentFile(b"new"))

    result = restore_backup(archive, force=True)
    assert rows_of() == rows
    assert files_of() == files | {
        "evidence/uploaded-since.png": b"new"
    }  # a file the backup lacks is left alone
    assert (result.files_written, result.files_unchanged) == (1, 4)
    assert result.notes == ["1 files in the media storage are not in the backup; they were left in place."]


def test_the_archive_holds_what_an_operator_needs_to_trust_it(installation, tmp_path):
    make_backup(tmp_path / "b.zip")
    assert stat.S_IMODE((tmp_path / "b.zip").stat().st_mode) == 0o600  # password hashes and tokens inside
    assert not (tmp_path / "b.zip.partial").exists()
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["format"] == "tongtui-backup" and manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["plans"]
    task = next(t for t in manifest["tables"] if t["table"] == "plans_task")
    assert task["rows"] == 2 and len(task["sha256"]) == 64 and "title" in task["columns"]
    assert all(f["member"] == "media/" + f["name"] for f in manifest["files"])


def test_the_commands_back_up_check_and_restore(installation, tmp_path, capsys):
    rows = rows_of()
    call_command("backup", "-o", str(tmp_path / "b.zip"))
    assert "Backup written to" in capsys.readouterr().out
    call_command("restore", str(tmp_path / "b.zip"), "--check")
    out = capsys.readouterr().out
    assert "is sound" in out and "not empty" in out
    wipe_installation()
    call_command("restore", str(tmp_path / "b.zip"))
    assert "every table read back and verified" in capsys.readouterr().out
    assert rows_of() == rows
