"""Certificate events (电子证照): one `Event` per issue, revocation or replacement, written in
the certificate's transaction under the feed lock like a case's (`outbox.py`).

Who receives it: the issuing department and the departments that reuse the certificate (the
lead departments of the cases linking it). The data are references and the minimum: the
number, type, department codes, validity and state; never the holder or the fields."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Department
from apps.certificates.models import Certificate
from apps.certificates.selectors import certificate_linking_department_ids
from apps.core.links import portal_base_url

from ..catalogue import CERTIFICATE_VERB_TYPES
from ..models import Event, EventDepartment
from .outbox import deliveries_create, delivery_queue, events_sequence_after_commit


def certificate_event_data(
    *,
    certificate: Certificate,
    change: str,
    department_ids: set[int],
    replaces: Certificate | None = None,
) -> dict[str, object]:
    codes = dict(Department.objects.filter(pk__in=department_ids).values_list("pk", "code"))
    data: dict[str, object] = {
        "certificate_number": certificate.number,
        "certificate_type": certificate.type.code,
        "issuing_department": certificate.issuing_department.code,
        "departments": sorted(codes.values()),
        "state": certificate.state,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "case_number": certificate.source_case.number if certificate.source_case else None,
        "verb": change,
    }
    if change == "replaced":
        data["reason"] = "replaced"
        data["replaced_by"] = certificate.replaced_by.number if certificate.replaced_by else None
    if replaces is not None:
        data["replaces"] = replaces.number
    return data


def event_record_for_certificate(
    *, certificate: Certificate, change: str, replaces: Certificate | None = None
) -> Event | None:
    """The event a certificate's change publishes (`catalogue.CERTIFICATE_VERB_TYPES`)."""
    event_type = CERTIFICATE_VERB_TYPES.get(change)
    if event_type is None:
        return None
    with transaction.atomic():
        events_sequence_after_commit()
        department_ids = {certificate.issuing_department_id}
        department_ids |= certificate_linking_department_ids(certificate=certificate)
        event = Event.objects.create(
            type=event_type,
            source=portal_base_url() + "/certificates",
            subject=certificate.number,
            time=timezone.now(),
            data=certificate_event_data(
                certificate=certificate,
                change=change,
                department_ids=department_ids,
                replaces=replaces,
            ),
            case=certificate.source_case,
        )
        EventDepartment.objects.bulk_create(
            [EventDepartment(event=event, department_id=pk) for pk in sorted(department_ids)]
        )
        for delivery in deliveries_create(event=event, department_ids=department_ids):
            transaction.on_commit(partial(delivery_queue, delivery_id=delivery.pk))
    return event
