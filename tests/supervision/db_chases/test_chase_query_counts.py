from django.db import connection
from django.test.utils import CaptureQueriesContext

from tongtui.supervision import actions_chases as chases


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def issue(cast, n: int) -> None:
    for i in range(n):
        chases.issue_chase(by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, subject=f"s{i}", content="c",
                           tasks=[cast.task_a, cast.task_c])  # fmt: skip


def test_lists_do_not_query_per_row(cast):
    c = cast.client("office")
    urls = ["/supervision/chases/?state=all", "/api/chase-notices/", "/supervision/desk/"]
    issue(cast, 1)
    few = {u: queries(c, u) for u in urls}
    issue(cast, 5)
    assert {u: queries(c, u) for u in urls} == few
