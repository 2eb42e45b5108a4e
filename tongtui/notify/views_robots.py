"""Set-up of group robots (/setup/robots/): the office adds, changes, tests and switches them off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core.errors import ActionError, Forbidden
from tongtui.notify import access, actions
from tongtui.notify.forms import RobotForm, masked
from tongtui.notify.kinds import Kind, robot_default_kinds
from tongtui.notify.models import Delivery, Robot, Status


def _page(request: HttpRequest, form: RobotForm, robot: Robot | None, status: int = 200) -> HttpResponse:
    robots = list(Robot.objects.select_related("unit", "plan"))
    failed = dict(
        Delivery.objects.filter(status=Status.FAILED, robot__isnull=False)
        .values_list("robot_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [
        {"robot": r, "webhook": masked(r.webhook), "kinds": [Kind(k).label for k in r.kinds if k in Kind.values],
         "failed": failed.get(r.pk, 0)}
        for r in robots
    ]  # fmt: skip
    context = {"rows": rows, "form": form, "robot": robot, "nav": "setup"}
    return render(request, "notify/robot_list.html", context, status=status)


def _save(request: HttpRequest, form: RobotForm, robot: Robot) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    robot.name, robot.platform = data["name"], data["platform"]
    robot.unit, robot.plan, robot.kinds = data["unit"], data["plan"], list(data["kinds"])
    try:
        actions.save_robot(robot, by=request.user, webhook=data["webhook"], secret=data["secret"])
    except (ActionError, Forbidden) as exc:
        form.add_error(None, exc.messages if isinstance(exc, ActionError) else str(exc))
        return False
    messages.success(request, _("Group robot saved: %(name)s") % {"name": robot.name})
    return True


@login_required
def robot_list(request: HttpRequest) -> HttpResponse:
    access.office_only(request.user)
    robot = Robot()
    form = RobotForm(request.POST or None, robot=None, initial={"kinds": robot_default_kinds()})
    if request.method == "POST":
        if _save(request, form, robot):
            return redirect("notify:robot-list")
        return _page(request, form, None, status=400)
    return _page(request, form, None)


@login_required
def robot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    robot = access.get_robot_for(request.user, pk)
    initial = {"name": robot.name, "platform": robot.platform, "unit": robot.unit, "plan": robot.plan,
               "kinds": robot.kinds}  # fmt: skip
    form = RobotForm(request.POST or None, robot=robot, initial=initial)
    if request.method == "POST":
        if _save(request, form, robot):
            return redirect("notify:robot-list")
        return _page(request, form, robot, status=400)
    return _page(request, form, robot)


@login_required
@require_POST
def robot_test(request: HttpRequest, pk: int) -> HttpResponse:
    robot = access.get_robot_for(request.user, pk)
    actions.test_robot(robot, by=request.user)
    messages.success(
        request, _("A test message is queued; the group sees it within a minute if all is well.")
    )
    return redirect("notify:robot-list")


@login_required
@require_POST
def robot_switch(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    robot = access.get_robot_for(request.user, pk)
    if step not in ("on", "off", "forget-secret"):
        raise Http404
    if step == "forget-secret":
        actions.remove_secret(robot, by=request.user)
        messages.success(request, _("Signing secret removed."))
    else:
        actions.set_robot_active(robot, step == "on", by=request.user)
        messages.success(
            request, _("Group robot switched on.") if step == "on" else _("Group robot switched off.")
        )
    return redirect("notify:robot-list")
