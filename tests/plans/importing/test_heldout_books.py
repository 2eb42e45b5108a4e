"""Held-out real task books (tests/data/heldout_*.csv, not used to write the importer): each imported in its
own layout against a directory of units as the office that received it would keep them. Every lead is right
(or, where the book names no one unit, a draft with the lead as written), every co-unit is kept, collective
names included, and no book is refused. Names the directory does not know are resolved in one pass: the top
suggestion for each, "create all remaining" for the collective ones."""

import csv
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from tests.plans.importing import builder
from tongtui.orgs.models import Membership, Person, Role, Unit, UnitGroup
from tongtui.plans.importing.apply import apply_book, read_book
from tongtui.plans.importing.book import Options
from tongtui.plans.importing.suggest import Suggester
from tongtui.plans.models import Task

DATA = Path(__file__).resolve().parents[2] / "data"

# The units and groups of each receiving office: full name, the short name the office uses, other names.
DIRECTORIES = {
    "heldout_guoban_2016.csv": {
        "units": [
            ("国家发展和改革委员会", "发展改革委", ["国家发展改革委"]),
            ("人力资源和社会保障部", "人力资源社会保障部", ["人社部"]),
            ("财政部", "", []),
            ("工业和信息化部", "工信部", []),
            ("交通运输部", "", []),
            ("水利部", "", []),
        ],
        "groups": [],
        "people": [],
    },
    "heldout_lishan_2023.csv": {
        "units": [
            ("鞍山市立山区发展和改革局", "区发改局", []),
            ("鞍山市立山区工业和信息化局", "区工信局", []),
            ("鞍山市立山区商务局", "区商务局", []),
            ("鞍山市立山区财政局", "区财政局", []),
            ("鞍山市立山区市场监督管理局", "区市场监管局", []),
            ("国家税务总局鞍山市立山区税务局", "区税务局", []),
            ("立山经济开发区管理委员会", "立山经济开发区", []),
        ],
        "groups": [
            ("各街道", ["各街道办事处"], []),
            ("区直各部门", ["区直部门"], ["区发改局", "区工信局", "区商务局", "区财政局", "区市场监管局"]),
        ],
        "people": [],
    },
    "heldout_zhejiang_notes.csv": {
        "units": [
            ("上城区发展改革和经济信息化局", "区发改经信局", []),
            ("上城区财政局", "区财政局", []),
            ("上城区住房和城市建设局", "区住建局", []),
            ("上城区商务局", "区商务局", []),
            ("上城区文化和广电旅游体育局", "区文广旅体局", []),
            ("上城区统计局", "区统计局", []),
            ("上城区投资促进局", "区投促局", []),
            ("上城区电子机械功能区管理委员会", "区电子机械功能区管委会", []),
            ("湖州市经济和信息化局", "市经信局", []),
            ("湖州市财政局", "市财政局", []),
            ("湖州市发展和改革委员会", "市发展改革委", []),
            ("湖州市人力资源和社会保障局", "市人力社保局", []),
            ("湖州市人民政府金融工作办公室", "市金融办", []),
            ("国家税务总局湖州市税务局", "市税务局", []),
        ],
        "groups": [("各街道", ["各街道办事处"], [])],
        "people": [("王纲", "市长")],
    },
}


@pytest.fixture
def receiving(db):
    """The office that received the book: its government and supervision office, and nothing else yet."""
    root = Unit.objects.create(name="本级人民政府", short_name="本级政府", kind="district")
    desk = Unit.objects.create(name="政府督查室", kind="office", parent=root)
    user = get_user_model().objects.create_user(username="office", password="pw-office")
    person = Person.objects.create(user=user, name="周督查", unit=desk)
    Membership.objects.create(person=person, unit=desk, role=Role.OFFICE)
    return SimpleNamespace(root=root, user=user)


