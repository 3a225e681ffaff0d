import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError

CN_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_id_number(value: str) -> str:
    return ric.compact(value or "").upper()


def validate_cn_id_number(value: str) -> None:
    """GB 11643: 18 characters, a valid birth date and region, and the ISO 7064 check digit."""
    try:
        ric.validate(normalize_id_number(value))
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The check digit of this ID number is wrong. Please check every digit."),
            code="id_checksum",
        ) from exc
    except StdnumError as exc:
        raise ValidationError(
            _("Enter an 18-character resident ID number, for example 11010519491231002X."),
            code="id_invalid",
        ) from exc


def validate_cn_mobile(value: str) -> None:
    if value and not CN_MOBILE_RE.match(value):
        raise ValidationError(
            _("Enter an 11-digit mobile number starting with 1, for example 13800138000."),
            code="phone_invalid",
        )


def mask_id_number(value: str) -> str:
    """`110105194912310021` → `1101**********0021`: enough to recognise, not to misuse."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(phone: str) -> str:
    """`13800138000` → `138****8000`, as on SMS-code prompts."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else phone
