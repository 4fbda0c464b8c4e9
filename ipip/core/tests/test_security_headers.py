import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from ipip.accounts.models import User


def test_login_page_has_a_strict_content_security_policy(client: Client, db: None) -> None:
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_are_not_cached(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.get("/cases/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_api_docs_are_served_from_our_own_files(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert finders.find("ninja/swagger-ui-bundle.js") is not None
