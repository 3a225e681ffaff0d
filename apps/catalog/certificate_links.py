"""Where the catalogue names a certificate type (电子证照, `apps.certificates`): the one a
service's approval grants, and the one that answers a required document instead of an upload.
A reference by name only: the catalogue imports nothing of the app above it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GrantsCertificate(models.Model):
    certificate_type = models.ForeignKey(
        "certificates.CertificateType",
        verbose_name=_("certificate its approval grants"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="granted_by",
        help_text=_("An approved decision issues one to the applicant (电子证照)."),
    )

    class Meta:
        abstract = True


class AnsweredByCertificate(models.Model):
    certificate_type = models.ForeignKey(
        "certificates.CertificateType",
        verbose_name=_("certificate that answers it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers_documents",
        help_text=_("An applicant who holds a valid one uses it instead of an upload."),
    )

    class Meta:
        abstract = True
