"""Case events for departments' systems: what an event says (CloudEvents 1.0, the minimum,
no personal data), who gets it, and that it is written with the step or not at all."""

import json
import uuid

import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_structured
from cloudevents.core.formats.json import JSONFormat
from django.db import transaction

from apps.cases.services.transitions import case_event_add
from apps.events import catalogue
from apps.events.envelope import event_structured
from apps.events.models import Event
from tests.cases.conftest import submit_case
from tests.events.conftest import run_to_decision

pytestmark = pytest.mark.django_db


def test_an_application_publishes_its_lifecycle_in_order(
    parallel_service, resident, clerk, co_clerk, department, other_department, settings
):
    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn"
    case = submit_case(parallel_service, resident)
    run_to_decision(
        case,
        clerk=clerk,
        co_clerk=co_clerk,
        department=department,
        other_department=other_department,
    )
    events = list(Event.objects.order_by("id"))
    assert [e.type for e in events] == [
        catalogue.SUBMITTED,
        catalogue.ACCEPTED,
        catalogue.TASK_APPROVED,
        catalogue.TASK_APPROVED,
        catalogue.DECIDED,
    ]
    decided = events[-1]
    assert decided.data["state"] == "approved"
    assert decided.data["case_number"] == case.number
    assert decided.data["service_code"] == parallel_service.code
    assert decided.data["departments"] == sorted([department.code, other_department.code])
    assert events[2].data["department"] in {department.code, other_department.code}


def test_each_event_is_a_valid_cloudevent_that_the_sdk_reads_back(
    service, resident, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn"
    # the submission commits, and the event is numbered for the feed after the commit
    with django_capture_on_commit_callbacks(execute=True):
        case = submit_case(service, resident)
    event = Event.objects.get(type=catalogue.SUBMITTED)
    assert event.sequence is not None
    headers, body = event_structured(event=event)
    assert headers["content-type"].startswith("application/cloudevents+json")
    parsed = from_structured(HTTPMessage(headers=headers, body=body), JSONFormat())
    assert parsed.get_specversion() == "1.0"
    assert uuid.UUID(parsed.get_id()) == event.event_id
    assert parsed.get_source() == "https://portal.example.gov.cn/cases"
    assert parsed.get_type() == "gov.portal.case.submitted"
    assert parsed.get_subject() == case.number
    assert parsed.get_time() is not None
    assert parsed.get_datacontenttype() == "application/json"
    assert parsed.get_extension("sequence") == str(event.sequence)
    assert parsed.get_data()["case_number"] == case.number


def test_no_personal_data_leaves_in_an_event(
    parallel_service, resident, clerk, co_clerk, department, other_department
):
    case = submit_case(parallel_service, resident)
    run_to_decision(
        case,
        clerk=clerk,
        co_clerk=co_clerk,
        department=department,
        other_department=other_department,
    )
    profile = resident.profile
    for event in Event.objects.all():
        body = event_structured(event=event)[1].decode()
        text = body
        for secret in (
            profile.real_name,
            profile.id_number,
            resident.phone,
            resident.email,
            "符合条件",
            "同意",
            clerk.username,
            clerk.email,
        ):
            assert secret not in text and json.dumps(secret)[1:-1] not in text, secret
        assert set(event.data) == {
            "case_number",
            "kind",
            "service_code",
            "state",
            "verb",
            "lead_department",
            "departments",
            "department",
            "review_round",
        }


def test_lines_outside_the_catalogue_publish_nothing(service, resident):
    case = submit_case(service, resident)
    before = Event.objects.count()
    case_event_add(case=case, verb="note", actor=None, note="内部备注", is_public=False)
    assert Event.objects.count() == before


def test_a_rolled_back_step_leaves_no_event(service, resident, clerk):
    from apps.cases import services

    case = submit_case(service, resident)
    before = Event.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_accept(case=case, actor=clerk)
        assert Event.objects.count() == before + 1
        raise RuntimeError("the step fails after the transition")
    assert Event.objects.count() == before


def test_every_emitted_type_is_in_the_catalogue_and_documented():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "integration.md").read_text()
    for event_type in catalogue.ALL_TYPES:
        assert f"`{event_type}`" in docs, event_type
    assert {"task_approve", "task_reject"} <= set(catalogue.VERB_TYPES)
