from tests.supervision.db.conftest import _no_marks_left_over, lights  # noqa: F401
