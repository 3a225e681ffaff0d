"""Staff pages, mounted under /staff/feedback/ (namespace `staff:staff_feedback`)."""

from django.urls import path

from .views import staff

urlpatterns = [
    path("", staff.index, name="index"),
    path(
        "rectifications/<int:pk>/answer/",
        staff.rectification_answer,
        name="rectification-answer",
    ),
    path("ratings/<int:pk>/appeal/", staff.appeal_file, name="appeal-file"),
    path("appeals/<int:pk>/decide/", staff.appeal_decide, name="appeal-decide"),
    path("cases/<str:ref>/counter-rating/", staff.counter_rating, name="counter-rating"),
]
