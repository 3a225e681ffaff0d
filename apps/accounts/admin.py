from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    ApiToken,
    Department,
    ResidentProfile,
    ServicePoint,
    StaffMembership,
    User,
    VerificationCode,
)


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "email", "phone", "is_assisted", "is_staff"]
    list_filter = ["is_staff", "is_superuser", "is_active", "is_assisted"]
    search_fields = ["username", "display_name", "email", "phone"]
    ordering = ["username"]
    inlines = [StaffMembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Contact"), {"fields": ("display_name", "email", "phone", "preferred_language")}),
        (_("Portal"), {"fields": ("is_assisted", "care_mode")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "phone", "password1", "password2"),
            },
        ),
    )


@admin.register(ResidentProfile)
class ResidentProfileAdmin(admin.ModelAdmin):
    list_display = ["real_name", "masked_id_number", "user", "preferred_contact", "service_point"]
    search_fields = ["real_name", "user__email", "user__phone"]
    list_filter = ["preferred_contact", "service_point"]
    raw_id_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "parent", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    list_filter = ["is_active"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "role", "service_point", "is_active"]
    list_filter = ["role", "department", "is_active"]
    search_fields = ["user__username", "user__display_name", "department__name_zh"]
    autocomplete_fields = ["department"]
    raw_id_fields = ["user"]


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "address", "department"]
    search_fields = ["code", "name_zh", "address"]


@admin.register(VerificationCode)
class VerificationCodeAdmin(admin.ModelAdmin):
    list_display = ["purpose", "channel", "destination", "expires_at", "attempts", "used_at"]
    list_filter = ["purpose", "channel"]
    readonly_fields = ["code_hash"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "otp_verified", "created_at", "expires_at", "last_used_at"]
    readonly_fields = ["key_digest"]
    raw_id_fields = ["user"]
