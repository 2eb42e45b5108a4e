"""The media files through an S3-compatible object store (django-storages against moto's server on loopback):
a backup of a file-system installation restores into a bucket, and a bucket's files back up."""

import boto3
import pytest
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from tests.backup.conftest import files_of, fresh_storage, wipe_installation
from tongtui.core.backup import make_backup, restore_backup


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server):
    client = boto3.client("s3", endpoint_url=s3_server, aws_access_key_id="k", aws_secret_access_key="s",
                          region_name="us-east-1")  # fmt: skip
    client.create_bucket(Bucket="tongtui-backup")
    yield S3Storage(bucket_name="tongtui-backup", endpoint_url=s3_server, access_key="k", secret_key="s",
                    region_name="us-east-1", default_acl=None, file_overwrite=False, location="media")  # fmt: skip
    for item in client.list_objects_v2(Bucket="tongtui-backup").get("Contents", []):
        client.delete_object(Bucket="tongtui-backup", Key=item["Key"])
    client.delete_bucket(Bucket="tongtui-backup")


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
