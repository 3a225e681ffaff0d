from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: an issued document never changes (a new one is issued instead)."""

    list_display = ["sealed_at", "kind", "title", "verification_code", "seal", "created_by"]
    list_filter = ["kind", "seal", "language"]
    search_fields = ["title", "verification_code", "sha256"]
    date_hierarchy = "sealed_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
