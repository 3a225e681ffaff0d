"""A page that tells its visitor something, as later features will (tests only)."""

from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from apps.notifications.services import notify


@transaction.atomic
def submit(request):
    notify(
        event="case.submitted",
        recipients=[request.user],
        context={"case_number": "C-1", "service_name": "Test", "url": "/cases/1/"},
        dedup_key="case:1:submitted",
    )
    return HttpResponse("submitted")


urlpatterns = [path("submit/", submit)]
