from django.contrib import admin

from .models import SignatureRecord


@admin.register(SignatureRecord)
class SignatureRecordAdmin(admin.ModelAdmin):
    """Read-only: signature records are append-only."""

    list_display = ["signed_at", "signer", "method", "assisted_by", "target_type", "target_id"]
    list_filter = ["method"]
    search_fields = ["digest", "target_id", "signer__username", "signer__display_name"]
    date_hierarchy = "signed_at"
    raw_id_fields = ["signer", "on_behalf_of", "assisted_by"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
