"""People: the list (search, unit filter), a person's details, roles in units and login. A password the
office sets or generates is shown once, in the answer to the request that set it, and never stored in
the clear."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core.paging import Paginator
from tongtui.orgs import actions as org_actions
from tongtui.orgs import actions_accounts, lockout, tokens
from tongtui.orgs.models import Membership, Person
from tongtui.setup.forms_org import GrantRoleForm, LoginForm, PeopleFilterForm, PersonForm, ResetPasswordForm
from tongtui.setup.views import REFUSED, attempt, office_only, to_form

PAGE_SIZE = 50


@login_required
def locked_list(request: HttpRequest) -> HttpResponse:
    """登录锁定: the logins locked by too many wrong passwords, until when, and a button to free each."""
    office_only(request)
    return render(request, "setup/person_locked.html", {"nav": "setup", "locked": lockout.locked_logins(),
                                                        "limit": settings.AXES_FAILURE_LIMIT})  # fmt: skip


@login_required
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    office_only(request)
    username = request.POST.get("username", "")
    attempt(request, lambda: lockout.unlock(username, by=request.user),
            _("%(name)s can log in again.") % {"name": username})  # fmt: skip
    return redirect("setup:person-locked")


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    office_only(request)
    filters = PeopleFilterForm(request.GET)
    filters.is_valid()  # an unknown unit is ignored; the search still applies
    q = filters.cleaned_data.get("q", "").strip()
    unit = filters.cleaned_data.get("unit")
    people = Person.objects.select_related("unit", "user").prefetch_related(
        Prefetch(
            "memberships", queryset=Membership.objects.select_related("unit").order_by("unit__order", "role")
        )
    )
    if q:
        people = people.filter(
            Q(name__icontains=q)
            | Q(title__icontains=q)
            | Q(phone__icontains=q)
            | Q(user__username__icontains=q)
        )
    if unit is not None:
        people = people.filter(
            Q(unit=unit) | Q(pk__in=Membership.objects.filter(unit=unit).values("person_id"))
        )
    page = Paginator(people.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"nav": "setup", "page": page, "filters": filters, "q": q, "unit": unit}
    return render(request, "setup/person_list.html", context)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    office_only(request)
    initial = {"unit": request.GET["unit"]} if request.GET.get("unit", "").isdigit() else {}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = org_actions.create_person(by=request.user, **form.cleaned_data)
        except REFUSED as exc:
            to_form(form, exc)
        else:
            messages.success(request, _("%(name)s added.") % {"name": person.name})
            return redirect("setup:person-detail", person.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "setup/person_form.html", {"nav": "setup", "form": form}, status=status)


def _person(request: HttpRequest, pk: int) -> Person:
    office_only(request)
    return get_object_or_404(Person.objects.select_related("unit", "user"), pk=pk)


def _person_page(request: HttpRequest, person: Person, status: int = 200, **forms: object) -> HttpResponse:
    context = {
        "nav": "setup",
        "person": person,
        "form": forms.get("form") or PersonForm(person=person),
        "role_form": forms.get("role_form") or GrantRoleForm(initial={"unit": person.unit_id}),
        "login_form": forms.get("login_form") or LoginForm(),
        "reset_form": forms.get("reset_form") or ResetPasswordForm(),
        "memberships": list(person.memberships.select_related("unit").order_by("unit__order", "role")),
        "posts": list(person.posts.select_related("unit")),
        "issued": forms.get("issued"),
        "token": tokens.of(person.user) if person.user_id else None,
    }
    response = render(request, "setup/person_detail.html", context, status=status)
    if context["issued"]:
        add_never_cache_headers(response)
    return response


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = PersonForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            org_actions.update_person(person, by=request.user, **form.cleaned_data)
        except REFUSED as exc:
            to_form(form, exc)
            person.refresh_from_db()
        else:
            messages.success(request, _("%(name)s saved.") % {"name": person.name})
            return redirect("setup:person-detail", person.pk)
    return _person_page(request, person, 400 if form.errors else 200, form=form)


@login_required
@require_POST
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = GrantRoleForm(request.POST)
    if form.is_valid():
        unit, role = form.cleaned_data["unit"], form.cleaned_data["role"]
        try:
            org_actions.grant_role(person, unit, role, by=request.user)
        except REFUSED as exc:
            to_form(form, exc)
        else:
            messages.success(request, _("Role granted."))
            return redirect("setup:person-detail", person.pk)
    return _person_page(request, person, 400, role_form=form)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    office_only(request)
    membership = get_object_or_404(Membership.objects.select_related("person", "unit"), pk=pk)
    attempt(request, lambda: org_actions.revoke_role(membership, by=request.user),
            _("Role revoked: %(role)s of %(unit)s.")
            % {"role": membership.get_role_display(), "unit": membership.unit})  # fmt: skip
    return redirect("setup:person-detail", membership.person_id)


@login_required
@require_POST
def login_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = LoginForm(request.POST)
    if form.is_valid():
        try:
            issued = actions_accounts.create_login(person, by=request.user, **form.cleaned_data)
        except REFUSED as exc:
            to_form(form, exc)
        else:
            person.refresh_from_db()
            return _person_page(request, person, issued=issued)
    return _person_page(request, person, 400, login_form=form)


@login_required
@require_POST
def login_change(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    person = _person(request, pk)
    by = request.user
    if step == "reset":
        form = ResetPasswordForm(request.POST)
        if form.is_valid():
            try:
                issued = actions_accounts.reset_password(person, by=by, **form.cleaned_data)
            except REFUSED as exc:
                to_form(form, exc)
            else:
                person.refresh_from_db()
                return _person_page(request, person, issued=issued)
        return _person_page(request, person, 400, reset_form=form)
    if step == "deactivate":
        attempt(
            request, lambda: actions_accounts.set_login_active(person, False, by=by), _("Login deactivated.")
        )
    elif step == "reactivate":
        attempt(
            request, lambda: actions_accounts.set_login_active(person, True, by=by), _("Login reactivated.")
        )
    elif step == "revoke-token":
        attempt(request, lambda: tokens.revoke(person, by=by), _("API token revoked."))
    else:
        raise Http404("No such step")
    return redirect("setup:person-detail", person.pk)
