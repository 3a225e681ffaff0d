"""Administrators register departments' systems: a name, a department and the scopes; the
portal makes the account, the OAuth2 client and its secret, shown once on this page."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.audit.context import AuditContext

from . import services
from .models import DepartmentSystem, Scope


class DepartmentSystemForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "What the system's tokens may do; a token asked for without a scope gets all of these."
        ),
    )

    class Meta:
        model = DepartmentSystem
        fields = ["name", "department", "scopes", "is_active"]


def _show_secret(request, system: DepartmentSystem, secret: str) -> None:
    messages.warning(
        request,
        _(
            "Client id: %(client_id)s — client secret: %(secret)s. Give both to the "
            "department's system now: the secret is kept only as a hash and is not shown again."
        )
        % {"client_id": system.client_id, "secret": secret},
    )


@admin.register(DepartmentSystem)
class DepartmentSystemAdmin(admin.ModelAdmin):
    form = DepartmentSystemForm
    list_display = ["name", "department", "client_id", "scopes", "is_active", "updated_at"]
    list_filter = ["is_active", "department"]
    search_fields = ["name", "department__code", "application__client_id"]
    list_select_related = ["department", "application"]
    readonly_fields = ["client_id", "user"]
    actions = ["rotate_secret"]

    def get_readonly_fields(self, request, obj=None):
        # The department is fixed once registered: its account's membership is there.
        return ["client_id", "user", "department"] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "department", "scopes"]
        return ["name", "department", "client_id", "user", "scopes", "is_active"]

    @admin.display(description=_("client id"))
    def client_id(self, obj: DepartmentSystem) -> str:
        return obj.client_id

    def save_model(self, request, obj, form, change):
        context = AuditContext.from_request(request)
        if change:
            services.department_system_update(
                system=obj,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                is_active=form.cleaned_data["is_active"],
                actor=request.user,
                context=context,
            )
            return
        system, secret = services.department_system_register(
            name=form.cleaned_data["name"],
            department=form.cleaned_data["department"],
            scopes=form.cleaned_data["scopes"],
            actor=request.user,
            context=context,
        )
        obj.pk = system.pk
        _show_secret(request, system, secret)

    def has_delete_permission(self, request, obj=None):
        return False  # switch a system off instead: its account stays on the audit trail

    @admin.action(description=_("Generate a new client secret (the old one stops working)"))
    def rotate_secret(self, request, queryset):
        for system in queryset:
            secret = services.department_system_secret_rotate(
                system=system, actor=request.user, context=AuditContext.from_request(request)
            )
            _show_secret(request, system, secret)
