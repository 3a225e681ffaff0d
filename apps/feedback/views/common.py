"""What the feedback pages of every audience share."""

from django.forms import Form

from apps.core.exceptions import ApplicationError


def form_add_service_errors(form: Form, exc: ApplicationError) -> None:
    """A service's refusal on the fields it names, the rest at the top of the form."""
    errors = exc.errors
    placed = False
    for key, messages_ in errors.items():
        if key in form.fields:
            form.add_error(key, messages_)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
