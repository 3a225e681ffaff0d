from django.contrib import admin

from .models import DestructionList, RetentionRule, RetentionRun


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """The retention schedule: a service's own periods (blank: the default for its kind)."""

    list_display = ["service", "anonymise_after_years", "destroy_after_years", "note"]
    search_fields = ["service__code", "service__name_zh", "service__name_en"]
    autocomplete_fields = ["service"]


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = [
        "day",
        "phase",
        "anonymised",
        "files_removed",
        "proposed",
        "batches",
        "finished_at",
    ]
    readonly_fields = [f.name for f in RetentionRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DestructionList)
class DestructionListAdmin(admin.ModelAdmin):
    """Read only: lists are approved on the records officers' and leads' staff pages."""

    list_display = ["pk", "department", "state", "created_at"]
    list_filter = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
