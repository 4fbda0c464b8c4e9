from django.urls import path

from ipip.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_queue, name="queue"),
    path("new/", views.referral_create, name="create"),
    path("<uuid:public_id>/", views.referral_detail, name="detail"),
    path("<uuid:public_id>/facts/", views.referral_facts, name="facts"),
    path("<uuid:public_id>/rescreen/", views.referral_rescreen, name="rescreen"),
    path("<uuid:public_id>/override/", views.referral_override, name="override"),
    path("<uuid:public_id>/accept/", views.referral_accept, name="accept"),
    path("<uuid:public_id>/decline/", views.referral_decline, name="decline"),
    path("<uuid:public_id>/duplicates/", views.referral_duplicates, name="duplicates"),
]
