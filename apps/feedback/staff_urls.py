"""Staff pages, mounted under /staff/feedback/ (namespace `staff:staff_feedback`)."""

from django.urls import path

from . import staff_views as views

urlpatterns = [
    path("", views.index, name="index"),
    path(
        "rectifications/<int:pk>/answer/",
        views.rectification_answer,
        name="rectification-answer",
    ),
    path("ratings/<int:pk>/appeal/", views.appeal_file, name="appeal-file"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal-decide"),
    path("cases/<str:ref>/counter-rating/", views.counter_rating, name="counter-rating"),
]
