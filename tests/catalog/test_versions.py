"""Published versions never change; editing makes a new draft; time limits stay lawful."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.audit.models import AuditEvent
from apps.catalog.models import FieldDefinition, PublishedVersionError, ServiceItem
from apps.catalog.services import service_version_new_draft, service_version_publish
from apps.core.exceptions import ApplicationError, ConflictError

from .factories import make_service

pytestmark = pytest.mark.django_db


def test_a_published_version_cannot_be_changed(department):
    # given a service with a published version
    version = make_service(department=department).current_version()
    # when someone edits the declaration and saves
    version.declaration_zh = "改过的声明"
    # then saving is refused
    with pytest.raises(PublishedVersionError):
        version.save()


def test_saving_an_unchanged_published_version_is_harmless(department):
    version = make_service(department=department).current_version()
    version.save()


def test_a_published_version_cannot_be_deleted(department):
    version = make_service(department=department).current_version()
    with pytest.raises(PublishedVersionError):
        version.delete()


def test_the_fields_of_a_published_version_cannot_change(department):
    version = make_service(department=department).current_version()
    field = version.fields.get(key="full_name")
    # when a label is edited
    field.label_en = "Name"
    # then saving, deleting and adding are refused
    with pytest.raises(PublishedVersionError):
        field.save()
    with pytest.raises(PublishedVersionError):
        field.delete()
    with pytest.raises(PublishedVersionError):
        FieldDefinition.objects.create(version=version, key="extra", label_zh="其他")


def test_a_new_draft_copies_the_fields(department, clerk):
    # given version 1 is published
    service = make_service(department=department)
    v1 = service.current_version()
    # when an administrator makes a new draft
    draft = service_version_new_draft(service=service, actor=clerk)
    # then it is version 2, unpublished, with the same questions
    assert draft.number == 2
    assert not draft.is_published
    assert draft.steps == v1.steps
    assert draft.declaration_en == v1.declaration_en
    copied = list(draft.fields.values_list("key", "kind", "step", "order", "choices", "rules"))
    original = list(v1.fields.values_list("key", "kind", "step", "order", "choices", "rules"))
    assert copied == original
    assert draft.fields.get(key="id_scan").document == v1.fields.get(key="id_scan").document
    # and asking again gives the same draft
    assert service_version_new_draft(service=service, actor=clerk) == draft
    assert AuditEvent.objects.filter(action="catalog.service_version.draft").count() == 1


def test_a_case_on_version_n_keeps_its_fields_after_n_plus_1_is_published(department, clerk):
    # given a case started on version 1 (here: holding a reference to it)
    service = make_service(department=department)
    held = service.current_version()
    keys_before = list(held.fields.values_list("key", flat=True))
    # when version 2 drops a question, changes a label and is published
    draft = service_version_new_draft(service=service, actor=clerk)
    draft.fields.get(key="notes").delete()
    renamed = draft.fields.get(key="full_name")
    renamed.label_en = "Name as on your ID card"
    renamed.save()
    service_version_publish(version=draft, actor=clerk)
    # then new cases get version 2
    assert service.current_version() == draft
    assert "notes" not in draft.fields.values_list("key", flat=True)
    # and the old case still sees version 1 as it was
    held.refresh_from_db()
    assert list(held.fields.values_list("key", flat=True)) == keys_before
    assert held.fields.get(key="full_name").label_en == "Full name"
    assert AuditEvent.objects.filter(action="catalog.service_version.publish").count() == 1


def test_publishing_twice_is_refused(department, clerk):
    version = make_service(department=department).current_version()
    with pytest.raises(ConflictError):
        service_version_publish(version=version, actor=clerk)


def test_an_empty_draft_cannot_be_published(department, clerk):
    service = make_service(department=department, publish=False)
    version = service.draft_version()
    version.fields.all().delete()
    with pytest.raises(ApplicationError):
        service_version_publish(version=version, actor=clerk)


def test_promised_days_longer_than_statutory_are_refused_by_clean(department):
    service = ServiceItem(
        code="x", name_zh="测试", lead_department=department, statutory_days=10, promised_days=15
    )
    with pytest.raises(ValidationError) as caught:
        service.full_clean()
    assert "promised_days" in caught.value.message_dict


def test_promised_days_longer_than_statutory_are_refused_by_the_database(department):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceItem.objects.create(
            code="x",
            name_zh="测试",
            lead_department=department,
            statutory_days=10,
            promised_days=15,
        )


def test_the_name_follows_the_language(department):
    from django.utils import translation

    service = make_service(department=department)
    with translation.override("en"):
        assert service.name == "Senior citizen card"
    with translation.override("zh-hans"):
        assert service.name == "老年人优待证办理"
    service.name_en = ""
    with translation.override("en"):
        assert service.name == "老年人优待证办理"