def rows_of(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def office_directory(root: Unit, name: str) -> None:
    spec = DIRECTORIES[name]
    by_short = {}
    for full, short, aliases in spec["units"]:
        unit = Unit.objects.create(name=full, short_name=short, parent=root)
        unit.aliases.bulk_create([unit.aliases.model(unit=unit, name=a) for a in aliases])
        by_short[short or full] = unit
    for group_name, aliases, members in spec["groups"]:
        group = UnitGroup.objects.create(name=group_name, aliases="\n".join(aliases))
        group.units.set([by_short[m] for m in members])
    for person, title in spec["people"]:
        Person.objects.create(name=person, title=title, unit=root)


def book_bytes(rows: list[dict[str, str]], tmp_path: Path) -> tuple[str, bytes]:
    """The book in its own layout: a table as an .xlsx, labelled lines as the pasted text of the notice."""
    if rows[0]["format"] == "table":
        grid = [["序号", "工作任务", "牵头单位", "配合单位"]]
        grid += [[r["seq"], r["task_text"], r["lead_written"], r["co_written"]] for r in rows]
        return "book.xlsx", builder.write_xlsx(tmp_path / "book.xlsx", grid, title=rows[0]["document"]).read_bytes()
    lines, section = [rows[0]["document"]], ""
    for r in rows:
        if r["section"] != section:
            section = r["section"]
            lines.append(section)
        lines.append(f"{r['seq']}.{r['task_text']}")
        if r["lead_written"]:
            lines.append(f"牵头单位:{r['lead_written']}")
        if r["co_written"]:
            lines.append(f"责任单位:{r['co_written']}")
    return "-", ("\n".join(lines) + "\n").encode("utf-8")


def one_pass(filename: str, data: bytes, year: int, plan) -> tuple[dict[str, str], dict[str, str]]:
    """What the office does on the preview: the top suggestion for every name that has one, create the rest.
    Returns the mapping, and the top suggestion's label for each name."""
    first = read_book(filename, data, Options(year=year), plan=plan)
    suggester = Suggester(first.directory)
    mapping, guessed = {}, {}
    for k, unknown in first.unknown_units.items():
        suggestions = suggester.suggest(unknown.name)
        if suggestions and not unknown.collective:
            mapping[k], guessed[unknown.name] = suggestions[0].choice, suggestions[0].label
        else:
            mapping[k] = "create"
    return mapping, guessed


def documents(name: str) -> list[list[dict[str, str]]]:
    """The rows of each document in the file (a file may hold short excerpts of several)."""
    by_document: dict[str, list[dict[str, str]]] = {}
    for row in rows_of(name):
        by_document.setdefault(row["document"], []).append(row)
    return list(by_document.values())


@pytest.mark.parametrize("name", sorted(DIRECTORIES))
def test_a_held_out_book_imports_with_every_lead_and_co_unit_kept(receiving, tmp_path, name):
    office = receiving.user
    office_directory(receiving.root, name)
    for rows in documents(name):
        year = int(rows[0]["year"])
        filename, data = book_bytes(rows, tmp_path)
        mapping, _guessed = one_pass(filename, data, year, None)
        book = read_book(filename, data, Options(year=year, mapping=mapping))
        assert book.ok, book.all_errors  # no book refused
        assert len(book.rows) == len(rows)
        apply_book(book, year=year, by=office, filename=filename)
        tasks = list(Task.objects.filter(plan__year=year).order_by("pk"))
        for task, row in zip(tasks, rows, strict=True):
            lead = task.lead_unit.name if task.lead_unit else f"draft: {task.lead_text}"
            assert lead == row["expect_lead"], (row["seq"], lead)
            kept = set(task.co_group_links.values_list("written", flat=True))
            kept |= set(task.co_unit_links.filter(via_group=None).values_list("unit__name", flat=True))
            expected = {n for n in row["expect_co"].split(";") if n}
            assert kept == expected, (row["seq"], kept ^ expected)


def test_the_names_a_book_writes_otherwise_get_the_right_unit_suggested_first(receiving, tmp_path):
    office_directory(receiving.root, "heldout_zhejiang_notes.csv")
    rows = rows_of("heldout_zhejiang_notes.csv")
    filename, data = book_bytes(rows[:1], tmp_path)
    _mapping, guessed = one_pass(filename, data, 2019, None)
    assert guessed == {
        "区住房和城建局": "区住建局",
        "区文化和广电旅游体育局": "区文广旅体局",
    }


def test_the_leader_of_a_section_heading_and_the_note_in_the_unit_list(receiving, tmp_path):
    office_directory(receiving.root, "heldout_zhejiang_notes.csv")
    rows = rows_of("heldout_zhejiang_notes.csv")[1:]
    filename, data = book_bytes(rows, tmp_path)
    book = read_book(filename, data, Options(year=2020))
    (row,) = book.rows
    assert row.leader.name == "王纲"
    assert [h.written for h in row.co][-1] == "市税务局"  # (列第一位者为工作牵头单位…) is a note, not a unit
