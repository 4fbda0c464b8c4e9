from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ipip.accounts"
    label = "accounts"
