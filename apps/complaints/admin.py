from django.contrib import admin

from apps.cases.admin import CaseAdmin

from .models import Complaint, Open311Client


@admin.register(Complaint)
class ComplaintAdmin(CaseAdmin):
    """Complaints change only through the workflow: the admin shows them, it does not edit them."""

    list_display = ["ref", "service", "complaint_type", "urgency", "state", "lead_department"]
    list_filter = ["state", "complaint_type", "urgency", "channel", "service"]
    search_fields = ["number", "reference", "reporter_name", "address"]


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """Open311 clients that may POST requests; keys are created with
    `apps.complaints.services.open311_client_create` and only their hash is kept."""

    list_display = ["name", "is_active", "created_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False
