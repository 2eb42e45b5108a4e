"""As deployed (DERIVED_REFRESH = "worker"), filing a report only marks its task's light and scores stale;
the worker's round recomputes them, and until it has, the light readers compute that light live."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.dispatch.conftest import MARCH
from tongtui.assessment.tasks import scores_stale
from tongtui.core import stale
from tongtui.core.history import save_with_history
from tongtui.core.models import Stale
from tongtui.dispatch import actions
from tongtui.supervision.light_views import stored_lights
from tongtui.supervision.models import TaskLight
from tongtui.supervision.recompute import evaluate, recompute_tasks
from tongtui.supervision.tasks import lights_stale, repeats_stale


@pytest.fixture
def worker_mode(settings):
    settings.DERIVED_REFRESH = "worker"


def file_report(d):
    by = d.user("liaison_a")
    report = actions.start_or_get_draft(d.task_a, MARCH, by=by)
    actions.save_draft(report, by=by, version=report.version, progress=Decimal(35), done="完成可研批复")
    return actions.submit_report(report, by=by)


def fresh_light(task_id: int) -> str:
    return evaluate([task_id])[1][0].light.value


def test_filing_marks_the_light_and_scores_stale_and_recomputes_nothing_itself(
    d, worker_mode, django_capture_on_commit_callbacks
):
    recompute_tasks([d.task_a.pk])
    before = TaskLight.objects.get(task=d.task_a).computed_at
    with django_capture_on_commit_callbacks(execute=True):
        report = file_report(d)
    assert TaskLight.objects.get(task=d.task_a).computed_at == before
    assert set(Stale.objects.values_list("kind", "key")) == {
        ("light", d.task_a.pk),
        ("scores", d.task_a.pk),
        ("repeat", report.pk),
    }


def test_the_workers_round_recomputes_the_marked_light_and_clears_the_mark(d, worker_mode):
    recompute_tasks([d.task_a.pk])
    before = TaskLight.objects.get(task=d.task_a).computed_at
    file_report(d)
    assert lights_stale.call() == 1
    assert scores_stale.call() == 1
    assert repeats_stale.call() == 1
    light = TaskLight.objects.get(task=d.task_a)
    assert light.computed_at > before
    assert light.light == fresh_light(d.task_a.pk)
    assert not Stale.objects.exists()


def test_until_the_worker_runs_a_stale_light_is_shown_as_computed_now(d, worker_mode):
    recompute_tasks([d.task_a.pk])
    TaskLight.objects.filter(task=d.task_a).update(light="blue", reasons=[])  # not what it is
    file_report(d)
    shown = stored_lights([d.task_a.pk, d.task_c.pk])[d.task_a.pk]
    assert shown.light == fresh_light(d.task_a.pk) != "blue"


def test_a_mark_made_again_during_the_recompute_stays_for_the_next_round(d):
    stale.mark("light", d.task_a.pk)

    def recompute(ids):
        stale.mark("light", d.task_a.pk)  # another report filed meanwhile

    assert stale.refresh("light", recompute) == 0
    assert stale.stale_keys("light", [d.task_a.pk]) == {d.task_a.pk}


def test_a_filing_rolled_back_leaves_no_mark(d, worker_mode):
    with pytest.raises(RuntimeError), transaction.atomic():
        file_report(d)
        raise RuntimeError
    assert not Stale.objects.exists()


def test_a_saves_marks_are_written_in_one_statement(d, worker_mode):
    by = d.user("liaison_a")
    report = actions.start_or_get_draft(d.task_a, MARCH, by=by)
    actions.save_draft(report, by=by, version=report.version, progress=Decimal(35), done="完成可研批复")
    Stale.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        actions.submit_report(report, by=by)
    upserts = [q["sql"] for q in ctx.captured_queries if "core_stale" in q["sql"]]
    assert len(upserts) == 1, upserts
    assert set(Stale.objects.values_list("kind", "key")) == {
        ("light", d.task_a.pk),
        ("scores", d.task_a.pk),
        ("repeat", report.pk),
    }


def test_saving_a_drafts_words_marks_no_scores_but_starting_and_submitting_do(d, worker_mode):
    by = d.user("liaison_a")
    report = actions.start_or_get_draft(d.task_a, MARCH, by=by)
    assert set(Stale.objects.values_list("kind", "key")) == {("scores", d.task_a.pk)}  # a new report row
    Stale.objects.all().delete()
    actions.save_draft(report, by=by, version=report.version, progress=Decimal(35), done="完成可研批复")
    assert not Stale.objects.exists()  # words and progress: nothing a score rule reads
    actions.submit_report(report, by=by)
    assert ("scores", d.task_a.pk) in set(Stale.objects.values_list("kind", "key"))


def test_a_report_whose_due_date_changes_marks_its_scores(d, worker_mode):
    by = d.user("liaison_a")
    report = actions.start_or_get_draft(d.task_a, MARCH, by=by)
    Stale.objects.all().delete()
    report.due = report.due + datetime.timedelta(days=3)
    save_with_history(report, by=d.user("office"))
    assert set(Stale.objects.values_list("kind", "key")) == {("scores", d.task_a.pk)}


def test_marks_held_for_one_save_are_dropped_when_it_fails(d, worker_mode):
    with pytest.raises(RuntimeError), stale.together():
        stale.mark("light", d.task_a.pk)
        stale.mark("light", d.task_a.pk)
        raise RuntimeError
    assert not Stale.objects.exists()
    with stale.together():
        stale.mark("light", d.task_a.pk)
        with stale.together():  # nested: written once, at the outer end
            stale.mark("scores", d.task_a.pk)
        assert not Stale.objects.exists()
    assert set(Stale.objects.values_list("kind", "key")) == {("light", d.task_a.pk), ("scores", d.task_a.pk)}


@pytest.mark.django_db(transaction=True)  # a real autocommit: the mark's callback runs during the save
def test_in_commit_mode_a_save_outside_a_transaction_is_recomputed_at_once(d, settings):
    settings.DERIVED_REFRESH = "commit"
    recompute_tasks([d.task_a.pk])
    TaskLight.objects.filter(task=d.task_a).update(light="blue", reasons=[])  # not what it is
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    report.status = "submitted"
    save_with_history(report, by=d.user("liaison_a"))
    assert TaskLight.objects.get(task=d.task_a).light == fresh_light(d.task_a.pk) != "blue"
    assert not Stale.objects.filter(kind="light").exists()
