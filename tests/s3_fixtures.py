"""An S3-compatible object store on loopback (moto's server), for the tests of uploads and backups kept in a
bucket through django-storages. Imported lazily: only tests that ask for it pay for moto."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

KEY, SECRET, REGION = "k", "s", "us-east-1"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def storage_options(endpoint: str, bucket: str) -> dict[str, Any]:
    """django-storages' S3Storage options for `bucket`, as settings.py builds them for MEDIA_STORAGE=s3."""
    return {
        "bucket_name": bucket, "endpoint_url": endpoint, "access_key": KEY, "secret_key": SECRET,
        "region_name": REGION, "default_acl": None, "querystring_auth": True, "file_overwrite": False,
        "location": "media",
    }  # fmt: skip


@contextmanager
def s3_bucket(endpoint: str, bucket: str) -> Iterator[Any]:
    """A fresh bucket, emptied and removed afterwards; yields a boto3 client to look inside it."""
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=KEY, aws_secret_access_key=SECRET,
                          region_name=REGION)  # fmt: skip
    client.create_bucket(Bucket=bucket)
    try:
        yield client
    finally:
        for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])
        client.delete_bucket(Bucket=bucket)
