from django.contrib import admin

from .models import Attachment, Case, CaseDocument, CaseEvent


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = [
        "field_key",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
    ]
    can_delete = False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    readonly_fields = [
        "created_at",
        "verb",
        "from_state",
        "to_state",
        "actor",
        "on_behalf_of",
        "note",
        "is_public",
    ]
    can_delete = False


class CaseDocumentInline(admin.TabularInline):
    model = CaseDocument
    extra = 0
    readonly_fields = ["document", "is_public"]
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases change only through the workflow: the admin shows them, it does not edit them."""

    list_display = ["ref", "service", "applicant", "state", "submitted_at", "deadline"]
    list_filter = ["state", "kind", "channel", "service"]
    search_fields = ["number", "reference", "applicant__display_name"]
    readonly_fields = [f.name for f in Case._meta.fields]
    inlines = [AttachmentInline, CaseEventInline, CaseDocumentInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
