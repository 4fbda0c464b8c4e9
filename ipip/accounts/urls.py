from django.urls import path

from ipip.accounts import views

app_name = "accounts"
urlpatterns = [
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<uuid:public_id>/revoke/", views.api_token_revoke, name="revoke-api-token"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="create-user"),
    path("users/<uuid:public_id>/", views.user_edit, name="edit-user"),
    path("users/<uuid:public_id>/reset-mfa/", views.user_reset_mfa, name="reset-user-mfa"),
]
