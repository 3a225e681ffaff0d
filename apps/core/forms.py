from collections.abc import Mapping

from django import forms

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
