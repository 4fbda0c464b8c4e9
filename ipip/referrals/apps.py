from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "ipip.referrals"
    label = "referrals"
