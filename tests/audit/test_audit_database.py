"""PostgreSQL itself keeps the audit trail append-only: the triggers refuse any client, and the
role docs/deploy.md gives the portal cannot change, remove or disable anything."""

import re
import uuid

import pgtrigger
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import ProgrammingError, connection, models, transaction

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.audit.services import audit_record


def statements_refused(statements: list[tuple[str, str]]) -> None:
    """Each statement, run on the test's connection, fails with the message given."""
    with connection.cursor() as cursor:
        # Check the test's pending (deferred) foreign keys now: TRUNCATE and ALTER TABLE
        # would otherwise refuse before any trigger or privilege is asked.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql, refusal in statements:
            with pytest.raises(ProgrammingError, match=refusal), transaction.atomic():
                cursor.execute(sql)


def assert_intact(capsys, count: int) -> None:
    call_command("verify_audit_chain")
    assert f"Audit chain intact: {count} events." in capsys.readouterr().out


def test_the_database_refuses_to_change_or_remove_events(postgresql, events, capsys):
    statements_refused(
        [
            (
                "UPDATE audit_auditevent SET action = 'accounts.user.logout'",
                "Cannot update or delete rows from audit_auditevent",
            ),
            ("DELETE FROM audit_auditevent", "Cannot update or delete rows from audit_auditevent"),
            ("TRUNCATE audit_auditevent", "cannot truncate audit_auditevent"),
            # Emptying the users with CASCADE would take the trail with them.
            ("TRUNCATE accounts_user CASCADE", "cannot truncate audit_auditevent"),
            # Without the head an emptied trail would look like a new one.
            ("DELETE FROM audit_auditchainhead", "Cannot delete rows from audit_auditchainhead"),
            ("TRUNCATE audit_auditchainhead", "cannot truncate audit_auditchainhead"),
        ]
    )
    assert_intact(capsys, 3)


def test_the_database_refuses_what_slips_past_the_models_guard(postgresql, events, capsys):
    # given code that goes around AuditEvent's own refusal (a plain QuerySet, a raw delete)
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        models.QuerySet.update(AuditEvent.objects.all(), action="accounts.user.logout")
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk)._raw_delete(connection.alias)
    # then every event is still there as recorded
    assert list(AuditEvent.objects.order_by("id").values_list("hash", flat=True)) == [
        event.hash for event in events
    ]
    assert_intact(capsys, 3)


def test_a_deletion_past_pgtriggers_escape_hatch_is_still_named(postgresql, events):
    # given a session that sets django-pgtrigger's ignore variable, which any role may set
    # (why docs/deploy.md takes the rights away from the portal's role as well)
    with pgtrigger.ignore("audit.AuditEvent:append_only"):
        AuditEvent.objects.filter(pk=events[1].pk)._raw_delete(connection.alias)
    # then the chain names the gap
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}: previous hash"):
        call_command("verify_audit_chain")


@pytest.mark.django_db(transaction=True)
def test_tests_that_commit_run_against_the_triggers_too(postgresql, resident):
    # given events really committed (the test suite empties the tables after this test)
    audit_record(action="accounts.user.login", actor=resident)
    # then the suite has not switched the triggers off for it
    statements_refused(
        [
            ("DELETE FROM audit_auditevent", "Cannot update or delete rows"),
            ("TRUNCATE audit_auditevent", "cannot truncate audit_auditevent"),
        ]
    )
    assert AuditEvent.objects.count() == 1


def deploy_grants_sql() -> str:
    """The block docs/deploy.md tells the operator to run after every migrate."""
    text = (settings.BASE_DIR / "docs" / "deploy.md").read_text()
    after_marker = text.split("<!-- grants.sql", 1)[1]
    return after_marker.split("```sql\n", 1)[1].split("```", 1)[0]


def test_the_portal_role_of_the_deploy_guide_appends_but_cannot_tamper(
    postgresql, events, resident, capsys
):
    # given the portal's role set up as docs/deploy.md says (the roles live in this test's
    # transaction only; the tables' owner here is the test's superuser, `portal` in the guide)
    role = f"portal_app_{uuid.uuid4().hex[:12]}"
    pgid = AuditEvent._meta.triggers[0].get_pgid(AuditEvent)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(re.sub(r"\bportal_app\b", role, deploy_grants_sql()))
        cursor.execute(f"SET LOCAL ROLE {role}")
    # when the portal works as that role, it appends to the trail and writes its other tables
    audit_record(action="accounts.user.login", actor=resident)
    User.objects.filter(pk=resident.pk).update(display_name="李四")
    # but it can neither change the trail nor switch off, replace or drop what guards it
    denied_events = "permission denied for table audit_auditevent"
    denied_head = "permission denied for table audit_auditchainhead"
    # (whichever PostgreSQL checks first: the right to create in the schema, or ownership)
    not_owner_of_function = "permission denied for schema public|must be owner of function"
    statements_refused(
        [
            ("UPDATE audit_auditevent SET action = 'accounts.user.logout'", denied_events),
            ("DELETE FROM audit_auditevent", denied_events),
            ("TRUNCATE audit_auditevent", denied_events),
            ("DELETE FROM audit_auditchainhead", denied_head),
            ("TRUNCATE audit_auditchainhead", denied_head),
            ("TRUNCATE accounts_user CASCADE", "permission denied for table accounts_user"),
            # the escape hatch is no help without the right to delete (pgid: our trigger's name)
            (
                f"SET LOCAL pgtrigger.ignore = '{{{pgid}}}'; DELETE FROM audit_auditevent",  # noqa: S608
                denied_events,
            ),
            ("ALTER TABLE audit_auditevent DISABLE TRIGGER USER", "must be owner of table"),
            (
                f"CREATE OR REPLACE FUNCTION {pgid}() RETURNS TRIGGER AS $$ "
                "BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
                not_owner_of_function,
            ),
            (
                "CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME) "
                "RETURNS BOOLEAN AS $$ BEGIN RETURN TRUE; END; $$ LANGUAGE plpgsql",
                not_owner_of_function,
            ),
            ("DROP TABLE audit_auditevent", "must be owner of table"),
            ("ALTER TABLE audit_auditevent RENAME TO old_events", "must be owner of table"),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    # and the chain holds all four events
    assert_intact(capsys, 4)
