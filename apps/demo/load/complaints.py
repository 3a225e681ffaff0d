"""A complaint's life (12345 工单): filed, dispatched, signed for, replied to, rated, closed; or
merged into an earlier complaint of the same category."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .people import address
from .records import local_date, working_days_later
from .story import COMPLAINT_TEXTS, ROLE_DISPATCHER, S, Stories

COMPLAINT_PATH: dict[str, int] = {  # 0 filed, 1 dispatched, 2 signed, 3 replied
    S.SUBMITTED: 0,
    S.MERGED: 0,
    S.DISPATCHED: 1,
    S.IN_PROGRESS: 2,
    S.REPLIED: 3,
    S.CLOSED: 3,
}
REPLY = "经核实，已安排人员现场处理，问题已解决。感谢您的监督。"


class CaseStories(Stories):
    """Applications (`Stories`) and complaints."""

    _last_complaint: dict[int, int]

    def complaint(self, *, case_id: int, state: str, created: datetime, applicant: int) -> None:
        rng = self.rng
        last_by_category = self.__dict__.setdefault("_last_complaint", {})
        category = rng.choice(self.city.categories)
        row = self._base(case_id, category, applicant, created)
        kind = rng.choices(("consultation", "help", "complaint", "suggestion"), (20, 30, 40, 10))
        urgent = rng.random() < 0.08
        hidden = rng.random() < 0.05
        row.update(
            kind="complaint",
            complaint_type=kind[0],
            urgency="urgent" if urgent else "normal",
            channel=rng.choices(("web", "hotline", "api", "open311"), (40, 40, 10, 10))[0],
            description=rng.choice(COMPLAINT_TEXTS),
            address=address(rng),
            latitude=round(39.85 + rng.random() * 0.15, 6),
            longitude=round(116.30 + rng.random() * 0.2, 6),
            hide_identity=hidden,
            reporter_name=f"居民{applicant}",
            reporter_phone=f"17{applicant:09d}"[:11],
            tracking_code_hash=f"{rng.getrandbits(256):064x}",
        )
        final = state in (S.CLOSED, S.MERGED)
        t = self._clock(
            created,
            [
                rng.uniform(0.01, 0.2),
                rng.uniform(0.2, 8),
                rng.uniform(0.5, 20),
                rng.uniform(8, 200),
                rng.uniform(200, 400),
            ],
            final=final,
        )
        filed_at, dispatched_at, signed_at, replied_at, _closed = t
        shown = None if hidden else applicant
        self.grant_user(
            user=applicant, perm=self.perm_view, content_type=self.case_type, obj=case_id
        )
        row["number"] = self.number(prefix="TS", at=filed_at)
        row["submitted_at"] = filed_at
        if rng.random() < 0.3:
            self.attachment(case_id=case_id, key="photo", at=created, by=applicant, photo=True)
        self._transition(row, "file_complaint", S.DRAFT, S.SUBMITTED, filed_at, shown)
        self._notify_resident(row, "complaint.received", filed_at, "已受理登记")
        number = row["number"]
        self.notify_staff(
            recipients=self.city.dispatchers,
            event="complaint.new",
            key=f"complaint:{case_id}:new",
            at=filed_at,
            subject=f"新工单 {number}",
            url=f"/staff/complaints/{number}/",
        )
        path = COMPLAINT_PATH[state]
        # merged into the last complaint of the category, or of any category
        earlier = last_by_category.get(category.id, last_by_category.get(0))
        last_by_category[category.id] = last_by_category[0] = case_id
        dispatcher = rng.choice(self.city.dispatchers) if self.city.dispatchers else None
        if state == S.MERGED and earlier is not None:
            row["merged_into_id"] = earlier
            self._transition(row, "merge", S.SUBMITTED, S.MERGED, dispatched_at, dispatcher)
            self._notify_resident(row, "complaint.merged", dispatched_at, "已合并办理")
        if path == 0:
            self._write_case(row)
            return
        department = category.lead_id
        if rng.random() < 0.1:
            department = rng.choice(list(self.city.departments))
        self._dispatch(row, category, department, dispatched_at, dispatcher)
        if path == 1:
            self._overdue(row)
            self._write_case(row)
            return
        clerks = self._staff(department)
        clerk = rng.choice(clerks)
        row.update(signed_at=signed_at, accepted_at=signed_at)
        self._transition(
            row, "sign", S.DISPATCHED, S.IN_PROGRESS, signed_at, clerk, department=department
        )
        if path == 2:
            self._overdue(row)
            self._write_case(row)
            return
        row.update(decision_reasons=REPLY, decided_at=replied_at)
        self._transition(
            row,
            "reply",
            S.IN_PROGRESS,
            S.REPLIED,
            replied_at,
            clerk,
            note=REPLY,
            department=department,
        )
        self._notify_resident(row, "complaint.replied", replied_at, "已答复")
        deadline = row["deadline"]
        days = max(0, int((replied_at - filed_at).total_seconds() / 86400 * 5 / 7))
        row.update(
            working_days_to_outcome=days,
            outcome_on_time=deadline is None or local_date(replied_at) <= deadline,
        )
        rated_at, level = self.rating_round(
            case_id=case_id,
            ref=number,
            department=department,
            applicant=applicant,
            outcome_at=replied_at,
            clerks=clerks,
            rate=state == S.CLOSED,
        )
        if state == S.CLOSED:
            good = rated_at is not None and level is not None and level >= 3
            closed_at = rated_at if good and rated_at else replied_at + timedelta(days=15)
            closed_at = min(closed_at, self.now - timedelta(minutes=1))
            self._transition(row, "close", S.REPLIED, S.CLOSED, closed_at, None)
        self._write_case(row)

    def _dispatch(
        self,
        row: dict[str, Any],
        category: Any,
        department: int,
        at: datetime,
        dispatcher: int | None,
    ) -> None:
        case_id, number = row["id"], row["number"]
        if row["urgency"] == "urgent":
            due_at = at + timedelta(hours=category.urgent_hours)
        else:
            days = category.complaint_days.get(row["complaint_type"]) or 13
            due_at = working_days_later(at, days)
        row.update(
            lead_department_id=department,
            dispatched_at=at,
            due_at=due_at,
            deadline=local_date(due_at),
            sign_due_at=min(due_at, at + timedelta(days=1)),
        )
        self._transition(
            row, "dispatch", S.SUBMITTED, S.DISPATCHED, at, dispatcher, department=department
        )
        for perm in (self.perm_view, self.perm_process):
            self.grant_group(
                department=department, perm=perm, content_type=self.case_type, obj=case_id
            )
        staff = self._staff(department) + self.city.staff.get((department, "lead"), [])
        self.notify_staff(
            recipients=staff,
            event="complaint.dispatched",
            key=f"complaint:{case_id}:dispatch:{at.isoformat()}",
            at=at,
            subject=f"新派工单 {number}",
            url=f"/staff/complaints/{number}/",
        )
        self._notify_resident(row, "complaint.dispatched_resident", at, "已转办")

    def _overdue(self, row: dict[str, Any]) -> None:
        """督办 of a complaint past its due time: escalated, and reminded the day after."""
        due_at = row["due_at"]
        if due_at is None or due_at >= self.now:
            return
        row["escalated_at"] = min(due_at + timedelta(hours=1), self.now)
        self.audit_add(
            at=row["escalated_at"],
            action="cases.complaint.escalate",
            actor=None,
            target=("cases.case", row["id"], row["number"]),
            data={"due_at": due_at.isoformat()},
        )
        if due_at + timedelta(days=1) < self.now:
            row["reminded_at"] = due_at + timedelta(days=1)
            self.audit_add(
                at=row["reminded_at"],
                action="cases.complaint.remind",
                actor=None,
                target=("cases.case", row["id"], row["number"]),
                data={},
            )


__all__ = ["ROLE_DISPATCHER", "CaseStories"]
