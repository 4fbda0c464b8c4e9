from django.urls import path

from ipip.vig import views

app_name = "vig"
urlpatterns = [
    path("", views.vig_index, name="index"),
    path("new/", views.vig_start, name="start"),
    path("<uuid:cycle_id>/", views.vig_cycle, name="cycle"),
    path("<uuid:cycle_id>/edit/", views.vig_edit, name="edit"),
    path("<uuid:cycle_id>/filming/", views.vig_filming, name="filming"),
    path("<uuid:cycle_id>/review/", views.vig_review, name="review"),
    path("filmings/<uuid:filming_id>/clip/", views.vig_clip, name="clip"),
    path("clips/<uuid:clip_id>/remove/", views.vig_remove_clip, name="remove-clip"),
]
