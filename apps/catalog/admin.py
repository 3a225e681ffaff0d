from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError

from .models import FieldDefinition, RequiredDocument, ReviewStage, ServiceItem, ServiceVersion
from .services import service_version_new_draft, service_version_publish


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = [
        "order",
        "name_zh",
        "name_en",
        "description_zh",
        "description_en",
        "required",
        "certificate_type",
    ]


class ReviewStageInline(admin.TabularInline):
    model = ReviewStage
    extra = 0
    fields = ["order", "name_zh", "name_en", "departments", "days"]
    filter_horizontal = ["departments"]


class ServiceVersionInline(admin.TabularInline):
    model = ServiceVersion
    extra = 0
    fields = readonly_fields = ("number", "published_at", "created_at")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _new_draft(modeladmin, request, services):
    for service in services:
        draft = service_version_new_draft(service=service, actor=request.user)
        modeladmin.message_user(
            request,
            _("%(service)s: draft version %(number)s is ready to edit.")
            % {"service": service, "number": draft.number},
            messages.SUCCESS,
        )


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_zh",
        "name_en",
        "kind",
        "lead_department",
        "promised_days",
        "statutory_days",
        "decision_role",
        "four_eyes",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "lead_department"]
    search_fields = ["code", "name_zh", "name_en", "summary_zh", "summary_en"]
    prepopulated_fields = {"code": ["name_en"]}
    inlines = [RequiredDocumentInline, ReviewStageInline, ServiceVersionInline]
    actions = ["new_draft"]
    fieldsets = [
        (None, {"fields": ["code", "kind", "lead_department", "is_active"]}),
        (_("Name and summary"), {"fields": ["name_zh", "name_en", "summary_zh", "summary_en"]}),
        (
            _("Guide"),
            {
                "fields": [
                    "who_may_apply_zh",
                    "who_may_apply_en",
                    "fee_zh",
                    "fee_en",
                    "legal_basis_zh",
                    "legal_basis_en",
                    "where_to_go_zh",
                    "where_to_go_en",
                    "processing_notes_zh",
                    "processing_notes_en",
                ]
            },
        ),
        (
            _("Time limits and review"),
            {"fields": ["statutory_days", "promised_days", "allows_deemed_consent"]},
        ),
        (_("Records"), {"fields": ["archive_class"]}),
        (_("Certificate"), {"fields": ["certificate_type"]}),
        (
            _("Separation of duties"),
            {
                "fields": ["decision_role", "four_eyes"],
                "description": _(
                    "Who may issue an application's decision. Intake and the reviews always "
                    "belong to the clerks and leads of their departments; an administrator's "
                    "account gives no right to act on a case."
                ),
            },
        ),
    ]

    @admin.action(description=_("Make a new draft version to edit"))
    def new_draft(self, request, queryset):
        _new_draft(self, request, queryset)


class FieldDefinitionInline(admin.StackedInline):
    model = FieldDefinition
    extra = 0
    fields = [
        ("key", "kind", "step", "order", "required"),
        ("label_zh", "label_en"),
        ("help_zh", "help_en"),
        "choices",
        "rules",
        "document",
        ("prefill_source", "prefill_changeable"),
    ]

    def _published(self, obj) -> bool:
        return obj is not None and obj.is_published

    def get_readonly_fields(self, request, obj=None):
        if self._published(obj):
            return [f.name for f in FieldDefinition._meta.fields]
        return []

    def has_add_permission(self, request, obj=None):
        return not self._published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._published(obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "document":
            version_id = request.resolver_match.kwargs.get("object_id")
            version = ServiceVersion.objects.filter(pk=version_id).first()
            if version is not None:
                kwargs["queryset"] = RequiredDocument.objects.filter(service=version.service)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ServiceVersion)
class ServiceVersionAdmin(admin.ModelAdmin):
    """Drafts are edited here; a published version shows read-only (it never changes)."""

    list_display = ["service", "number", "published_at", "created_at"]
    list_filter = ["service"]
    search_fields = ["service__code", "service__name_zh", "service__name_en"]
    inlines = [FieldDefinitionInline]
    actions = ["publish", "new_draft"]
    fields = ["service", "number", "declaration_zh", "declaration_en", "steps", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return self.fields
        if obj is not None:
            return ["service", "number", "published_at"]
        return ["published_at"]

    def get_actions(self, request):
        # A bulk delete would bypass the model's refusal to delete published versions.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Publish the selected draft versions"))
    def publish(self, request, queryset):
        for version in queryset.select_related("service"):
            try:
                service_version_publish(version=version, actor=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{version}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(version)s is published.") % {"version": version}, messages.SUCCESS
                )

    @admin.action(description=_("Make a new draft from the selected versions' services"))
    def new_draft(self, request, queryset):
        services = ServiceItem.objects.filter(versions__in=queryset).distinct()
        _new_draft(self, request, services)
