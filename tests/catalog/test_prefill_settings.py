"""A form field's prefill source and lock: named in the catalogue, checked there, edited by
administrators on a draft version, carried into the next draft."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.catalog.models import FieldDefinition
from apps.catalog.prefill import source_parse
from apps.catalog.services import service_version_new_draft

from .factories import make_prefill_service, make_service
from .test_admin import admin_client  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("source", "kind", "item", "certificate_type"),
    [
        ("profile.name", "profile", "name", ""),
        ("profile.address", "profile", "address", ""),
        ("last_case", "last_case", "", ""),
        (
            "certificate:business-licence.holder_name",
            "certificate",
            "holder_name",
            "business-licence",
        ),
    ],
)
def test_the_sources_the_portal_knows(source, kind, item, certificate_type):
    parsed = source_parse(source)
    assert (parsed.kind, parsed.item, parsed.certificate_type) == (kind, item, certificate_type)


@pytest.mark.parametrize("source", ["profile.email", "last", "certificate:licence", "Profile.name"])
def test_an_unknown_source_is_refused_with_a_translated_error(department, source):
    field = make_service(department=department, publish=False).draft_version().fields.first()
    field.prefill_source = source
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        field.full_clean()
    assert "未知的来源" in refused.value.message_dict["prefill_source"][0]


def test_a_file_field_has_no_source(department):
    version = make_service(department=department, publish=False).draft_version()
    field = version.fields.get(kind=FieldDefinition.Kind.FILE)
    field.prefill_source = "profile.name"
    with pytest.raises(ValidationError) as refused:
        field.full_clean()
    assert "prefill_source" in refused.value.message_dict


def test_a_new_draft_keeps_the_sources_and_locks(department, clerk):
    service = make_prefill_service(department=department)
    draft = service_version_new_draft(service=service, actor=clerk)
    copied = {f.key: (f.prefill_source, f.prefill_changeable) for f in draft.fields.all()}
    assert copied["full_name"] == ("profile.name", False)
    assert copied["household"] == ("last_case", True)
    assert copied["notes"] == ("", True)


def test_administrators_set_the_source_on_a_draft(admin_client, department):  # noqa: F811
    version = make_service(department=department, publish=False).draft_version()
    page = admin_client.get(f"/admin/catalog/serviceversion/{version.pk}/change/")
    body = page.content.decode()
    assert 'name="fields-0-prefill_source"' in body
    assert 'name="fields-0-prefill_changeable"' in body
