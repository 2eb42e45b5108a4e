import pytest
from django.core.management import CommandError, call_command

from tests.ledger.conftest import read, rows_of


def test_it_writes_a_ledger_that_openpyxl_reads_back(cast, tmp_path):
    target = tmp_path / "台账.xlsx"
    call_command("export_ledger", "--plan", "2026", "-o", str(target))
    sheet = read(str(target))
    assert sheet["A1"].value == "2026年重点工作台账"
    assert [r["编号"] for r in rows_of(sheet)] == ["1", "2"]


def test_by_a_user_it_exports_only_what_they_may_see(cast, tmp_path):
    target = tmp_path / "a.xlsx"
    call_command("export_ledger", "--plan", "2026", "-o", str(target), "--by", "liaison_a")
    assert [r["编号"] for r in rows_of(read(str(target)))] == ["1"]


def test_an_unknown_plan_year_is_an_error(cast, tmp_path):
    with pytest.raises(CommandError, match="no plan for 1999"):
        call_command("export_ledger", "--plan", "1999", "-o", str(tmp_path / "x.xlsx"))


def test_an_unknown_user_is_an_error(cast, tmp_path):
    with pytest.raises(CommandError, match="nobody"):
        call_command("export_ledger", "--plan", "2026", "-o", str(tmp_path / "x.xlsx"), "--by", "nobody")


def test_it_refuses_to_write_anything_but_xlsx(cast, tmp_path):
    with pytest.raises(CommandError, match=".xlsx"):
        call_command("export_ledger", "--plan", "2026", "-o", str(tmp_path / "x.csv"))
