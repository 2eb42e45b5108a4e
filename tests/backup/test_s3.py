"""The media files through an S3-compatible object store (django-storages against moto's server on loopback):
a backup of a file-system installation restores into a bucket, and a bucket's files back up."""

import pytest
from storages.backends.s3 import S3Storage

from tests.backup.conftest import files_of, fresh_storage, wipe_installation
from tests.s3_fixtures import s3_bucket, storage_options
from tongtui.core.backup import make_backup, restore_backup


@pytest.fixture
def bucket(s3_server):
    with s3_bucket(s3_server, "tongtui-backup"):
        yield S3Storage(**storage_options(s3_server, "tongtui-backup"))


def test_a_backup_restores_into_a_bucket_and_a_bucket_backs_up(archive, bucket, tmp_path):
    files = files_of()
    wipe_installation()
    result = restore_backup(archive, storage=bucket)
    assert result.files_written == len(files) == 5
    assert files_of(bucket) == files

    make_backup(tmp_path / "from-s3.zip", storage=bucket)
    wipe_installation()
    storage = fresh_storage(tmp_path, "back-on-disk")
    restore_backup(tmp_path / "from-s3.zip", storage=storage)
    assert files_of(storage) == files
