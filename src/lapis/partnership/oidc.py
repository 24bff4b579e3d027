"""Single sign-on through OpenID Connect, with Microsoft Entra ID's conventions.

- The ID token is checked: signature (the provider's published keys), expiry, nonce, audience
  (our client ID) and issuer (`LAPIS_OIDC_AUTHORITY`, for Entra
  `https://login.microsoftonline.com/{tenant}/v2.0`).
- The stable subject is Entra's `oid` (the person's object ID in the tenant; `sub` when a
  provider has no `oid`): a changed email address still finds the same login.
- A person is matched to an existing login by email only when the email is *verified*. Entra
  puts an `email` claim that the tenant's administrators or the user may have typed; we take it
  as verified only when the token carries `xms_edov: true` (the "email domain owner verified"
  optional claim, which must be added to the app registration), or when the operator sets
  LAPIS_OIDC_TRUST_TENANT_EMAIL=true for a single-tenant registration whose tenant they trust
  (the council's or the ICB's own directory). `preferred_username` (the UPN) is never taken as
  a verified email: it only names a new login.
- Someone new gets a login with no memberships: they see nothing until an administrator of a
  partnership gives them a role.
"""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from lapis.partnership import actions


def email_verified(claims: dict) -> bool:
    if claims.get("xms_edov") in (True, "true", "1", 1):
        return True
    if claims.get("email_verified") is True:  # providers that follow the OIDC spec's claim
        return True
    return bool(settings.LAPIS_OIDC_TRUST_TENANT_EMAIL)


class EntraBackend(OIDCAuthenticationBackend):
    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another application.")
        issuer = settings.LAPIS_OIDC_ISSUER
        if issuer and payload.get("iss", "").rstrip("/") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        # The ID token's claims, checked above, are what we go on: Entra's userinfo endpoint
        # (Microsoft Graph) lacks `oid` and `xms_edov`.
        claims = payload
        subject = claims.get("oid") or claims.get("sub")
        if not subject:
            raise SuspiciousOperation("The ID token names nobody (no oid or sub).")
        email = (claims.get("email") or "").strip()
        return actions.sign_on(
            issuer=claims.get("iss", settings.LAPIS_OIDC_ISSUER), subject=str(subject),
            email=email, verified=bool(email) and email_verified(claims),
            username=(claims.get("preferred_username") or email or "").strip())
