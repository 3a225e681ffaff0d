"""Clerks acting at the same moment append to different chains instead of queueing on one
row, and the check still finds an edited, removed or cut-back event in any chain."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from apps.audit.models import AuditChainHead, AuditEvent
from apps.audit.services import audit_anchor_record, audit_record

from .tampering import tamper

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def chain_heads(db):
    """The heads as the migration leaves them (the suite's flush empties the table)."""
    AuditChainHead.create_missing()


def record_while_another_transaction_is_open(resident) -> tuple[AuditEvent, AuditEvent]:
    """One transaction appends and stays open; meanwhile a second appends and commits, with a
    lock timeout that fails it if it waits for the first one's chain."""
    first_appended, release = threading.Event(), threading.Event()
    recorded: list[AuditEvent] = []

    def first() -> None:
        try:
            with transaction.atomic():
                recorded.append(audit_record(action="accounts.user.login", actor=resident))
                first_appended.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert first_appended.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            second = audit_record(action="accounts.profile.update", actor=resident)
    finally:
        release.set()
        thread.join(10)
    return recorded[0], second


def test_a_second_clerk_appends_while_the_first_ones_transaction_is_still_open(
    postgresql, resident, capsys
):
    first, second = record_while_another_transaction_is_open(resident)
    # each is the start of its own chain, and the whole trail checks out
    assert first.chain != second.chain
    assert first.prev_hash == second.prev_hash == "0" * 64
    call_command("verify_audit_chain")
    assert "Audit chain intact: 2 events." in capsys.readouterr().out


def test_the_newest_event_of_the_second_chain_removed_is_found(postgresql, resident):
    first, second = record_while_another_transaction_is_open(resident)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    with pytest.raises(
        CommandError,
        match=f"chain {second.chain} ends before its head: 1 events recorded, 0 found",
    ):
        call_command("verify_audit_chain")


def test_one_anchor_holds_every_chain_and_names_a_rewritten_one(postgresql, resident):
    first, second = record_while_another_transaction_is_open(resident)
    anchor = audit_anchor_record()
    assert anchor.heads == {
        str(first.chain): [1, first.hash],
        str(second.chain): [1, second.hash],
    }
    call_command("verify_audit_chain", anchor=[str(anchor)])
    # given the second chain's event rewritten: found by its hash
    tamper("UPDATE audit_auditevent SET data = '{\"x\": 1}' WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=f"broken at event {second.pk}: content"):
        call_command("verify_audit_chain")
    # and then re-hashed, with its head, to match
    forged = AuditEvent.objects.get(pk=second.pk)
    tamper(
        "UPDATE audit_auditevent SET hash = %s WHERE id = %s", [forged.compute_hash(), second.pk]
    )
    with connection.cursor() as cursor:  # a head moves on every event: not refused
        cursor.execute(
            "UPDATE audit_auditchainhead SET last_hash = %s WHERE id = %s",
            [forged.compute_hash(), second.chain],
        )
    call_command("verify_audit_chain")  # the chains alone hold together again
    with pytest.raises(
        CommandError, match=f"event number 1 of chain {second.chain} is not the one anchored"
    ):
        call_command("verify_audit_chain", anchor=[str(anchor)])
