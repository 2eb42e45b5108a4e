"""tongtui import_tasks FILE --plan YEAR [--dry-run] [--create-units] [--lead-rule] [--by] [--sheet]"""

import io
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.plans.importing import builder
from tongtui.core.system import SYSTEM_USERNAME
from tongtui.orgs.models import Unit
from tongtui.plans.models import Plan, Task

GOOD = "序号,重点任务,牵头单位,配合单位,完成时限\n1,地区生产总值增长6%,区发改局,区财政局,12月底前\n2,推进乡债县管,区财政局,,全年\n"
BAD = GOOD + "3,推进企业上市,区财政局,区证监办,\n"


def run(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    if stdin is not None:
        old = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
        try:
            call_command("import_tasks", *args, stdout=out)
        finally:
            sys.stdin = old
    else:
        call_command("import_tasks", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "book.csv"
    path.write_text(GOOD, encoding="utf-8")
    return path


def test_dry_run_shows_the_preview_and_writes_nothing(district, good):
    out = run(str(good), "--plan", "2028", "--dry-run")
    assert "地区生产总值增长6%" in out
    assert "2 rows: 2 new, 0 updated" in out
    assert "Dry run: nothing was written." in out
    assert not Plan.objects.filter(year=2028).exists()


def test_it_creates_the_plan_and_the_tasks_as_the_system_account(district, good):
    out = run(str(good), "--plan", "2028")
    assert "2 created" in out
    plan = Plan.objects.get(year=2028)
    assert plan.tasks.count() == 2
    row = plan.tasks.get(code="1").history.latest()
    assert row.history_user.username == SYSTEM_USERNAME
    assert row.history_change_reason == "import book.csv"


def test_by_names_the_actor(district, good):
    run(str(good), "--plan", "2028", "--by", "office")
    row = Task.objects.get(plan__year=2028, code="1").history.latest()
    assert row.history_user == district.cast.user("office")


def test_by_someone_who_is_not_the_office_is_refused(district, good):
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(str(good), "--plan", "2028", "--by", "liaison_a")
    assert not Task.objects.filter(plan__year=2028).exists()


def test_errors_exit_non_zero_with_the_rows_and_write_nothing(district, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run(str(path), "--plan", "2028")
    assert "Row 4: co-unit “区证监办” matches no unit" in str(exc.value)
    assert not Plan.objects.filter(year=2028).exists()


def test_create_units_creates_the_unknown_ones(district, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    out = run(str(path), "--plan", "2028", "--create-units")
    assert "1 units" in out and "3 created" in out
    assert list(Task.objects.get(plan__year=2028, code="3").co_units.all()) == [Unit.objects.get(name="区证监办")]


def test_lead_rule_none(district, tmp_path):
    path = tmp_path / "duty.csv"
    path.write_text("序号,工作任务,责任单位\n1,推进乡债县管,区财政局、区税务局\n", encoding="utf-8")
    run(str(path), "--plan", "2028", "--lead-rule", "none")
    task = Task.objects.get(plan__year=2028, code="1")
    assert task.lead_unit is None and task.co_units.count() == 2


def test_pasted_text_from_stdin(district):
    out = run(
        "-",
        "--plan",
        "2028",
        stdin="一、叶枝利区长牵头重点工作\n1.一般公共预算收入增长6%。 牵头单位:区财政局\n",
    )
    assert "1 created" in out
    task = Task.objects.get(plan__year=2028)
    assert task.leader == district.ye and task.code == "1"
    assert task.history.latest().history_change_reason == "import stdin"


def test_sheet_picks_one_sheet(district, tmp_path):
    path = builder.write_xlsx(
        tmp_path / "s.xlsx", [["序号", "重点任务", "牵头单位"], ["1", "任务甲", "区发改局"]], sheet="重点任务"
    )
    with pytest.raises(CommandError, match="no sheet named"):
        run(str(path), "--plan", "2028", "--sheet", "别的表")
    run(str(path), "--plan", "2028", "--sheet", "重点任务")
    assert Task.objects.filter(plan__year=2028).count() == 1


@pytest.mark.parametrize(("name", "content"), [("book.pdf", b"%PDF"), ("book.xlsx", b"not a workbook")])
def test_unreadable_files_are_refused(district, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError):
        run(str(path), "--plan", "2028")


def test_a_missing_file_is_refused(district, tmp_path):
    with pytest.raises(CommandError):
        run(str(tmp_path / "nope.xlsx"), "--plan", "2028")


def test_the_command_exits_non_zero_from_the_shell(district, tmp_path):
    """Through the console entry point, as an office user would run it."""
    from django.core.management import execute_from_command_line

    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["tongtui", "import_tasks", str(path), "--plan", "2028"])
    assert exc.value.code == 1
