"""Evidence in an S3-compatible object store (MEDIA_STORAGE=s3, django-storages): uploaded through the API into
a real S3 server on loopback (moto's), read back through Tongtui's access-checked download, never public."""

import pytest
from rest_framework.test import APIClient

from tests.dispatch.conftest import MARCH, PNG, png
from tests.s3_fixtures import s3_bucket, storage_options
from tongtui.dispatch import actions


@pytest.fixture
def s3(settings, s3_server):
    with s3_bucket(s3_server, "tongtui-evidence") as client:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage",
                        "OPTIONS": storage_options(s3_server, "tongtui-evidence")},
        }  # fmt: skip
        yield client


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
