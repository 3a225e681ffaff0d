"""The print batch loads the letters' cases and documents once, however many letters wait."""

import pytest
from django.utils import timezone

from apps.cases import services as case_services
from apps.cases.models import CaseDocument
from apps.documents.models import Document
from apps.helpdesk import services
from apps.notifications.models import Notification
from apps.notifications.selectors import letters_pending

pytestmark = pytest.mark.django_db


def _document(case, n: int, kind: str) -> Document:
    document = Document.objects.create(
        kind=kind,
        title=f"{kind} {case.pk}-{n}",
        file=f"documents/test-{case.pk}-{n}.pdf",
        sha256="0" * 64,
        verification_code=f"TEST-{case.pk:04d}-{n:04d}",
        sealed_at=timezone.now(),
    )
    CaseDocument.objects.create(case=case, document=document)
    return document


def _letters(count: int, *, service, resident, service_point) -> list[Notification]:
    for n in range(count):
        case = case_services.case_create_draft(service=service, applicant=resident, actor=resident)
        _document(case, 1, "receipt")
        decision = _document(case, 2, "decision_letter")
        Notification.objects.create(
            recipient=resident,
            event="case.decided",
            dedup_key=f"case:{case.pk}:decided:{decision.pk}",
            channel=Notification.Channel.LETTER,
            language="zh-hans",
            subject=f"办件 {n}",
            body="已作出决定",
            service_point=service_point,
        )
    return list(letters_pending(service_point=service_point))


@pytest.mark.parametrize("count", [2, 8])
def test_letter_contexts_take_two_queries_whatever_the_number_of_letters(
    count, service, assisted_resident, service_point, django_assert_max_num_queries
):
    letters = _letters(
        count, service=service, resident=assisted_resident, service_point=service_point
    )
    with django_assert_max_num_queries(2):
        contexts = services.print_letters_context(letters=letters)
    assert len(contexts) == count
    for context in contexts:
        assert context["name"] == "李秀英" and context["case_number"]
        # a decision letter names the decision only, not the receipt
        [document] = context["documents"]
        assert document["title"].startswith("decision_letter")
        assert document["case_number"] == context["case_number"]


def test_a_letter_about_no_case_names_no_documents(assisted_resident, service_point):
    letter = Notification.objects.create(
        recipient=assisted_resident,
        event="mandate.created",
        dedup_key="mandate:1:created",
        channel=Notification.Channel.LETTER,
        language="zh-hans",
        subject="委托已登记",
        body="…",
        service_point=service_point,
    )
    [context] = services.print_letters_context(letters=[letter])
    assert context["case_number"] == "" and context["documents"] == []
