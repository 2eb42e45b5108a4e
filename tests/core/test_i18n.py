"""Chinese is the default language, English one click away, and the catalogue has a translation for every string."""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

import tongtui

LOCALE = Path(tongtui.__file__).resolve().parent / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PROJECT = Path(tongtui.__file__).resolve().parent.parent
IGNORED = [".venv", "tests", "bench", "staticfiles"]


def entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr / msgstr[n] and flags (the header is left out)."""
    found, entry, field = [], {"flags": set()}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in entry and entry["msgid"]:
                found.append(entry)
            entry, field = {"flags": set()}, None
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#~"):
            entry["flags"].add("obsolete")
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, value = line.split(" ", 1)
            entry[field] = ast.literal_eval(value)
    return found


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def placeholders(text: str) -> list[str]:
    """Named %-placeholders, {name} fields and HTML tags: what a translation must carry over unchanged."""
    named = re.findall(r"%\((\w+)\)", text)
    braces = re.findall(r"(?<!\{)\{(\w*)\}(?!\})", text)
    tags = re.findall(r"</?[a-zA-Z][^>]*>", text)
    return sorted(named) + sorted("{" + b + "}" for b in braces) + sorted(tags)


def problems(path: Path) -> list[str]:
    found = []
    for e in entries(path):
        if "fuzzy" in e["flags"]:
            found.append(f"fuzzy: {e['msgid']!r}")
        elif "obsolete" not in e["flags"] and not all(translations(e)):
            found.append(f"untranslated: {e['msgid']!r}")
    return found


# --- the pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_login_page_speaks_chinese_by_default(client):
    page = client.get("/login/").content.decode()
    assert "统推" in page and "登录" in page and "重点工作统筹推进与督查" in page and "用户名" in page
    assert "Log in" not in page and "Password" not in page
    assert '<html lang="zh-hans">' in page


@pytest.mark.django_db
def test_switching_the_language_to_english_shows_the_login_page_in_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/login/"
    assert "Log in" in page and "Key-work coordination and supervision" in page and "Password" in page
    assert "登录" not in page and "用户名" not in page


@pytest.mark.django_db
def test_a_browser_asking_for_english_still_gets_chinese_until_the_user_switches(client):
    page = client.get("/login/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "登录" in page


@pytest.mark.django_db
def test_switching_back_to_chinese_shows_chinese_again(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login/"})
    assert "登录" in client.get("/login/").content.decode()


def test_the_task_list_uses_the_glossary_words_in_chinese_and_english(cast):
    office = cast.client("office")
    chinese = office.get("/tasks/").content.decode()
    assert "重点任务" in chinese and "牵头单位" in chinese and "筛选" in chinese and "退出登录" in chinese
    office.post("/i18n/setlang/", {"language": "en", "next": "/tasks/"})
    english = office.get("/tasks/").content.decode()
    assert "Key tasks" in english and "Lead unit" in english and "牵头单位" not in english


# --- the catalogue ------------------------------------------------------------------------------------


def test_the_reader_finds_untranslated_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Save"\nmsgstr "保存"\n\n'
        'msgid "Tasks"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Task"\nmsgstr "任务"\n\n'
        'msgid "%(n)s task"\nmsgid_plural "%(n)s tasks"\nmsgstr[0] ""\n',
        encoding="utf-8",
    )
    assert problems(po) == ["untranslated: 'Tasks'", "fuzzy: 'Task'", "untranslated: '%(n)s task'"]


def test_every_string_in_the_catalogue_is_translated_and_none_is_fuzzy():
    assert entries(PO), "the catalogue is empty"
    assert problems(PO) == []


def test_translations_keep_every_placeholder_and_tag():
    wrong = []
    for e in entries(PO):
        for text in translations(e):
            if placeholders(text) != placeholders(e["msgid"]):
                wrong.append(f"{e['msgid']!r} -> {text!r}")
    assert wrong == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_accepts_the_catalogue_and_counts_nothing_untranslated():
    run = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "untranslated" not in run.stderr and "fuzzy" not in run.stderr, run.stderr


def test_the_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for e in entries(PO):
        context = e.get("msgctxt")
        if "msgid_plural" in e:
            if context is not None:
                found = compiled.npgettext(context, e["msgid"], e["msgid_plural"], 1)
            else:
                found = compiled.ngettext(e["msgid"], e["msgid_plural"], 1)
            if found != e["msgstr[0]"]:
                stale.append(e["msgid"])
        elif context is not None:
            if compiled.pgettext(context, e["msgid"]) != e["msgstr"]:
                stale.append(f"{context}|{e['msgid']}")
        elif compiled.gettext(e["msgid"]) != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == [], "run `tongtui compilemessages --ignore=.venv`"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext (xgettext) is not installed")
def test_every_string_in_the_source_has_a_translation(settings, tmp_path, monkeypatch):
    """makemessages over the source into a copy of the catalogue: a new string without a translation fails here."""
    copy = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(PO, copy)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(PROJECT)
    before = PO.read_bytes()
    # "locale" is ignored so that makemessages does not adopt tongtui/locale and write into the real catalogue.
    ignore = [*IGNORED, "locale"]
    call_command("makemessages", locale=["zh_Hans"], ignore_patterns=ignore, no_obsolete=True, verbosity=0)
    assert PO.read_bytes() == before, "makemessages wrote into the real catalogue"
    assert entries(copy), "makemessages found no strings"
    assert problems(copy) == [], "run makemessages -l zh_Hans and translate the new strings"
