import hashlib
import json

import pgtrigger
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
# Parallel chains: a transaction appends to whichever chain no other transaction holds, so
# concurrent clerks do not wait on one row (see services.audit_record). Chain 1 holds every
# event written before there were several.
AUDIT_CHAINS = 16
FIRST_CHAIN = 1


class AppendOnlyError(Exception):
    """Audit events are never changed or removed."""


def refuse_truncate(*, name: str) -> pgtrigger.Trigger:
    """A statement trigger that refuses TRUNCATE (pgtrigger.Protect covers rows only, and a
    TRUNCATE touches no row)."""
    return pgtrigger.Trigger(
        name=name,
        operation=pgtrigger.Truncate,
        level=pgtrigger.Statement,
        when=pgtrigger.Before,
        func="RAISE EXCEPTION 'audit: cannot truncate % (the audit trail is append-only)', "
        "TG_TABLE_NAME;",
    )


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk changes and removals of the rows of an append-only audit table."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")


class AuditEvent(models.Model):
    """One append-only, hash-chained record of something a person (or the system) did."""

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True, db_index=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True, default="")
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The department system's OAuth2 client that acted (AuditContext.client), else empty.
    client = models.CharField(_("through client"), max_length=255, blank=True, default="")
    # Which chain the event is linked into (1 to AUDIT_CHAINS); within a chain, ids ascend in
    # chain order, because an event is inserted while its transaction holds the chain's head.
    chain = models.PositiveSmallIntegerField(_("chain"), default=FIRST_CHAIN)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]
        # PostgreSQL refuses to change or remove a row whatever the client: raw SQL, a bulk
        # delete, a TRUNCATE (no-ops on SQLite). docs/deploy.md gives the table to a role the
        # portal does not log in as, so the portal cannot disable them either.
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            refuse_truncate(name="no_truncate"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def compute_hash(self) -> str:
        payload = {
            "prev": self.prev_hash,
            "time": self.created_at.isoformat(),
            "actor": self.actor_id,
            "on_behalf_of": self.on_behalf_of_id,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "target_repr": self.target_repr,
            "ip": self.ip_address,
            "data": self.data,
        }
        if self.user_agent:  # events from before the column existed keep their hashes
            payload["user_agent"] = self.user_agent
        if self.client:  # likewise for the client column
            payload["client"] = self.client
        if self.chain != FIRST_CHAIN:  # and for the chain: every older event is in the first
            payload["chain"] = self.chain
        canonical = json.dumps(
            payload,
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            cls=DjangoJSONEncoder,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


class AuditChainHead(models.Model):
    """The end of one chain (its pk is the chain's number), locked while a transaction appends
    to it, so that each chain stays one line under concurrency."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    # How many events the chain holds: with `last_hash`, what a truncated tail is checked against.
    event_count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")
        # Moved forward on every event, never removed: without its row an emptied trail would
        # look like a fresh one.
        triggers = [
            pgtrigger.Protect(name="never_removed", operation=pgtrigger.Delete),
            refuse_truncate(name="no_truncate"),
        ]

    def __str__(self):
        return self.last_hash

    @staticmethod
    def create_missing() -> None:
        """A head row for every chain that has none (the migration makes them; an emptied
        table, as a test suite's flush leaves it, has none)."""
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(pk=chain) for chain in range(FIRST_CHAIN, AUDIT_CHAINS + 1)],
            ignore_conflicts=True,
        )


class AuditAnchor(models.Model):
    """Every chain's head at one moment, under one hash: the daily anchor logs `count:hash`
    outside the database, and this row says which event of each chain that hash covers. A row
    edited since no longer has the logged hash, so it cannot vouch for a rewritten chain."""

    created_at = models.DateTimeField(_("time"))
    event_count = models.PositiveBigIntegerField(_("events"))
    # {"<chain>": [count, last hash]} for every chain that holds events.
    heads = models.JSONField(_("chain heads"))
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            refuse_truncate(name="no_truncate"),
        ]

    def __str__(self) -> str:
        return f"{self.event_count}:{self.hash}"

    def compute_hash(self) -> str:
        canonical = json.dumps(
            {"time": self.created_at.isoformat(), "count": self.event_count, "heads": self.heads},
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode()).hexdigest()
