import pytest
from django.core.exceptions import ValidationError

from apps.accounts.validators import mask_id_number, validate_cn_id_number, validate_cn_mobile


def test_mask_keeps_first_and_last_four():
    assert mask_id_number("110105194912310021") == "1101**********0021"


@pytest.mark.parametrize(
    "value", ["11010519491231002X", "11010519491231002x", "110101194003070027"]
)
def test_valid_id_numbers(value):
    validate_cn_id_number(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [("110105194912310021", "id_checksum"), ("1101051949", "id_invalid"), ("abc", "id_invalid")],
)
def test_invalid_id_numbers(value, code):
    with pytest.raises(ValidationError) as info:
        validate_cn_id_number(value)
    assert info.value.code == code


def test_mobile_numbers():
    validate_cn_mobile("13800138000")
    with pytest.raises(ValidationError):
        validate_cn_mobile("12345")
