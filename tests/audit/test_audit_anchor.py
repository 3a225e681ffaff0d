"""The daily anchor: the chain head logged outside the database shows a chain that was
rewritten and re-hashed, which the chain alone cannot."""

import logging

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import models

from apps.audit.models import GENESIS_HASH, AuditAnchor, AuditChainHead, AuditEvent
from apps.audit.services import audit_record
from apps.audit.tasks import audit_anchor_task

from .tampering import as_table_owner


def logged_anchor(caplog) -> str:
    """Run the daily task and return the anchor its log line gives to check with."""
    with caplog.at_level(logging.INFO, logger="apps.audit.anchor"):
        audit_anchor_task.delay()
    (line,) = [r.getMessage() for r in caplog.records if r.name == "apps.audit.anchor"]
    return line.rsplit("--anchor ", 1)[1].rstrip(")")


def rewrite_chain(*, first_data: dict) -> None:
    """Edit the first event and re-hash every event and the head after it, as someone with
    the tables' owner's rights could: the chain holds together again."""
    with as_table_owner():
        prev = GENESIS_HASH
        for index, event in enumerate(AuditEvent.objects.order_by("id")):
            if index == 0:
                event.data = first_data
            event.prev_hash = prev
            event.hash = event.compute_hash()
            models.QuerySet.update(
                AuditEvent.objects.filter(pk=event.pk),
                data=event.data,
                prev_hash=event.prev_hash,
                hash=event.hash,
            )
            prev = event.hash
        AuditChainHead.objects.filter(pk=1).update(last_hash=prev)


def test_the_daily_anchor_logs_the_heads_and_later_events_keep_it(events, resident, caplog):
    anchor = logged_anchor(caplog)
    # the log line names the anchor row that holds each chain's count and last hash
    row = AuditAnchor.objects.get()
    assert anchor == f"3:{row.hash}"
    assert row.heads == {"1": [3, events[2].hash]}
    # when the chain grows, the old anchor still holds
    audit_record(action="accounts.user.login", actor=resident)
    call_command("verify_audit_chain", anchor=[anchor])


def test_an_anchor_logged_when_there_was_one_chain_still_holds_and_still_catches(events):
    # given an anchor as the daily line gave it before there were parallel chains: the count
    # and the hash of the chain's last event
    old_style = f"3:{events[2].hash}"
    call_command("verify_audit_chain", anchor=[old_style])
    rewrite_chain(first_data={"n": 1, "forged": True})
    with pytest.raises(CommandError, match="event number 3 of chain 1 is not the one anchored"):
        call_command("verify_audit_chain", anchor=[old_style])


def test_an_anchor_row_edited_to_match_a_rewritten_chain_no_longer_vouches(events, caplog):
    anchor = logged_anchor(caplog)
    rewrite_chain(first_data={"n": 1, "forged": True})
    # given the anchor row edited to the rewritten chain's head as well
    with as_table_owner():
        models.QuerySet.update(
            AuditAnchor.objects.all(), heads={"1": [3, AuditChainHead.objects.get(pk=1).last_hash]}
        )
    # then it no longer hashes to what the log line says
    with pytest.raises(CommandError, match=f"the anchor {anchor} was rewritten in the database"):
        call_command("verify_audit_chain", anchor=[anchor])


def test_a_rewritten_and_rehashed_chain_is_named_by_its_anchor(events, caplog):
    # given yesterday's anchor, and the first event rewritten with every hash after it
    anchor = logged_anchor(caplog)
    rewrite_chain(first_data={"n": 1, "forged": True})
    # then the chain alone holds together (what the anchor is for)
    call_command("verify_audit_chain")
    # but the anchor names where the rewritten chain leaves it
    with pytest.raises(
        CommandError,
        match=f"broken at event {events[2].pk}: event number 3 of chain 1 is not the one anchored "
        f"as {anchor}",
    ):
        call_command("verify_audit_chain", anchor=[anchor])


def test_a_chain_cut_back_below_its_anchor_is_named(events, caplog):
    anchor = logged_anchor(caplog)
    # given the newest event removed and the head set back to the one before it
    with as_table_owner():
        AuditEvent.objects.filter(pk=events[2].pk)._raw_delete(AuditEvent.objects.db)
        AuditChainHead.objects.filter(pk=1).update(last_hash=events[1].hash, event_count=2)
    call_command("verify_audit_chain")
    with pytest.raises(
        CommandError, match=f"chain 1 ends before its anchor {anchor}: 2 events found"
    ):
        call_command("verify_audit_chain", anchor=[anchor])


def test_a_malformed_anchor_is_refused(events):
    with pytest.raises(CommandError, match="not an anchor"):
        call_command("verify_audit_chain", anchor=["3:not-a-hash"])


def test_beat_logs_the_anchor_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["audit-anchor"]
    assert entry["task"] == audit_anchor_task.name
    assert entry["schedule"].hour == {0}
