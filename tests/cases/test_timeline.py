"""The timeline service: a reporter who hid their identity is never a line's actor."""

import pytest

from apps.cases.models import CaseEvent
from apps.cases.services.transitions import case_event_add

from .conftest import submit_case

pytestmark = pytest.mark.django_db


def test_a_hidden_reporter_is_never_named_on_the_timeline(service, resident, clerk):
    # given a case whose reporter asked to hide who they are
    case = submit_case(service, resident)
    case.hide_identity = True
    case.save(update_fields=["hide_identity"])
    # when the reporter, and a clerk on the reporter's behalf, add lines
    own = case_event_add(case=case, verb="reopen", actor=resident)
    for_them = case_event_add(case=case, verb="note", actor=clerk, on_behalf_of=resident)
    # then neither line names the reporter, and the clerk stays named
    own.refresh_from_db()
    for_them.refresh_from_db()
    assert own.actor is None
    assert (for_them.actor, for_them.on_behalf_of) == (clerk, None)
    # while on a case without the wish the resident is named as usual
    case.hide_identity = False
    case.save(update_fields=["hide_identity"])
    shown = case_event_add(case=case, verb="note", actor=resident)
    assert CaseEvent.objects.get(pk=shown.pk).actor == resident
