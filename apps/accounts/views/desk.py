"""The service desk home page (/desk/) for counter staff."""

from django.http import HttpResponse
from django.shortcuts import render

from .. import selectors
from ..http import AuthenticatedHttpRequest
from ..models import StaffMembership
from ..permissions import staff_required


@staff_required(StaffMembership.Role.COUNTER)
def desk_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = [
        m
        for m in selectors.staff_memberships_of(user=request.user)
        if m.role == StaffMembership.Role.COUNTER
    ]
    return render(request, "desk/home.html", {"memberships": memberships})
