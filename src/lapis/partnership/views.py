"""People and roles: who is in the partnership, who may sign in, and as what."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render

from lapis.core import history as audit
from lapis.partnership import permissions
from lapis.partnership.actions import (
    AccountError,
    change_role,
    create_login,
    enrol_totp,
    new_password,
    record_sign_in,
    set_two_factor,
)
from lapis.partnership.forms import LoginForm, RoleForm
from lapis.partnership.models import Board, Download, Membership, Person, Role, SignIn


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
        "role": membership.role, "active": "yes" if membership.active else "no"})
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


# Sign-in, downloads, two-factor (issue 14) -------------------------------------------------

def _administered(request):
    partnership = permissions.partnership_for(request)
    permissions.require(partnership is not None and permissions.can_manage_people(
        request.user, partnership.pk), "Only administrators see the sign-in and download logs.")
    return partnership


def sign_ins(request):
    """The sign-in log of the partnership's logins: successes, wrong passwords, lockouts."""
    from django.db.models import Q

    partnership = _administered(request)
    members = Membership.objects.filter(partnership=partnership)
    names = members.values("user__username")
    log = SignIn.objects.filter(Q(user__in=members.values("user")) | Q(username__in=names))
    return render(request, "partnership/sign_ins.html", {
        "partnership": partnership, "log": log.select_related("user")[:500]})


def downloads(request):
    """Who downloaded which export, report or board pack of the partnership, and when."""
    partnership = _administered(request)
    return render(request, "partnership/downloads.html", {
        "partnership": partnership,
        "log": Download.objects.filter(partnership=partnership).select_related("user")[:500]})


def two_factor_setting(request):
    """An administrator requires (or stops requiring) two-factor sign-in for editors."""
    partnership = _administered(request)
    if request.method == "POST":
        set_two_factor(partnership=partnership, required=request.POST.get("required") == "yes",
                       by=request.user, source="web")
        messages.success(request, "Two-factor sign-in is now "
                         + ("required" if partnership.two_factor else "not required")
                         + " for administrators and programme managers.")
        return redirect("partnership:people")
    return render(request, "partnership/two_factor_setting.html", {"partnership": partnership})


def _safe_next(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return wanted
    return "/"


def two_factor(request):
    """Prove a code from an authenticator app; enrol one first if there is none."""
    from base64 import b32encode
    from binascii import unhexlify
    from urllib.parse import quote

    from django.conf import settings
    from django_otp import login as otp_login
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp.util import random_hex

    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    code = "".join(request.POST.get("code", "").split())
    error = ""
    if device is None:
        key = request.session.get("lapis_totp_key") or random_hex(20)
        request.session["lapis_totp_key"] = key
        if request.method == "POST":
            if code.isdigit() and TOTP(unhexlify(key)).verify(int(code), tolerance=1):
                device = enrol_totp(user=request.user, key=key)
                del request.session["lapis_totp_key"]
                otp_login(request, device)
                return redirect(_safe_next(request))
            error = "Enter the 6-digit code your authenticator app shows now"
        secret = b32encode(unhexlify(key)).decode()
        label = quote(f"{settings.OTP_TOTP_ISSUER}:{request.user.get_username()}")
        return render(request, "partnership/two_factor.html", {
            "enrol": True, "secret": " ".join(secret[i:i + 4] for i in range(0, 32, 4)),
            "uri": f"otpauth://totp/{label}?secret={secret}&issuer="
                   f"{quote(settings.OTP_TOTP_ISSUER)}",
            "error": error, "next": _safe_next(request)}, status=400 if error else 200)
    if request.method == "POST":
        if code.isdigit() and device.verify_token(code):
            otp_login(request, device)
            return redirect(_safe_next(request))
        error = "Enter the 6-digit code your authenticator app shows now"
    return render(request, "partnership/two_factor.html", {
        "enrol": False, "error": error, "next": _safe_next(request)},
        status=400 if error else 200)


@login_not_required
def password_reset(request):
    """Django's password reset, throttled: at most LAPIS_RESET_LIMIT requests an hour from one
    address and for one email address, each one in the sign-in log."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth.views import PasswordResetView
    from django.utils import timezone

    if request.method == "POST":
        address = request.META.get("REMOTE_ADDR")
        email = request.POST.get("email", "").strip()[:150]
        recent = SignIn.objects.filter(outcome=SignIn.Outcome.RESET,
                                       at__gte=timezone.now() - timedelta(hours=1))
        if (recent.filter(address=address).count() >= settings.LAPIS_RESET_LIMIT
                or (email and recent.filter(username__iexact=email).count()
                    >= settings.LAPIS_RESET_LIMIT)):
            return render(request, "registration/reset_throttled.html", status=429)
        record_sign_in(username=email, address=address, outcome=SignIn.Outcome.RESET)
    return PasswordResetView.as_view()(request)
