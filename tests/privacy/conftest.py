import pytest

from apps.feedback import services as feedback_services
from apps.feedback.models import Rating
from apps.helpdesk import services as helpdesk_services
from tests.cases.conftest import submit_case
from tests.catalog.factories import make_service
from tests.conftest import make_resident
from tests.feedback.conftest import decide_case
from tests.helpdesk.conftest import make_mandate, staff_code  # noqa: F401
from tests.signatures.keys import _signing_keys_dir, signing_keys_root  # noqa: F401


@pytest.fixture
def service(department):
    return make_service(department=department)


@pytest.fixture
def full_resident(
    service, resident, clerk, lead, counter_clerk, django_capture_on_commit_callbacks
):
    """A resident with one of every kind of record: a decided case (answers, timeline,
    receipt and decision letter, an attachment), a rating, notifications, a mandate, a family
    link, and the audit events all of these wrote."""
    with django_capture_on_commit_callbacks(execute=True):
        case = submit_case(service, resident)
    case = decide_case(case, clerk, django_capture_on_commit_callbacks)
    feedback_services.rating_submit(
        case=case,
        rater=resident,
        level=5,
        sub_scores={},
        comment="办得很快",
        channel=Rating.Channel.WEB,
    )
    make_mandate(counter_clerk=counter_clerk, resident=resident)
    member = make_resident(
        email="son@example.cn", phone="13700137000", real_name="张小明", id_number=None
    )
    link = helpdesk_services.family_invite(
        actor=resident, resident=resident, login="son@example.cn", relationship="儿子"
    )
    helpdesk_services.family_confirm(link=link, actor=member)
    return resident
