"""Read-only views for administrators: ratings change only through the services (audited)."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import Appeal, Rating, RatingRequest, Rectification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(RatingRequest)
class RatingRequestAdmin(ReadOnlyAdmin):
    list_display = ["case", "round", "department", "state", "opened_at", "closes_at"]
    list_filter = ["state"]
    search_fields = ["case__number"]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["case", "department", "level", "channel", "is_bad", "excluded", "created_at"]
    list_filter = ["level", "channel", "is_bad", "excluded"]
    search_fields = ["case__number"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["rating", "department", "deadline", "state", "answered_at"]
    list_filter = ["state"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["rating", "department", "state", "filed_by", "decided_by", "decided_at"]
    list_filter = ["state"]
