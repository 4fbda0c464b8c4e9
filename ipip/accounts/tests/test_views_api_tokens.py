import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import ApiToken, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent

URL = "/settings/api-tokens/"


def test_referrer_creates_a_token_shown_once(client: Client, rita: User) -> None:
    client.force_login(rita)
    response = client.post(URL, {"name": "Case system import"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("ipip_")
    assert raw in response.content.decode()
    token = ApiToken.objects.get(user=rita)
    assert ApiToken.find(raw) == token
    assert raw not in client.get(URL).content.decode()  # never shown again
    assert AuditEvent.objects.filter(action=Action.API_TOKEN_CREATED, actor=rita).exists()
    api = client.get("/api/v1/referrals", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 200


def test_token_needs_a_name(client: Client, rita: User) -> None:
    client.force_login(rita)
    response = client.post(URL, {"name": ""})
    assert "Enter what the token is for" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_own_token(client: Client, bob: User) -> None:
    client.force_login(bob)
    raw = client.post(URL, {"name": "Import"}).context["new_token"]
    token = ApiToken.objects.get()
    response = client.post(reverse("accounts:revoke-api-token", args=[token.public_id]))
    assert response.status_code == 302
    assert ApiToken.find(raw) is None
    assert AuditEvent.objects.filter(action=Action.API_TOKEN_REVOKED, actor=bob).exists()


def test_cannot_revoke_someone_elses_token(client: Client, rita: User, ross: User) -> None:
    client.force_login(rita)
    client.post(URL, {"name": "Import"})
    token = ApiToken.objects.get()
    client.force_login(ross)
    response = client.post(reverse("accounts:revoke-api-token", args=[token.public_id]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("persona", ["alice", "erin", "adam"])
def test_roles_without_api_use_get_404(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404


def test_revoke_is_post_only(client: Client, rita: User) -> None:
    client.force_login(rita)
    client.post(URL, {"name": "Import"})
    token = ApiToken.objects.get()
    url = reverse("accounts:revoke-api-token", args=[token.public_id])
    assert client.get(url).status_code == 405
