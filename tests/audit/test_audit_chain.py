import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from apps.audit.context import AuditContext
from apps.audit.models import AppendOnlyError, AuditEvent
from apps.audit.services import audit_record

from .tampering import tamper


def test_events_are_chained(events):
    assert events[0].prev_hash == "0" * 64
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash


def test_intact_chain_verifies(events, capsys):
    call_command("verify_audit_chain")
    assert "3 events" in capsys.readouterr().out


def test_edited_row_is_found(events):
    # given someone edits one event directly in the database
    tamper(
        "UPDATE audit_auditevent SET action = %s WHERE id = %s",
        ["accounts.user.logout", events[1].pk],
    )
    # when the chain is checked, then that event is named
    with pytest.raises(CommandError, match=f"broken at event {events[1].pk}: content"):
        call_command("verify_audit_chain")


def test_removed_row_is_found(events):
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}: previous hash"):
        call_command("verify_audit_chain")


def test_events_cannot_be_changed_or_deleted_through_django(events):
    event = AuditEvent.objects.get(pk=events[0].pk)
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "accounts.user.login"


def test_an_action_outside_the_registry_is_refused(db, resident):
    with pytest.raises(ValueError, match="not a valid AuditAction"):
        audit_record(action="accounts.user.teleport", actor=resident)
    assert not AuditEvent.objects.exists()


def test_where_the_request_came_from_is_chained_too(db, resident):
    # given an event recorded with the browser's address and user agent
    event = audit_record(
        action="accounts.user.login",
        actor=resident,
        context=AuditContext(ip_address="203.0.113.7", user_agent="Mozilla/5.0 (care mode)"),
    )
    assert (event.ip_address, event.user_agent) == ("203.0.113.7", "Mozilla/5.0 (care mode)")
    # when someone rewrites the user agent in the database
    tamper("UPDATE audit_auditevent SET user_agent = 'curl' WHERE id = %s", [event.pk])
    # then the chain names the event
    with pytest.raises(CommandError, match=f"broken at event {event.pk}: content"):
        call_command("verify_audit_chain")


def test_a_truncated_tail_is_found(events):
    # given someone deletes the newest event with SQL: every remaining link still holds
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    # then the chain's end no longer meets its head
    with pytest.raises(
        CommandError,
        match=f"broken at event {events[1].pk}: chain 1 ends before its head: "
        "3 events recorded, 2 found",
    ):
        call_command("verify_audit_chain")


def test_an_emptied_trail_is_found(events):
    tamper("TRUNCATE audit_auditevent")
    with pytest.raises(CommandError, match="3 events recorded, 0 found"):
        call_command("verify_audit_chain")


def test_a_transaction_keeps_to_one_chain(db, resident):
    with transaction.atomic():
        events = [audit_record(action="accounts.user.login", actor=resident) for _ in range(3)]
    assert len({event.chain for event in events}) == 1
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
