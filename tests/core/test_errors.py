"""One error path: a service's refusal reaches a form beside the fields it names, and every API
refusal (serializer or service) answers the same JSON shape."""

import pytest
from django import forms
from rest_framework import serializers
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.test import APIRequestFactory

from apps.core.api import exception_handler
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.forms import form_add_application_error


class ContactForm(forms.Form):
    phone = forms.CharField()
    note = forms.CharField(required=False)


def test_service_errors_land_beside_their_fields_and_keep_what_was_typed():
    form = ContactForm(data={"phone": "123", "note": "请下午来电"})
    assert form.is_valid()
    error = ApplicationError(
        "Some answers need your attention.",
        errors={"mobile": ["Check the phone number."], "unknown": ["Something else."]},
    )
    form_add_application_error(form, error, field_names={"mobile": "phone"})
    assert form.errors["phone"] == ["Check the phone number."]
    assert form.non_field_errors() == ["Something else."]
    assert form.data["note"] == "请下午来电"


def test_a_refusal_without_fields_goes_to_the_top_of_the_form():
    form = ContactForm(data={"phone": "123"})
    form.is_valid()
    form_add_application_error(form, ConflictError("This case changed meanwhile."))
    assert form.non_field_errors() == ["This case changed meanwhile."]


class AddressSerializer(serializers.Serializer):
    street = serializers.CharField()
    lines = serializers.ListField(child=serializers.DictField(child=serializers.IntegerField()))


def handle(exc):
    request = APIRequestFactory().get("/")
    return exception_handler(exc, {"request": request, "view": None})


def test_serializer_and_service_errors_share_one_shape():
    serializer = AddressSerializer(data={"lines": [{"n": "x"}]})
    assert not serializer.is_valid()
    serializer_response = handle(serializers.ValidationError(serializer.errors))
    service_response = handle(
        ApplicationError("Check the street.", errors={"street": ["Required."]})
    )
    assert serializer_response.status_code == service_response.status_code == 400
    assert (
        set(serializer_response.data)
        == set(service_response.data)
        == {
            "detail",
            "code",
            "errors",
        }
    )
    assert set(serializer_response.data["errors"]) == {"street", "lines.0.n"}
    assert service_response.data == {
        "detail": "Check the street.",
        "code": "invalid",
        "errors": {"street": ["Required."]},
    }


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (ConflictError("Changed meanwhile.", extra={"state": "approved"}), 409, "conflict"),
        (NotFound(), 404, "not_found"),
        (Throttled(wait=30), 429, "throttled"),
    ],
)
def test_other_refusals_use_the_same_shape(exc, status, code):
    response = handle(exc)
    assert response.status_code == status
    assert response.data["code"] == code
    assert response.data["errors"] == {}
    assert response.data["detail"]
    if isinstance(exc, ConflictError):
        assert response.data["state"] == "approved"
    if isinstance(exc, Throttled):
        assert response["Retry-After"] == "30"
