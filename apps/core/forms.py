from collections.abc import Mapping

from django import forms
from django.utils.translation import gettext as _

from .exceptions import ApplicationError


def form_add_application_error(
    form: forms.BaseForm,
    error: ApplicationError,
    *,
    field_names: Mapping[str, str] | None = None,
) -> None:
    """Show a service's refusal on the form, so nothing the user typed is lost.

    Each message goes beside the field the service named (`field_names` maps a service's name
    for a field onto the form's, where they differ); messages for fields the form does not
    have, and the refusal itself when no field is named, go to the top of the form."""
    names = field_names or {}
    for key, messages in error.errors.items():
        name = names.get(key, key)
        form.add_error(name if name in form.fields else None, list(messages))
    if not error.errors:
        form.add_error(None, error.message)


def form_files_not_kept(form: forms.BaseForm) -> bool:
    """Say, beside each file field that was sent files, that they must be chosen again: a page
    shown again keeps what was typed, but no browser keeps a chosen file. Returns whether any
    file was sent (so a page shown again without errors can say it another way)."""
    files = form.files if form.is_bound else None
    sent = False
    for name, field in form.fields.items():
        if not isinstance(field, forms.FileField) or files is None:
            continue
        key = form.add_prefix(name)
        chosen = files.getlist(key) if hasattr(files, "getlist") else [files.get(key)]
        if not any(chosen):
            continue
        sent = True
        if form.errors:
            form.add_error(name, files_not_kept_message())
    return sent


def files_not_kept_message() -> str:
    return _("Choose the files again: they are not kept when the page is shown again.")
