import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongtui.settings")
application = get_wsgi_application()


def _refuse_public_default_key() -> None:
    """Without DEBUG, serving on the development SECRET_KEY would let anyone forge sessions: refuse to start."""
    from django.conf import settings

    from tongtui.core.checks import secret_key_errors

    if not settings.DEBUG and secret_key_errors():
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off: set SECRET_KEY (or SECRET_KEY_FILE) to a long random value."
        )


_refuse_public_default_key()
