"""LAPIS's URLs with single sign-on switched on, as LAPIS_OIDC_CLIENT_ID would at start-up."""

from django.urls import include, path

from lapis.urls import urlpatterns as lapis_urlpatterns

urlpatterns = [*lapis_urlpatterns, path("oidc/", include("mozilla_django_oidc.urls"))]
