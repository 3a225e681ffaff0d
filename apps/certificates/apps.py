from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Electronic licences (电子证照): issued by an approved decision, held in the resident's
    wallet, reused by later applications instead of an upload, revoked or replaced by the
    issuing department."""

    name = "apps.certificates"
    label = "certificates"
    verbose_name = _("Electronic certificates")

    def ready(self) -> None:
        from apps.cases.prefill import prefill_resolver_register
        from apps.cases.provided import register_document_provider
        from apps.cases.signals import case_approved
        from apps.documents.standing import document_standing_register

        from .prefill import certificate_prefill
        from .provider import CertificateDocuments
        from .receivers import case_approved_issue
        from .selectors import certificate_standing_for_document

        case_approved.connect(case_approved_issue, dispatch_uid="certificates.case_approved")
        register_document_provider(CertificateDocuments())
        prefill_resolver_register(kind="certificate", resolver=certificate_prefill)
        document_standing_register(reader=certificate_standing_for_document)
