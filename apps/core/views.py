"""The home page, the design system page and the health check, for anyone (one audience)."""

from datetime import timedelta

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import health


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "resident/home.html")


class DesignDemoForm(forms.Form):
    """A form with one field of each kind, shown on the design page."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=100,
        help_text=_("As written on your resident identity card."),
    )
    email = forms.EmailField(label=_("Email address"))
    contact_by = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=[("sms", _("SMS")), ("email", _("Email")), ("letter", _("Printed letter"))],
        widget=forms.RadioSelect,
    )
    channels = forms.MultipleChoiceField(
        label=_("Tell me about my cases by"),
        choices=[("in_app", _("In the portal")), ("email", _("Email")), ("sms", _("SMS"))],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose all that apply."),
    )
    district = forms.ChoiceField(
        label=_("District"),
        choices=[
            ("", _("Choose a district")),
            ("east", _("East district")),
            ("west", _("West district")),
        ],
    )
    description = forms.CharField(
        label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF or photo, up to 5 MB."),
    )
    agree = forms.BooleanField(label=_("I confirm the details are true."))


# What the design page shows when it opens: one inline error in a text field and one in a group.
DESIGN_DEMO_DATA = {
    "full_name": "王小明",
    "email": "not-an-email",
    "district": "east",
    "description": "",
    "agree": "on",
}


@require_http_methods(["GET", "POST"])
def design(request: HttpRequest) -> HttpResponse:
    """The design system: every component the pages use, with a live form."""
    form = DesignDemoForm(request.POST or DESIGN_DEMO_DATA, request.FILES or None)
    form.is_valid()
    paginator = Paginator(range(1, 91), 10)
    page_obj = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    timeline = [
        {"when": now - timedelta(days=6), "title": _("Application submitted"), "body": ""},
        {
            "when": now - timedelta(days=5),
            "title": _("Accepted by the department"),
            "body": _("Your case is in review."),
        },
        {
            "when": now - timedelta(days=2),
            "title": _("Correction requested"),
            "body": _("Please upload a clearer copy of your ID card."),
        },
    ]
    states = [
        ("draft", _("Draft")),
        ("submitted", _("Submitted")),
        ("in_review", _("In review")),
        ("needs_correction", _("Needs correction")),
        ("approved", _("Approved")),
        ("rejected", _("Rejected")),
        ("not_accepted", _("Not accepted")),
        ("withdrawn", _("Withdrawn")),
        ("dispatched", _("Dispatched")),
        ("in_progress", _("In progress")),
        ("replied", _("Replied")),
        ("closed", _("Closed")),
    ]
    steps = [_("Your details"), _("Documents"), _("Check and sign"), _("Done")]
    cases = [
        {
            "number": "SQ-2025-000123",
            "service": _("Residence permit"),
            "state": "in_review",
            "label": _("In review"),
            "due": now + timedelta(days=8),
        },
        {
            "number": "SQ-2025-000098",
            "service": _("Business licence change"),
            "state": "needs_correction",
            "label": _("Needs correction"),
            "due": now + timedelta(days=3),
        },
        {
            "number": "TS-2025-004211",
            "service": _("Street light out of order"),
            "state": "closed",
            "label": _("Closed"),
            "due": now - timedelta(days=1),
        },
    ]
    return render(
        request,
        "core/design.html",
        {
            "form": form,
            "page_obj": page_obj,
            "timeline": timeline,
            "states": states,
            "steps": steps,
            "cases": cases,
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    db_ok, db_detail = health.database_ok()
    broker_ok, broker_detail = health.broker_ok()
    healthy = db_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "database": db_detail,
            "broker": broker_detail,
        },
        status=200 if healthy else 503,
    )
