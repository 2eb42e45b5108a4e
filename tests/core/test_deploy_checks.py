"""Starting without a secret: the WSGI entry point refuses when DEBUG is off, and `check --deploy` says why."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from tongtui.settings import DEVELOPMENT_SECRET_KEY


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG")}
    return subprocess.run([sys.executable, "-c", "import tongtui.wsgi"], env={**clean, **env},
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_the_wsgi_application_refuses_the_public_default_key_without_debug():
    refused = _start(DEBUG="False")
    assert refused.returncode != 0 and "SECRET_KEY is not set and DEBUG is off" in refused.stderr
    assert _start(DEBUG="False", SECRET_KEY="a-real-secret-of-some-length-0123456789").returncode == 0
    assert _start(DEBUG="True").returncode == 0  # a developer's own machine


def test_check_deploy_names_the_default_key():
    with override_settings(SECRET_KEY=DEVELOPMENT_SECRET_KEY), pytest.raises(SystemCheckError, match="tongtui.E001"):
        call_command("check", deploy=True, fail_level="ERROR")
    with override_settings(SECRET_KEY="a-real-secret-of-some-length-0123456789"):
        try:
            call_command("check", deploy=True, fail_level="ERROR")
        except SystemCheckError as e:
            assert "tongtui.E001" not in str(e)
