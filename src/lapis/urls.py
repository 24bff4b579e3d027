from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from lapis.api.api import api
from lapis.partnership import views as partnership_views
from lapis.plans import views as plan_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="plans:register"), name="home"),
    path("plan/", include("lapis.plans.urls")),
    path("public/<int:pk>/", plan_views.public_plan, name="public_plan"),
    path("scorecard/", include("lapis.scorecard.urls")),
    path("cases/", include("lapis.cases.urls")),
    path("inclusion/", include("lapis.inclusion.urls")),
    path("sef/", include("lapis.sef.urls")),
    path("board-packs/", include("lapis.boardpacks.urls")),
    path("people/", include("lapis.partnership.urls")),
    path("boards/", include("lapis.governance.urls")),
    path("risks/", include("lapis.risks.urls")),
    path("quality/reports/", include("lapis.quality.report_urls")),
    path("quality/", include("lapis.quality.urls")),
    path("voice/", include("lapis.voice.urls")),
    path("public/<int:pk>/you-said-we-did/", include("lapis.voice.public_urls")),
    path("timeline/", include("lapis.timeline.urls")),
    path("accounts/password_reset/", partnership_views.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.LAPIS_OIDC:  # single sign-on, when LAPIS_OIDC_CLIENT_ID is set
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
