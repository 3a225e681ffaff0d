"""督办 names what is overdue: a late review stage is named with its department and its own due
date; a late case with the case deadline. Installed texts change only where nobody edited them."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from django.utils.formats import date_format

from apps.accounts.models import StaffMembership
from apps.cases import services
from apps.cases.models import Case, ReviewTask
from apps.notifications.models import Notification, NotificationTemplate
from tests.cases.conftest import submit_case
from tests.conftest import make_staff


@pytest.fixture
def accepted(service, other_department, resident, clerk, lead):
    service.stages.get().departments.add(other_department)
    make_staff(username="co-clerk", department=other_department, role="clerk")
    return services.case_accept(case=submit_case(service, resident), actor=clerk)


@pytest.fixture
def co_lead(other_department):
    return make_staff(
        username="co-lead", department=other_department, role=StaffMembership.Role.LEAD
    )


def shown(day) -> tuple[str, ...]:
    """The ways a date may be written in a text (ISO, the Chinese and the English format)."""
    return (str(day), f"{day.year}年{day.month}月{day.day}日", date_format(day))


def names(text: str, day) -> bool:
    return any(form in text for form in shown(day))


def told(user) -> Notification:
    return Notification.objects.get(recipient=user, event="case.escalated", channel="in_app")


def test_a_late_review_stage_names_its_department_and_its_own_due_date(
    accepted, other_department, lead, co_lead
):
    today = timezone.localdate()
    stage_due = today - timedelta(days=2)
    ReviewTask.objects.filter(case=accepted, department=other_department).update(due_date=stage_due)
    case = Case.objects.get(pk=accepted.pk)
    assert case.deadline >= today  # the case itself is not late

    report = services.deadlines_sweep()

    assert report.escalated == [case.pk]
    for user in (lead, co_lead):  # the lead department's leads and the late stage's leads
        text = told(user)
        assert "住房和城乡建设局" in text.body or "Housing" in text.body
        assert "审查环节已超过环节期限" in text.body
        assert "审查环节" in text.subject
        assert "已超过办理期限" not in text.body
    body = told(lead).body
    assert names(body, stage_due) and names(body, case.deadline)
    assert case.events.get(verb="escalated").note.startswith(str(other_department))


def test_a_late_case_names_the_case_deadline(accepted, lead, co_lead):
    late = timezone.localdate() - timedelta(days=3)
    Case.objects.filter(pk=accepted.pk).update(deadline=late)
    ReviewTask.objects.filter(case=accepted).update(due_date=late)

    services.deadlines_sweep()

    text = told(lead)
    assert "已超过办理期限" in text.body and "审查环节" not in text.body
    assert names(text.body, late)
    # the case is late in the lead department's hands: the co-reviewer's lead is not told
    assert not Notification.objects.filter(recipient=co_lead, event="case.escalated").exists()


def test_the_text_change_keeps_an_administrators_edit(db):
    migration = importlib.import_module(
        "apps.cases.migrations.0012_escalation_names_the_overdue_stage"
    )
    forward = migration.Migration.operations[0].code
    (event, language, (old_subject, old_body), (new_subject, new_body)) = migration.CHANGES[0]
    row = NotificationTemplate.objects.get(event=event, language=language)
    assert (row.subject, row.body) == (new_subject, new_body)  # installed by the migrations

    # an unedited old row is rewritten
    NotificationTemplate.objects.filter(pk=row.pk).update(subject=old_subject, body=old_body)
    forward(django_apps, None)
    row.refresh_from_db()
    assert (row.subject, row.body) == (new_subject, new_body)

    # an edited row is kept
    NotificationTemplate.objects.filter(pk=row.pk).update(subject=old_subject, body="本局自拟")
    forward(django_apps, None)
    row.refresh_from_db()
    assert row.body == "本局自拟"
