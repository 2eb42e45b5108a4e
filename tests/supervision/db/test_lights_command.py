import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tongtui.supervision.models import LightState, TaskLight

from .conftest import D


def rows_of(path):
    sheet = load_workbook(path).active
    return [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]


def test_it_exports_one_row_per_task_as_known_on_the_day(lights, tmp_path):
    cast = lights.cast
    lights.report(cast.task_a, 3, 30, submitted=D(2026, 3, 24))
    lights.report(cast.task_a, 4, 90, submitted=D(2026, 4, 27))  # not known yet on 26 April
    out = tmp_path / "lights.xlsx"
    call_command("lights", "--plan", "2026", "--as-of", "2026-04-26", "-o", str(out))
    rows = rows_of(out)
    assert [r[0] for r in rows] == ["1", "2"]
    code, title, unit, light, reasons, finish, planned, actual = rows[0]
    assert (title, unit, actual) == (cast.task_a.title, "区发改局", 30)
    assert light == str(LightState.YELLOW.label)  # the April report was due on the 24th and not in yet
    assert reasons
    assert planned == 25  # planned progress on the day the latest known report speaks of (31 March)
    assert not TaskLight.objects.exists()  # an export writes nothing


def test_the_sheet_names_its_plan_and_day(lights, tmp_path):
    out = tmp_path / "lights.xlsx"
    call_command("lights", "--plan", "2026", "--as-of", "2026-04-26", "-o", str(out))
    sheet = load_workbook(out).active
    assert "2026-04-26" in sheet["A1"].value
    assert "2026-04-26" in sheet["A2"].value


def test_without_a_file_it_stores_todays_lights(lights, capsys):
    call_command("lights", "--plan", "2026")
    assert TaskLight.objects.count() == 2
    assert "2026" in capsys.readouterr().out


def test_it_refuses_an_unknown_plan_and_a_bad_date(lights, tmp_path):
    with pytest.raises(CommandError):
        call_command("lights", "--plan", "1999", "-o", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError):
        call_command("lights", "--plan", "2026", "--as-of", "26/04/2026")
    with pytest.raises(CommandError):
        call_command("lights", "--plan", "2026", "-o", str(tmp_path / "x.csv"))
