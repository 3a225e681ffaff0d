"""Counter staff report a problem for an assisted resident, under the resident's mandate."""

from datetime import timedelta

from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.cases.models import Case
from apps.core.sms import LocmemSmsBackend
from tests.complaints.conftest import category  # noqa: F401 - fixture
from tests.helpdesk.conftest import make_mandate


def test_counter_files_a_complaint_for_an_assisted_resident(
    login,
    counter_clerk,
    assisted_resident,
    mandate,
    category,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    # given the counter clerk acts for the resident under a mandate
    client = login(counter_clerk)
    client.post(f"/desk/residents/{assisted_resident.pk}/act/", {"mandate": mandate.pk})
    assert "/desk/act/complaint/" in client.get("/desk/act/").content.decode()

    # when they report the problem for her
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/desk/act/complaint/",
            {
                "category": category.code,
                "complaint_type": Case.ComplaintType.COMPLAINT,
                "urgency": Case.Urgency.NORMAL,
                "description": "楼下广场舞音响每晚十点后仍很响",
                "address": "和平里 3 号院",
            },
        )

    # then the complaint is hers, filed at the counter by the clerk for her
    assert response.status_code == 302
    case = Case.objects.get(kind=Case.Kind.COMPLAINT)
    assert case.applicant == assisted_resident and case.channel == Case.Channel.COUNTER
    assert case.number.startswith("TS-")
    event = AuditEvent.objects.filter(target_id=str(case.pk)).earliest("id")
    assert event.actor == counter_clerk and event.on_behalf_of == assisted_resident
    # and the extraction code goes to the family phone she chose
    assert LocmemSmsBackend.outbox[-1]["to"] == "13900139000"


def test_an_expired_mandate_blocks_the_complaint(
    login,
    counter_clerk,
    assisted_resident,
    category,  # noqa: F811
):
    # given a session acting under a mandate that has since expired
    mandate = make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    client = login(counter_clerk)
    client.post(f"/desk/residents/{assisted_resident.pk}/act/", {"mandate": mandate.pk})
    yesterday = timezone.localdate() - timedelta(days=1)
    type(mandate).objects.filter(pk=mandate.pk).update(
        valid_from=yesterday - timedelta(days=30), valid_until=yesterday
    )
    # when the clerk tries to file, then it is refused with the reason, and nothing is filed
    response = client.post(
        "/desk/act/complaint/",
        {
            "category": category.code,
            "complaint_type": Case.ComplaintType.COMPLAINT,
            "urgency": Case.Urgency.NORMAL,
            "description": "路灯不亮",
        },
    )
    assert response.status_code == 200
    assert mandate.reference in response.content.decode()
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()
