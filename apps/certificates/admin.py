"""Administrators configure certificate types; certificates themselves are read-only here
(their department revokes or replaces them on the staff pages, audited)."""

from django.contrib import admin

from .models import CaseCertificate, Certificate, CertificateType


@admin.register(CertificateType)
class CertificateTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_zh",
        "name_en",
        "issuing_department",
        "validity_days",
        "is_active",
    ]
    list_filter = ["issuing_department", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    fields = [
        "code",
        "name_zh",
        "name_en",
        "issuing_department",
        "validity_days",
        "field_sources",
        "is_active",
    ]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "type", "issuing_department", "valid_from", "valid_until", "state"]
    list_filter = ["state", "type", "issuing_department"]
    search_fields = ["number"]
    readonly_fields = fields = (
        "number",
        "type",
        "holder",
        "issuing_department",
        "valid_from",
        "valid_until",
        "fields",
        "source_case",
        "document",
        "language",
        "state",
        "ended_at",
        "ended_by",
        "end_reason",
        "replaced_by",
    )

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseCertificate)
class CaseCertificateAdmin(admin.ModelAdmin):
    list_display = ["case", "field_key", "certificate", "created_at"]
    readonly_fields = fields = ("case", "field_key", "certificate", "linked_by")

    def has_add_permission(self, request, obj=None):
        return False
