"""The service navigation: one list, so each section is marked current in one way."""

NAVIGATION = [
    # (label, link, the paths it is current for)
    ("Register", "/plan/", ("/plan/", "/plan/actions/")),
    ("Drift and delay", "/plan/drift/", ("/plan/drift/",)),
    ("Change control", "/plan/changes/", ("/plan/changes/",)),
    ("Timeline", "/timeline/", ("/timeline/",)),
    ("Scorecard", "/scorecard/", ("/scorecard/", "/inclusion/")),
    ("SEF", "/sef/", ("/sef/",)),
    ("EHC timeliness", "/cases/", ("/cases/",)),
    ("Plan quality", "/quality/", ("/quality/",)),
    ("Voice", "/voice/", ("/voice/",)),
    ("Risks", "/risks/", ("/risks/",)),
    ("Boards", "/boards/", ("/boards/", "/board-packs/")),
    ("People", "/people/", ("/people/",)),
]


def navigation(request):
    if not request.user.is_authenticated:
        from django.conf import settings

        # The login page and the public view link nowhere private; the login page offers
        # single sign-on when it is configured.
        return {"navigation": [], "sso": settings.LAPIS_OIDC}
    path = request.path

    def current(prefixes):
        return any(path == p if p.endswith("/plan/") else path.startswith(p) for p in prefixes)

    return {"navigation": [
        {"label": label, "href": href, "current": current(prefixes)}
        for label, href, prefixes in NAVIGATION
    ]}
