"""One name per thing on screens: the system account is 系统 (System), never its login; a history reason that is
one of the catalogue's fixed phrases reads in the reader's language, whatever language it was written in."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from tongtui.core.history import save_with_history
from tongtui.core.reasons import reason_text
from tongtui.core.system import SYSTEM_USERNAME, display_name, system_user
from tongtui.dispatch.templatetags.dispatch_ui import person_name
from tongtui.plans.models import Task


def client_in(cast, who: str, lang: str):
    client = cast.client(who)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def test_the_system_account_is_named_system_not_by_its_login(db):
    user = system_user()
    with translation.override("en"):
        assert display_name(user) == "System"
        assert person_name(user) == "System"  # 系统 in Chinese: .i18n-pending/polish.po


def test_a_person_is_named_by_their_name_and_a_login_without_one_by_the_login(cast):
    assert display_name(cast.user("office")) == "周督查"
    bare = get_user_model().objects.create_user(username="someone")
    assert display_name(bare) == "someone"
    assert display_name(None) == ""


def test_a_fixed_phrase_written_in_chinese_reads_in_english(db):
    with translation.override("zh-hans"):
        stored = translation.gettext("acknowledged by the lead unit")
    assert stored != "acknowledged by the lead unit"  # the catalogue translates it
    with translation.override("en"):
        assert reason_text(stored) == "acknowledged by the lead unit"
        assert reason_text("acknowledged by the lead unit") == "acknowledged by the lead unit"
        assert reason_text("按会议要求调整") == "按会议要求调整"  # free text stays as written
    with translation.override("zh-hans"):
        assert reason_text("acknowledged by the lead unit") == stored


@pytest.mark.parametrize("lang, system, reason", [("en", "System", "acknowledged by the lead unit")])
def test_the_task_history_names_the_system_and_translates_the_reason(cast, lang, system, reason):
    task = Task.objects.get(pk=cast.task_a.pk)
    with translation.override("zh-hans"):
        save_with_history(task, by=system_user(), reason=translation.gettext("acknowledged by the lead unit"))
    page = client_in(cast, "office", lang).get(f"/tasks/{task.pk}/").content.decode()
    history = page[page.index('id="task-history"') :]
    assert f"<strong>{system}</strong>" in history
    assert f"— {reason}" in history
    assert SYSTEM_USERNAME not in page


def test_a_phrase_with_values_reads_in_the_readers_language_with_its_values(db):
    with translation.override("zh-hans"):
        stored = translation.gettext("report accepted: %(report)s") % {"report": "1.1 2026-10-01–2026-10-31"}
    assert not stored.startswith("report accepted")
    with translation.override("en"):
        assert reason_text(stored) == "report accepted: 1.1 2026-10-01–2026-10-31"
        assert reason_text("节点完成") == "节点完成"  # too little fixed text to be one of the catalogue's phrases
