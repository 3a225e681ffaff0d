"""What the certificate APIs answer, shared by the resident's and the staff's."""

from rest_framework import serializers

from apps.cases.provided import ProvidedDocument

from ..models import Certificate

STATUS_HELP = "Today's status: " + ", ".join(Certificate.Status.values) + "."


class CertificateOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    type = serializers.CharField(source="type.code")
    type_name = serializers.CharField(source="type.name")
    status = serializers.CharField(help_text=STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display")
    issuing_department = serializers.CharField(source="issuing_department.code")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    # The key is "fields" (DRF takes declared fields out of the class, so the name is free).
    fields = serializers.DictField(child=serializers.JSONField())  # type: ignore[assignment]
    field_labels = serializers.SerializerMethodField()
    replaced_by = serializers.CharField(source="replaced_by.number", allow_null=True, default=None)
    pdf_sha256 = serializers.CharField()
    verification_code = serializers.CharField(
        source="document.verification_code", allow_null=True, default=None
    )

    class Meta:
        ref_name = "Certificate"

    def get_field_labels(self, certificate: Certificate) -> dict[str, str]:
        return certificate.type.field_labels()


class ProvidedDocumentSerializer(serializers.Serializer):
    """A certificate a case links instead of an upload, as it stands today."""

    field = serializers.CharField(source="field_key")
    number = serializers.CharField(source="reference")
    title = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    status_display = serializers.CharField(source="status_label")
    usable = serializers.BooleanField()
    issued_by = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    # The key is "fields" (DRF takes declared fields out of the class, so the name is free).
    fields = serializers.DictField(source="data", child=serializers.JSONField())  # type: ignore[assignment]
    field_labels = serializers.SerializerMethodField()
    pdf_sha256 = serializers.SerializerMethodField()
    refusal = serializers.CharField()

    class Meta:
        ref_name = "CaseCertificate"

    def get_field_labels(self, doc: ProvidedDocument) -> dict[str, str]:
        return dict(zip(doc.data, (label for label, _value in doc.fields), strict=False))

    def get_pdf_sha256(self, doc: ProvidedDocument) -> str:
        return doc.signed.get("sha256", "")
