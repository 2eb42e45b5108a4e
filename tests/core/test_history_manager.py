"""A model's history manager class is built once at start-up, not on every save (simple_history builds it anew each
time `history` is reached, and every save reaches it to write the historical row)."""

from django.apps import apps
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalChanges

from tongtui.core.history import save_with_history
from tongtui.plans.models import Task


def test_every_history_keeps_one_manager_class():
    tracked = [m for m in apps.get_models() if getattr(m._meta, "simple_history_manager_attribute", None)]
    assert len(tracked) > 20
    for model in tracked:
        name = model._meta.simple_history_manager_attribute
        first, second = getattr(model, name), getattr(model, name)
        assert first is not second  # each access has its own manager, as before
        assert type(first) is type(second), model  # ... of the one class
        assert isinstance(first, HistoryManager)
        assert issubclass(first.model, HistoricalChanges)


def test_a_saved_task_still_records_its_history_with_who_and_why(cast):
    task = Task.objects.get(pk=cast.task_a.pk)
    task.title = "改写后的标题"
    save_with_history(task, by=cast.user("office"), reason="标题改写")
    latest = task.history.first()
    assert (latest.title, latest.history_user, latest.history_change_reason) == (
        "改写后的标题", cast.user("office"), "标题改写"
    )
    assert latest.instance.pk == task.pk
    assert Task.history.filter(id=task.pk).count() == task.history.count() >= 2
    assert task.history.as_of(latest.history_date).title == "改写后的标题"
