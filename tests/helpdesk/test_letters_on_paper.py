"""Letters printed for assisted residents: large type everywhere (footers included) and no
instruction that only works online; they say what to do at the counter."""

import re

import pytest
from django.template.loader import render_to_string

from apps.helpdesk import services
from apps.notifications.models import Notification
from apps.notifications.services import notification_render

pytestmark = pytest.mark.django_db

PRINT_TEMPLATES = [
    "documents/print/batch.html",
    "documents/print/status_letter.html",
    "documents/print/claim_code.html",
]


@pytest.mark.parametrize("template", PRINT_TEMPLATES)
def test_every_print_letter_is_16_pt_or_more_including_the_page_footer(template):
    context = {
        "portal_name": "市民服务门户",
        "document_title": "办件进度",
        "letters": [],
        "verification_code": "ABCD-1234",
        **dict.fromkeys(
            ["service_point", "name", "address", "code", "claim_url", "expires_at", "reasons"], ""
        ),
        **dict.fromkeys(["service_name", "case_number", "state", "deadline", "next_steps"], ""),
        "documents": [],
    }
    html = render_to_string(template, context)
    sizes = [float(size) for size in re.findall(r"font-size:\s*([\d.]+)pt", html)]
    assert sizes, "the print templates set their sizes in pt"
    assert min(sizes) >= 16
    assert "@bottom-left" in html  # the footer is among the sizes checked


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_mandate_letter_says_to_revoke_at_the_counter_not_online(
    language, assisted_resident, service_point
):
    # given the mandate text as it is rendered for every channel, with its online revoke link
    subject, body = notification_render(
        event="mandate.created",
        language=language,
        context={
            "reference": "WT-2026-0001",
            "service_point": str(service_point),
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "url": "/me/mandates/",
        },
    )
    assert "http" in body
    letter = Notification.objects.create(
        recipient=assisted_resident,
        event="mandate.created",
        dedup_key="mandate:1:created",
        channel=Notification.Channel.LETTER,
        language=language,
        subject=subject,
        body=body,
        service_point=service_point,
    )

    # when the letter is put into a print batch
    [context] = services.print_letters_context(letters=[letter])
    html = render_to_string(
        "documents/print/batch.html",
        {"letters": [context], "service_point": service_point, "portal_name": "市民服务门户"},
    )

    # then it carries no web address and tells how to revoke at a service point
    assert "http" not in html and "/me/" not in html
    assert "WT-2026-0001" in context["body"]
    counter = "服务网点" if language == "zh-hans" else "service point with your ID card"
    assert counter in html
