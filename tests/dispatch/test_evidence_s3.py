"""Evidence in an S3-compatible object store (MEDIA_STORAGE=s3, django-storages): uploaded through the API into
a real S3 server on loopback (moto's), read back through Tongtui's access-checked download, never public."""

import boto3
import pytest
from moto.server import ThreadedMotoServer
from rest_framework.test import APIClient

from tests.dispatch.conftest import MARCH, PNG, png
from tongtui.dispatch import actions


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_server):
    client = boto3.client("s3", endpoint_url=s3_server, aws_access_key_id="k", aws_secret_access_key="s",
                          region_name="us-east-1")  # fmt: skip
    client.create_bucket(Bucket="tongtui-evidence")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "tongtui-evidence", "endpoint_url": s3_server, "access_key": "k", "secret_key": "s",
                "region_name": "us-east-1", "default_acl": None, "querystring_auth": True, "file_overwrite": False,
                "location": "media",
            },
        },
    }  # fmt: skip
    yield client
    objects = client.list_objects_v2(Bucket="tongtui-evidence").get("Contents", [])
    for item in objects:
        client.delete_object(Bucket="tongtui-evidence", Key=item["Key"])
    client.delete_bucket(Bucket="tongtui-evidence")


def test_evidence_goes_to_the_bucket_and_comes_back_only_through_the_checked_download(d, s3):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    liaison = APIClient()
    liaison.force_authenticate(d.user("liaison_a"))
    response = liaison.post(f"/api/reports/{report.pk}/evidence/", {"file": png("现场.png")}, format="multipart")
    assert response.status_code == 201, response.json()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="tongtui-evidence")["Contents"]]
    assert len(keys) == 1 and keys[0].startswith("media/") and keys[0].endswith(".png")
    assert s3.get_object(Bucket="tongtui-evidence", Key=keys[0])["Body"].read() == PNG
    download = liaison.get(response.json()["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    outsider = APIClient()
    outsider.force_authenticate(d.user("liaison_b"))
    assert outsider.get(response.json()["download"]).status_code == 404
