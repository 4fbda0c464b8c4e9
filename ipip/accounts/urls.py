from django.urls import path

from ipip.accounts import views

app_name = "accounts"
urlpatterns = [
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<uuid:public_id>/revoke/", views.api_token_revoke, name="revoke-api-token"),
]
