"""Assisted accounts at the counter: identity check recorded, no staff contact details copied,
ID numbers masked, every staff view audited; the claim code works once."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone

from apps.accounts.models import ResidentProfile, User
from apps.audit.models import AuditEvent
from apps.core.exceptions import ApplicationError
from apps.helpdesk import services
from apps.helpdesk.models import ClaimCode, IdentityCheck
from tests.cases.conftest import submit_case  # noqa: F401

pytestmark = pytest.mark.django_db

NEW_ID = "11010519491231002X"


def form_data(**extra):
    return {
        "real_name": "赵大爷",
        "id_number": "110101194501010019",
        "resident_phone": "",
        "address": "东城区 1 号",
        "preferred_contact": "letter",
        "family_phone": "",
        "document_type": "id_card",
        "last_digits": "0019",
        **extra,
    }


def test_open_assisted_account_at_the_desk(counter_clerk, login, service_point):
    counter_clerk.phone = "13511112222"
    counter_clerk.save()
    client = login(counter_clerk)
    page = client.get("/desk/residents/new/").content.decode()
    # the resident's contact fields are named apart from the staff member's own
    assert 'name="resident_phone"' in page and 'name="email"' not in page
    response = client.post("/desk/residents/new/", form_data())
    assert response.status_code == 302
    user = User.objects.get(profile__id_number="110101194501010019")
    assert user.is_assisted and user.email is None and user.phone is None
    assert not user.has_usable_password()
    assert user.profile.service_point == service_point
    check = IdentityCheck.objects.get(resident=user)
    assert check.checked_by == counter_clerk and check.last_digits == "0019"
    assert check.service_point == service_point


def test_staff_own_phone_is_refused_for_the_resident(counter_clerk, login):
    counter_clerk.phone = "13511112222"
    counter_clerk.save()
    client = login(counter_clerk)
    for own_phone in (
        {"preferred_contact": "family_phone", "family_phone": "13511112222"},
        {"preferred_contact": "sms", "resident_phone": "13511112222"},
    ):
        response = client.post("/desk/residents/new/", form_data(**own_phone))
        assert response.status_code == 200
        assert "这是您自己的电话号码，不是居民的。" in response.content.decode()
        assert not ResidentProfile.objects.filter(id_number="110101194501010019").exists()
    with pytest.raises(ApplicationError) as refused:
        services.assisted_account_open(
            actor=counter_clerk,
            real_name="赵大爷",
            id_number="110101194501010019",
            phone="13511112222",
            preferred_contact="sms",
            document_type="id_card",
            last_digits="0019",
        )
    assert "phone" in refused.value.errors


def test_identity_check_last_digits_must_match_the_card(counter_clerk, assisted_resident):
    with pytest.raises(ApplicationError):
        services.identity_check_record(
            actor=counter_clerk,
            resident=assisted_resident,
            document_type="id_card",
            last_digits="9999",
        )
    services.identity_check_record(
        actor=counter_clerk, resident=assisted_resident, document_type="id_card", last_digits="0027"
    )
    event = AuditEvent.objects.get(action="helpdesk.identity.check")
    assert event.actor == counter_clerk and event.on_behalf_of == assisted_resident


def test_search_is_audited_and_masks_unless_permitted(counter_clerk, assisted_resident, login):
    client = login(counter_clerk)
    reason = {"reason": "at_counter", "reason_text": "居家养老服务"}
    body = client.post("/desk/residents/", {"q": "110101194003070027", **reason}).content.decode()
    assert "李秀英" in body and "1101**********0027" in body
    assert AuditEvent.objects.filter(
        action="helpdesk.resident.lookup", on_behalf_of=assisted_resident
    ).exists()
    counter_clerk.user_permissions.add(Permission.objects.get(codename="view_full_id_number"))
    body = (
        login(User.objects.get(pk=counter_clerk.pk))
        .post("/desk/residents/", {"q": "13900139000", **reason})
        .content.decode()
    )
    assert "110101194003070027" in body


def test_desk_needs_the_counter_role_and_2fa(clerk, counter_clerk, login):
    assert login(clerk).get("/desk/residents/").status_code == 403
    assert login(counter_clerk, verified=False).get("/desk/residents/").status_code == 302


def test_claim_code_works_once_and_keeps_every_case(
    counter_clerk, assisted_resident, service, mandate, login, client
):
    case = services.acting_case_create(
        staff=counter_clerk, resident=assisted_resident, mandate=mandate, service=service
    )
    pdf = login(counter_clerk).post(f"/desk/residents/{assisted_resident.pk}/claim-code/")
    assert pdf["Content-Type"] == "application/pdf"
    code, record = services.claim_code_issue(actor=counter_clerk, resident=assisted_resident)
    # the earlier code was replaced
    assert (
        ClaimCode.objects.filter(resident=assisted_resident, voided_at__isnull=False).count() == 1
    )

    response = client.post(
        "/family/claim/",
        {
            "code": code,
            "id_number": "110101194003070027",
            "contact": "li@example.cn",
            "password1": "a-long-Passw0rd-here",
            "password2": "a-long-Passw0rd-here",
        },
    )
    assert response["Location"] == "/family/claim/verify/"
    sent = mail.outbox[-1].body
    import re

    otp = re.search(r"\b(\d{6})\b", sent).group(1)
    response = client.post("/family/claim/verify/", {"code": otp})
    assert response.status_code == 302
    user = User.objects.get(pk=assisted_resident.pk)
    assert not user.is_assisted and user.email == "li@example.cn"
    assert user.check_password("a-long-Passw0rd-here")
    assert client.get(f"/cases/{case.ref}/").status_code == 200
    assert AuditEvent.objects.filter(action="helpdesk.claim.use", actor=user).exists()

    # the code works once
    with pytest.raises(ApplicationError) as refused:
        services.claim_code_check(code=code, id_number="110101194003070027")
    assert refused.value.extra["reason"] == "used"


def test_claim_code_expires_and_needs_the_right_id(counter_clerk, assisted_resident):
    code, record = services.claim_code_issue(actor=counter_clerk, resident=assisted_resident)
    with pytest.raises(ApplicationError) as refused:
        services.claim_code_check(code=code, id_number=NEW_ID)
    assert refused.value.extra["reason"] == "unknown"
    ClaimCode.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ApplicationError) as refused:
        services.claim_code_check(code=code, id_number="110101194003070027")
    assert refused.value.extra["reason"] == "expired"
