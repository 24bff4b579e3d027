from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.shortcuts import redirect
from django.urls import reverse


class LoginRequired(LoginRequiredMiddleware):
    """Pages need a login. The API answers 401 itself rather than redirecting to a form; the
    single sign-on views (/oidc/) are how one signs in."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(("/api/", "/oidc/")):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStore:
    """`Cache-Control: no-store` on every page and file a signed-in person is given: no copy
    of children's data stays in a shared computer's browser cache or a proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _signed_in(request) or response.has_header("Content-Disposition"):
            response["Cache-Control"] = "no-store, private"
        return response


class DownloadLog:
    """Records who took a file away (any response with `Content-Disposition`: plan and case
    exports, reports, board packs): user, partnership, path, time and address. Administrators
    read it at /people/downloads/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (_signed_in(request) and response.status_code == 200
                and response.has_header("Content-Disposition")):
            from lapis.partnership import actions, permissions

            try:
                partnership = permissions.partnership_for(request)
            except Exception:  # noqa: BLE001 - a bad ?partnership= still logs the download
                partnership = None
            disposition = response["Content-Disposition"]
            filename = disposition.partition("filename=")[2].strip('"; ')
            actions.record_download(user=request.user,
                                    partnership_id=partnership.pk if partnership else None,
                                    path=request.get_full_path(), filename=filename,
                                    address=request.META.get("REMOTE_ADDR"))
        return response


class TwoFactorRequired:
    """An administrator or programme manager of a partnership that requires two-factor sign-in
    proves a code (django-otp) before any other page: enrolling first if they have no
    authenticator yet."""

    EXEMPT = ("/people/two-factor/", "/accounts/logout/", "/static/", "/oidc/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (_signed_in(request) and not request.path_info.startswith(self.EXEMPT)
                and not request.user.is_verified() and needs_two_factor(request.user)):
            if request.path_info.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": "Two-factor sign-in required"}, status=401)
            return redirect(f"{reverse('partnership:two_factor')}?next={request.path}")
        return self.get_response(request)


def needs_two_factor(user) -> bool:
    from lapis.partnership.models import Membership
    from lapis.partnership.permissions import EDITORS

    return Membership.objects.filter(user=user, active=True, role__in=EDITORS,
                                     partnership__two_factor=True).exists()
