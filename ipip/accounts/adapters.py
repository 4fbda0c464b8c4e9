import time
from datetime import UTC, datetime
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by administrators, never by sign-up.
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        required: bool = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and self._is_first_enrolment_after_sign_in():
            return False
        return required

    def _is_first_enrolment_after_sign_in(self) -> bool:
        """Someone signed in with their password in the last few minutes (the
        reauthentication timeout) and had no authenticator app when they did.

        RequireMfaMiddleware sends such a person straight to enrolment, and allauth would
        at once ask for the password they have just typed (it counts only an explicit
        "confirm your password" step as recent), and again to show the recovery codes it
        makes on enrolment. A password sign-in this recent proves what that step proves.
        Anyone who already had an authenticator app when they signed in is still asked to
        confirm before changing it or making new recovery codes, as are sign-ins older
        than the timeout.
        """
        request = self.request
        user = getattr(request, "user", None)
        if request is None or user is None or not user.is_authenticated:
            return False
        sign_ins = [
            record
            for record in get_authentication_records(request, user)
            if record.get("method") == "password" and not record.get("reauthenticated")
        ]
        if not sign_ins:
            return False
        signed_in_at = float(sign_ins[-1]["at"])
        if time.time() - signed_in_at >= account_settings.REAUTHENTICATION_TIMEOUT:
            return False
        # An authenticator app made before this sign-in means this is not a first enrolment.
        return not Authenticator.objects.filter(
            user=user,
            type=Authenticator.Type.TOTP,
            created_at__lte=datetime.fromtimestamp(signed_in_at, tz=UTC),
        ).exists()
