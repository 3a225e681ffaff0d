"""Helpdesk records in the admin: readable for oversight; changes go through the desk, where
every change is checked and audited."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import ClaimCode, FamilyLink, IdentityCheck, Mandate, PrintBatch


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(IdentityCheck)
class IdentityCheckAdmin(ReadOnlyAdmin):
    list_display = ["resident", "document_type", "last_digits", "checked_by", "checked_at"]
    list_filter = ["document_type", "service_point"]


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "resident",
        "service_point",
        "scope",
        "valid_from",
        "valid_until",
        "revoked_at",
    ]
    list_filter = ["scope", "service_point"]
    search_fields = ["reference"]


@admin.register(FamilyLink)
class FamilyLinkAdmin(ReadOnlyAdmin):
    list_display = ["resident", "member", "relationship", "state", "confirmed_at", "ended_at"]
    list_filter = ["state"]


@admin.register(PrintBatch)
class PrintBatchAdmin(ReadOnlyAdmin):
    list_display = ["service_point", "batch_date", "letter_count", "created_by"]
    list_filter = ["service_point"]
    date_hierarchy = "batch_date"


@admin.register(ClaimCode)
class ClaimCodeAdmin(ReadOnlyAdmin):
    list_display = ["resident", "expires_at", "used_at", "voided_at", "issued_by"]
    exclude = ["code_hash"]
