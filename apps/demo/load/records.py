"""The rows a case's life leaves behind, one small writer each: timeline lines, audit events,
notifications, object-permission grants, documents, attachments, rating requests and ratings.

They mirror what the services write (`case_event_add`, `audit_record`, `notify`,
`department_grant`, `document_issue`, `rating_request_open`, ...) without running them: the
same columns and the same JSON shapes, so that every page reads seeded rows as it reads real
ones. Audit events wait in a heap and are chained in time order (`audit_flush`), with the hash
computed by `AuditEvent.compute_hash` itself."""

from __future__ import annotations

import hashlib
import heapq
import json
import random
from collections import Counter
from datetime import date, datetime, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from apps.audit.actions import AuditAction
from apps.audit.models import FIRST_CHAIN, GENESIS_HASH, AuditChainHead, AuditEvent
from apps.cases.models import (
    Attachment,
    Case,
    CaseDocument,
    CaseEvent,
    CaseGroupGrant,
    CaseUserGrant,
    ReviewTask,
    TaskGroupGrant,
    TaskUserGrant,
)
from apps.documents.models import Document
from apps.feedback.models import Rating, RatingRequest, Rectification
from apps.notifications.models import Notification

from .people import City
from .writer import Table

LOCAL = ZoneInfo("Asia/Shanghai")
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # the case reference's alphabet
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"[:31]
SHARED_PDF = "load/shared-document.pdf"
SHARED_PHOTO = "load/shared-photo.jpg"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"

STAFF_NOTIFICATIONS_FOR = timedelta(days=30)
VALID_ACTIONS = frozenset(action.value for action in AuditAction)
CASE_COLUMNS = [c.column for c in Case._meta.concrete_fields]


def local_date(at: datetime) -> date:
    return at.astimezone(LOCAL).date()


def working_days_later(at: datetime, days: float) -> datetime:
    """About `days` working days later (weekends only; the calendar is not consulted)."""
    return at + timedelta(days=days * 7 / 5)


def scrambled(value: int, *, length: int, alphabet: str, salt: int) -> str:
    """A fixed-length code that is unique per value (a bijection modulo len(alphabet)**length)."""
    base = len(alphabet)
    space = base**length
    mixed = (value * 2654435761 + salt) % space  # odd multiplier: a permutation of the space
    chars = []
    for _ in range(length):
        mixed, digit = divmod(mixed, base)
        chars.append(alphabet[digit])
    return "".join(chars)


