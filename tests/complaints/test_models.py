"""The proxy model: one table with cases, the complaint machine on top, Open311 clients kept."""

import pytest
from django.db import connection

from apps.cases.models import Case
from apps.complaints.models import Complaint, Open311Client

from .conftest import file_complaint

pytestmark = pytest.mark.django_db


def test_complaints_are_cases_of_kind_complaint_in_one_table(category, department):
    # given a complaint and an application
    from tests.cases.conftest import submit_case
    from tests.catalog.factories import make_service
    from tests.conftest import make_resident

    complaint, _code = file_complaint(category)
    application = submit_case(
        make_service(department=department),
        make_resident(email="a@example.cn", phone="13300133000", id_number=None),
    )
    # then the manager sees complaints only, and both rows live in cases_case
    assert list(Complaint.objects.values_list("pk", flat=True)) == [complaint.pk]
    assert Complaint._meta.db_table == Case._meta.db_table == "cases_case"
    assert isinstance(complaint, Complaint)
    assert Case.objects.filter(pk__in=[complaint.pk, application.pk]).count() == 2


def test_a_case_row_becomes_a_complaint_without_a_query(category, django_assert_num_queries):
    complaint, _code = file_complaint(category)
    case = Case.objects.get(pk=complaint.pk)
    with django_assert_num_queries(0):
        same = Complaint.of(case)
    assert isinstance(same, Complaint) and same.pk == case.pk and same.state == case.state
    assert Complaint.of(same) is same


def test_the_transitions_are_the_proxys_and_the_state_stays_protected(category):
    complaint, _code = file_complaint(category)
    assert hasattr(complaint, "dispatch") and not hasattr(Case, "dispatch")
    with pytest.raises(AttributeError):
        complaint.state = Case.State.CLOSED


def test_open311_clients_keep_their_table():
    assert Open311Client._meta.db_table == "cases_open311client"
    assert "cases_open311client" in connection.introspection.table_names()


def test_the_complaint_texts_exist_on_a_fresh_database():
    from apps.notifications.models import NotificationTemplate

    events = set(
        NotificationTemplate.objects.filter(event__startswith="complaint.").values_list(
            "event", "language"
        )
    )
    for event in ("complaint.received", "complaint.dispatched", "complaint.escalated"):
        assert {(event, "zh-hans"), (event, "en")} <= events


def test_a_stale_copy_cannot_save_over_a_transition(category, dispatcher, department):
    from django.db import transaction
    from django_fsm import ConcurrentTransition

    from apps.complaints import services

    # given two copies of one filed complaint
    complaint, _code = file_complaint(category)
    stale = Complaint.objects.get(pk=complaint.pk)
    # when one is dispatched through the service
    services.complaint_dispatch(case=complaint, actor=dispatcher, department=department)
    # then the other's transition is refused at save (ConcurrentTransitionMixin on the proxy)
    stale.merge(into=complaint)
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert Case.objects.get(pk=complaint.pk).state == Case.State.DISPATCHED
