from tests.browser.conftest import browser_settings, chromium, open_page  # noqa: F401  (the browser fixtures)
from tests.supervision.db.conftest import _no_marks_left_over, lights  # noqa: F401