class Records:
    """The tables of one load and the small writers the stories use."""

    def __init__(self, *, city: City, rng: random.Random, now: datetime, seed: int) -> None:
        self.city, self.rng, self.now, self.seed = city, rng, now, seed
        self.cases = Table(Case, CASE_COLUMNS)
        self.tasks = Table(
            ReviewTask,
            (
                "id created_at updated_at case_id round stage_order stage_name "
                "stage_name_en department_id state assignee_id stage_days due_date "
                "activated_at opinion decided_by_id decided_at"
            ).split(),
        )
        self.events = Table(
            CaseEvent,
            (
                "id created_at updated_at case_id verb from_state to_state actor_id "
                "on_behalf_of_id note department_id is_public"
            ).split(),
        )
        self.attachments = Table(
            Attachment,
            (
                "id created_at updated_at case_id field_key file original_name "
                "content_type size sha256 uploaded_by_id"
            ).split(),
        )
        self.documents = Table(
            Document,
            (
                "id created_at updated_at kind title file sha256 verification_code seal "
                "sealed_by sealed_at language created_by_id"
            ).split(),
        )
        self.case_documents = Table(
            CaseDocument, "id created_at updated_at case_id document_id".split()
        )
        self.notifications = Table(
            Notification,
            (
                "id created_at updated_at recipient_id event dedup_key channel status "
                "language subject body url sent_at read_at"
            ).split(),
        )
        self.requests = Table(
            RatingRequest,
            (
                "id created_at updated_at case_id department_id round outcome_at "
                "opened_at closes_at state sms_code"
            ).split(),
        )
        self.ratings = Table(
            Rating,
            (
                "id created_at updated_at request_id case_id department_id level "
                "channel comment rater_id is_bad"
            ).split(),
        )
        self.rectifications = Table(
            Rectification,
            (
                "id created_at updated_at rating_id department_id deadline state answer "
                "answered_by_id answered_at resident_informed_at"
            ).split(),
        )
        # Guardian's direct foreign-key grant tables (apps/cases/models/grants.py).
        self.user_grants = Table(
            CaseUserGrant, "id permission_id content_object_id user_id".split()
        )
        self.group_grants = Table(
            CaseGroupGrant, "id permission_id content_object_id group_id".split()
        )
        self.task_user_grants = Table(
            TaskUserGrant, "id permission_id content_object_id user_id".split()
        )
        self.task_group_grants = Table(
            TaskGroupGrant, "id permission_id content_object_id group_id".split()
        )
        self.audit = Table(
            AuditEvent,
            (
                "id created_at actor_id on_behalf_of_id action target_type target_id "
                "target_repr ip_address user_agent client data chain prev_hash hash"
            ).split(),
        )
        self.tables = [
            self.cases, self.tasks, self.events, self.attachments, self.documents,
            self.case_documents, self.notifications, self.requests, self.ratings,
            self.rectifications, self.user_grants, self.group_grants, self.task_user_grants,
            self.task_group_grants, self.audit,
        ]  # fmt: skip
        for table in self.tables:
            table.start_ids()
        case_type = ContentType.objects.get_for_model(Case)
        task_type = ContentType.objects.get_for_model(ReviewTask)
        self.case_type, self.task_type = case_type.pk, task_type.pk

        def perm(codename: str, content_type: ContentType) -> int:
            return Permission.objects.get(codename=codename, content_type=content_type).pk

        self.perm_view = perm("view_case", case_type)
        self.perm_change = perm("change_case", case_type)
        self.perm_process = perm("process_case", case_type)
        self.perm_task = perm("act_on_task", task_type)
        self.numbers: dict[tuple[str, int], int] = {}
        self.state_counts: Counter[tuple[str, str]] = Counter()
        self.open_sms_codes = 0
        self._heap: list[tuple[float, int, tuple[Any, ...]]] = []
        self._order = count()
        head = AuditChainHead.objects.filter(pk=FIRST_CHAIN).first()
        self.chain_hash = head.last_hash if head is not None else GENESIS_HASH
        self.chain_added = 0
        self.pdf_sha = hashlib.sha256(b"seed_load").hexdigest()

    # --- ids, numbers, codes --------------------------------------------------------------

    def reference(self, case_id: int) -> str:
        return scrambled(case_id, length=10, alphabet=ALPHABET, salt=self.seed)

    def number(self, *, prefix: str, at: datetime) -> str:
        year = at.astimezone(LOCAL).year
        last = self.numbers.get((prefix, year), 0) + 1
        self.numbers[(prefix, year)] = last
        return f"{prefix}-{year}-{last:06d}"

    def ip(self, *, staff: bool) -> str:
        if staff:
            return f"10.20.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
        return f"203.0.113.{self.rng.randint(1, 254)}"

    # --- rows -------------------------------------------------------------------------------

    def event(
        self,
        *,
        case_id: int,
        verb: str,
        at: datetime,
        actor: int | None,
        before: str = "",
        after: str = "",
        note: str = "",
        public: bool = True,
        department: int | None = None,
        on_behalf_of: int | None = None,
    ) -> int:
        event_id = self.events.new_id()
        self.events.add(
            (
                event_id,
                at,
                at,
                case_id,
                verb,
                before,
                after,
                actor,
                on_behalf_of,
                note,
                department,
                public,
            )
        )
        return event_id

    def audit_add(
        self,
        *,
        at: datetime,
        action: str,
        actor: int | None,
        target: tuple[str, int | str, str] | None,
        data: dict[str, Any],
        on_behalf_of: int | None = None,
        staff: bool = False,
    ) -> None:
        """One audit event, chained later in time order; `target` is (type, id, repr)."""
        target_type, target_id, target_repr = target or ("", "", "")
        ip = self.ip(staff=staff) if actor is not None else None
        agent = USER_AGENT if actor is not None else ""
        row = (
            at,
            actor,
            on_behalf_of,
            action,
            target_type,
            str(target_id),
            target_repr[:255],
            ip,
            agent,
            data,
        )
        heapq.heappush(self._heap, (at.timestamp(), next(self._order), row))

    def audit_flush(self, *, until: float | None = None) -> None:
        """Chain and write the waiting events older than `until` (all of them: None)."""
        heap, table = self._heap, self.audit
        while heap and (until is None or heap[0][0] < until):
            _ts, _n, row = heapq.heappop(heap)
            at, actor, on_behalf_of, action, target_type, target_id, target_repr = row[:7]
            ip, agent, data = row[7:]
            if action not in VALID_ACTIONS:  # as `audit_record` insists
                raise ValueError(f"{action} is not in the audit registry")
            event = AuditEvent.__new__(AuditEvent)
            event.__dict__.update(
                prev_hash=self.chain_hash,
                created_at=at,
                actor_id=actor,
                on_behalf_of_id=on_behalf_of,
                action=action,
                target_type=target_type,
                target_id=target_id,
                target_repr=target_repr,
                ip_address=ip,
                user_agent=agent,
                client="",
                data=data,
                chain=FIRST_CHAIN,  # one chain: the seeder writes the trail in time order
            )
            digest = event.compute_hash()
            table.add(
                (
                    table.new_id(),
                    at,
                    actor,
                    on_behalf_of,
                    action,
                    target_type,
                    target_id,
                    target_repr,
                    ip,
                    agent,
                    "",
                    json.dumps(data, ensure_ascii=False),
                    FIRST_CHAIN,
                    self.chain_hash,
                    digest,
                )
            )
            self.chain_hash = digest
            self.chain_added += 1

    def audit_head_save(self) -> None:
        head, _ = AuditChainHead.objects.get_or_create(pk=FIRST_CHAIN)
        head.last_hash = self.chain_hash
        head.event_count += self.chain_added
        head.save(update_fields=["last_hash", "event_count"])

    def notify(
        self,
        *,
        recipients: list[int],
        event: str,
        key: str,
        at: datetime,
        subject: str,
        url: str,
    ) -> None:
        """In-app notifications (delivered at once), read within days unless recent."""
        for recipient in recipients:
            read = at + timedelta(hours=self.rng.uniform(0.2, 72))
            self.notifications.add(
                (
                    self.notifications.new_id(),
                    at,
                    at,
                    recipient,
                    event,
                    key,
                    "in_app",
                    "delivered",
                    "zh-hans",
                    subject,
                    subject,
                    url,
                    at,
                    read if read < self.now and self.rng.random() < 0.9 else None,
                )
            )

    def notify_staff(self, *, at: datetime, **kwargs: Any) -> None:
        """Staff notifications of the last 30 days only: what the inboxes show as new. (Older
        ones, long read, would be most of the table's rows at about five per step.)"""
        if at >= self.now - STAFF_NOTIFICATIONS_FOR:
            self.notify(at=at, **kwargs)

    def grant_user(self, *, user: int, perm: int, content_type: int, obj: int) -> None:
        table = self.task_user_grants if content_type == self.task_type else self.user_grants
        table.add((table.new_id(), perm, obj, user))

    def grant_group(self, *, department: int, perm: int, content_type: int, obj: int) -> None:
        group = self.city.group_of[department]
        table = self.task_group_grants if content_type == self.task_type else self.group_grants
        table.add((table.new_id(), perm, obj, group))

    def document(
        self, *, case_id: int, kind: str, title: str, at: datetime, seal: str, by: int | None
    ) -> None:
        document_id = self.documents.new_id()
        code = scrambled(document_id, length=16, alphabet=CODE_ALPHABET, salt=self.seed)
        code = "-".join(code[i : i + 4] for i in range(0, 16, 4))
        self.documents.add(
            (
                document_id,
                at,
                at,
                kind,
                title,
                SHARED_PDF,
                self.pdf_sha,
                code,
                seal,
                f"{seal} seal (load test)",
                at,
                "zh-hans",
                by,
            )
        )
        self.case_documents.add((self.case_documents.new_id(), at, at, case_id, document_id))

    def attachment(self, *, case_id: int, key: str, at: datetime, by: int, photo: bool) -> None:
        self.attachments.add(
            (
                self.attachments.new_id(),
                at,
                at,
                case_id,
                key,
                SHARED_PHOTO if photo else SHARED_PDF,
                "photo.jpg" if photo else "材料.pdf",
                "image/jpeg" if photo else "application/pdf",
                48213 if photo else 182044,
                self.pdf_sha,
                by,
            )
        )
