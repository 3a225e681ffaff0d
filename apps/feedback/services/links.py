"""The signed rating link: how a reporter without an account (a caller, an SMS or anonymous web
reporter, known only by the phone they gave) rates without signing in.

The token is a `TimestampSigner` signature over the case and its rating request, with its own
salt, valid FEEDBACK_RATING_LINK_DAYS days. It grants nothing but rating that request as the
case's applicant, under the rules of `rating_submit` (once; again only after a rectification
answer)."""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.exceptions import ApplicationError
from apps.core.links import portal_url

from ..models import RatingRequest
from .common import rate_url

RATING_LINK_SALT = "feedback.rating-link"
_SEP = "."


def rating_link_days() -> int:
    return int(getattr(settings, "FEEDBACK_RATING_LINK_DAYS", 15))


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=RATING_LINK_SALT, sep=_SEP)


def rating_link_token(*, rating_request: RatingRequest) -> str:
    """A new token for `rating_request` (bound to its case and to it)."""
    return _signer().sign(f"{rating_request.case_id}-{rating_request.pk}")


def rating_link_path(*, rating_request: RatingRequest) -> str:
    return reverse("feedback:rate-link", args=[rating_link_token(rating_request=rating_request)])


def rating_link_url(*, rating_request: RatingRequest, request: HttpRequest | None = None) -> str:
    """The absolute signed link (SMS, email, the tracking page)."""
    return portal_url(path=rating_link_path(rating_request=rating_request), request=request)


def has_account(*, user: User) -> bool:
    """Whether `user` can sign in to rate: the reporter records of callers and anonymous
    reporters (`complaints.services.filing`) are inactive."""
    return bool(user.is_active)


def rating_invitation_url(*, rating_request: RatingRequest) -> str:
    """Where an invitation to rate points: the case's rating page for a resident who can sign
    in, the signed link for a reporter without an account. Absolute."""
    case = rating_request.case
    if has_account(user=case.applicant):
        return portal_url(path=rate_url(case=case))
    return rating_link_url(rating_request=rating_request)


def _refused(message: str, field_message: str) -> ApplicationError:
    return ApplicationError(message, errors={"token": [field_message]})


def _not_valid() -> ApplicationError:
    return _refused(
        _("This rating link is not valid. Check that you opened the whole link from the SMS."),
        _("The link is not valid."),
    )


def rating_link_read(*, token: str) -> RatingRequest:
    """The rating request a token names. Refused (translated) when tampered with, expired, or
    for an earlier answer than the case's latest."""
    try:
        value = _signer().unsign(token or "", max_age=rating_link_days() * 86400)
    except signing.SignatureExpired:
        raise _refused(
            _("This rating link has expired. Open your case with its number and code to rate."),
            _("The link has expired."),
        ) from None
    except signing.BadSignature:
        raise _not_valid() from None
    case_id, _sep, request_id = value.partition("-")
    if not (case_id.isdigit() and request_id.isdigit()):
        raise _not_valid()
    rating_request = (
        RatingRequest.objects.select_related("case__service", "case__applicant")
        .filter(pk=int(request_id), case_id=int(case_id))
        .first()
    )
    if rating_request is None:
        raise _not_valid()
    latest = rating_request.case.rating_requests.order_by("-round").first()
    if latest is not None and latest.pk != rating_request.pk:
        raise _refused(
            _("This link is for an earlier answer to your case. Use the link in the latest SMS."),
            _("The link is for an earlier answer."),
        )
    return rating_request
