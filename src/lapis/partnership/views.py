"""People and roles: who is in the partnership, who may sign in, and as what."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from lapis.core import history as audit
from lapis.partnership import permissions
from lapis.partnership.actions import AccountError, change_role, create_login, new_password
from lapis.partnership.forms import LoginForm, RoleForm
from lapis.partnership.models import Board, Membership, Person, Role


def people(request):
    partnership = permissions.partnership_for(request)
    if partnership is None:
        return render(request, "plans/no_plan.html")
    return render(request, "partnership/people.html", {
        "partnership": partnership,
        "people": Person.objects.filter(partnership=partnership)
        .select_related("organisation").prefetch_related("boards", "memberships__user"),
        "logins": Membership.objects.filter(partnership=partnership)
        .select_related("user", "person").order_by("user__username"),
        "may_manage": permissions.can_manage_people(request.user, partnership.pk),
    })


def login_new(request):
    partnership = permissions.partnership_for(request)
    permissions.require(partnership is not None and permissions.can_manage_people(
        request.user, partnership.pk), "Only administrators manage logins and roles.")
    boards = {b.pk: b for b in Board.objects.filter(partnership=partnership)}
    form = LoginForm(request.POST or None, boards=boards.values())
    if request.method == "POST" and form.is_valid():
        data, password = form.cleaned_data, new_password()
        try:
            membership = create_login(
                partnership=partnership, username=data["username"], role=Role(data["role"]),
                person=data["person"], boards=[boards[pk] for pk in data["boards"]],
                email=data["email"], password=password, by=request.user, source="web")
        except AccountError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            return render(request, "partnership/login_created.html", {
                "membership": membership, "password": password})
    return render(request, "partnership/login_form.html", {"form": form},
                  status=400 if form.errors else 200)


def login_edit(request, pk: int):
    membership = get_object_or_404(Membership.objects.visible_to(request.user)
                                   .select_related("user", "person"), pk=pk)
    permissions.require(permissions.can_manage_people(request.user, membership.partnership_id),
                        "Only administrators manage logins and roles.")
    form = RoleForm(request.POST or None, initial={
        "role": membership.role, "active": "yes" if membership.user.is_active else "no"})
    if request.method == "POST" and form.is_valid():
        if membership.user == request.user and (
                form.cleaned_data["role"] != Role.ADMIN or not form.cleaned_data["active"]):
            form.add_error("role", "You cannot take away your own administrator role")
        else:
            change_role(membership=membership, role=form.cleaned_data["role"],
                        active=form.cleaned_data["active"], by=request.user, source="web")
            messages.success(request, f"{membership.user.username} is now "
                             f"{membership.get_role_display().lower()}.")
            return redirect("partnership:people")
    return render(request, "partnership/login_edit.html", {
        "membership": membership, "form": form,
        "history": audit.history(membership).order_by("-at", "-id"),
    }, status=400 if form.errors else 200)
