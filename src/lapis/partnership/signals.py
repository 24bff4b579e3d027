"""The sign-in log: every success, wrong password and lockout, written through
`actions.record_sign_in` from Django's own signals (and django-axes' lockout flag)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from lapis.partnership import actions
from lapis.partnership.models import SignIn


def _address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in, dispatch_uid="lapis-sign-in")
def _signed_in(sender, request, user, **kwargs):
    method = "sso" if getattr(user, "backend", "").endswith("EntraBackend") else "password"
    actions.record_sign_in(username=user.get_username(), user=user, address=_address(request),
                           outcome=SignIn.Outcome.SUCCESS, method=method)


@receiver(user_login_failed, dispatch_uid="lapis-sign-in-failed")
def _failed(sender, credentials, request=None, **kwargs):
    # django-axes' own receiver runs first (its app loads first) and flags a lockout.
    locked = bool(getattr(request, "axes_locked_out", False))
    actions.record_sign_in(username=credentials.get("username", ""), address=_address(request),
                           outcome=SignIn.Outcome.LOCKOUT if locked else SignIn.Outcome.FAILURE)
