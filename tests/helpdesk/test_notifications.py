"""Help desk changes tell the people they concern: a family binding asked is sent to the side
that confirms, bound and unbound to both sides; a mandate recorded or revoked to the resident
(an assisted resident by letter at their service point, and SMS to the family phone)."""

import pytest
from django.core import mail

from apps.helpdesk import services
from apps.notifications.models import Notification
from tests.conftest import make_resident
from tests.helpdesk.conftest import make_mandate

pytestmark = pytest.mark.django_db


@pytest.fixture
def daughter(db):
    return make_resident(
        email="daughter@example.cn",
        phone="13700137000",
        real_name="王芳",
        id_number="110101199001010015",
    )


def sent(user, event: str) -> dict[str, Notification]:
    """The notifications of `event` to `user`, by channel (at most one each: the key is unique)."""
    return {n.channel: n for n in Notification.objects.filter(recipient=user, event=event)}


def test_family_invite_tells_the_side_that_confirms(
    resident, daughter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.family_invite(
            actor=resident, resident=resident, login=daughter.email, relationship="女儿"
        )
    to_daughter = sent(daughter, "family.invited")
    assert set(to_daughter) == {"in_app", "email"}
    assert "王芳" in to_daughter["in_app"].body and "/family/" in to_daughter["in_app"].url
    assert not Notification.objects.filter(recipient=resident).exists()
    assert [m.to for m in mail.outbox] == [[daughter.email]]


def test_member_asks_and_the_resident_is_asked_to_confirm(resident, daughter):
    services.family_invite(actor=daughter, member=daughter, login=resident.email)
    assert set(sent(resident, "family.invited")) == {"in_app", "email"}
    assert not Notification.objects.filter(recipient=daughter).exists()


def test_resident_is_told_of_binding_and_unbinding(resident, daughter):
    link = services.family_invite(actor=resident, resident=resident, login=daughter.email)
    services.family_confirm(link=link, actor=daughter)
    bound = sent(resident, "family.bound")
    assert set(bound) == {"in_app", "email"}
    assert "王芳" in bound["in_app"].subject

    services.family_unbind(link=link, actor=daughter)
    services.family_unbind(link=link, actor=daughter)  # already ended: nothing more
    assert set(sent(resident, "family.unbound")) == {"in_app", "email"}
    assert Notification.objects.filter(recipient=resident, event="family.unbound").count() == 2


def test_the_member_is_told_of_binding_and_unbinding_too(resident, daughter, counter_clerk):
    """Both sides are told of every binding change, whoever made it."""
    link = services.family_invite(
        actor=resident, resident=resident, login=daughter.email, relationship="女儿"
    )
    services.family_confirm(link=link, actor=daughter)
    bound = sent(daughter, "family.bound_member")
    assert set(bound) == {"in_app", "email"}
    assert "张三" in bound["in_app"].subject and "女儿" in bound["in_app"].body
    assert "可以查看并代为办理其办件" in bound["in_app"].body

    # the resident unbinds: the member is told they lost access
    services.family_unbind(link=link, actor=resident)
    unbound = sent(daughter, "family.unbound_member")
    assert set(unbound) == {"in_app", "email"}
    assert "张三" in unbound["in_app"].body and "不能再查看" in unbound["in_app"].body
    assert set(sent(resident, "family.unbound")) == {"in_app", "email"}

    # counter staff end another binding: both sides are told
    again = services.family_invite(actor=daughter, member=daughter, login=resident.email)
    services.family_confirm(link=again, actor=resident)
    services.family_unbind(link=again, actor=counter_clerk)
    assert (
        Notification.objects.filter(recipient=daughter, event="family.unbound_member").count() == 4
    )
    assert Notification.objects.filter(recipient=resident, event="family.unbound").count() == 4


def test_assisted_resident_gets_a_letter_when_a_member_is_bound_at_the_counter(
    assisted_resident, daughter, counter_clerk, service_point
):
    link = services.family_invite(
        actor=counter_clerk,
        resident=assisted_resident,
        login=daughter.phone,
        at_counter=service_point,
    )
    assert set(sent(daughter, "family.invited")) == {"in_app", "email"}
    services.family_confirm(link=link, actor=daughter)
    bound = sent(assisted_resident, "family.bound")
    assert set(bound) == {"in_app", "letter", "sms"}
    assert bound["letter"].service_point == service_point
    assert bound["sms"].destination == "13900139000"


def test_assisted_resident_is_told_of_mandate_by_letter(
    assisted_resident, counter_clerk, service_point
):
    mandate = make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    created = sent(assisted_resident, "mandate.created")
    assert set(created) == {"in_app", "letter", "sms"}
    assert created["letter"].service_point == service_point
    assert mandate.reference in created["letter"].subject
    assert str(service_point) in created["letter"].body

    services.mandate_revoke(mandate=mandate, actor=counter_clerk, reason="本人要求")
    revoked = sent(assisted_resident, "mandate.revoked")
    assert set(revoked) == {"in_app", "letter", "sms"}
    assert "本人要求" in revoked["letter"].body


def test_resident_revoking_online_is_told_in_english_when_they_read_english(
    resident, counter_clerk
):
    resident.preferred_language = "en"
    resident.save(update_fields=["preferred_language"])
    mandate = make_mandate(counter_clerk=counter_clerk, resident=resident)
    services.mandate_revoke(mandate=mandate, actor=resident)
    revoked = sent(resident, "mandate.revoked")
    assert set(revoked) == {"in_app", "email"}
    assert revoked["email"].subject == f"Mandate {mandate.reference} is revoked"
