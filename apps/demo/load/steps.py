"""The steps every case story shares: its clock, its row, a transition as `case_transition`
leaves it (state, timeline line, audit event), the resident's notice, 督办 of late work."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from apps.cases.models import Case

from .people import ServiceInfo
from .ratings import Ratings
from .records import local_date

ROLE_CLERK, ROLE_LEAD = "clerk", "lead"


class Steps(Ratings):
    def _clock(self, start: datetime, steps: list[float], *, final: bool) -> list[datetime]:
        """Times for consecutive steps `steps` hours apart, squeezed to end before now."""
        room = (self.now - start).total_seconds() / 3600 * (0.97 if final else 0.9)
        total = sum(steps) or 1.0
        scale = min(1.0, room / total)
        times, at = [], start
        for hours in steps:
            at = at + timedelta(hours=hours * scale)
            times.append(at)
        return times

    def _staff(self, department: int, role: str = ROLE_CLERK) -> list[int]:
        return self.city.staff.get((department, role)) or self.city.staff.get(
            (department, ROLE_CLERK), []
        )

    def _base(self, case_id: int, service: ServiceInfo, applicant: int, at: datetime) -> dict:
        row: dict[str, Any] = dict.fromkeys(self._case_defaults)
        row.update(self._case_defaults)
        row.update(
            id=case_id,
            created_at=at,
            updated_at=at,
            reference=self.reference(case_id),
            service_id=service.id,
            version_id=service.version_id,
            applicant_id=applicant,
            created_by_id=applicant,
        )
        return row

    @property
    def _case_defaults(self) -> dict[str, Any]:
        cached = self.__dict__.get("_defaults")
        if cached is None:
            fields = {f.column: f for f in Case._meta.concrete_fields}
            cached = {c: fields[c].get_default() for c in fields}
            cached.update(answers="{}", correction_request="{}", prefill="{}", number=None)
            self.__dict__["_defaults"] = cached
        return cached

    def _write_case(self, row: dict[str, Any]) -> None:
        self.state_counts[(row["kind"], row["state"])] += 1
        columns = self.cases.columns
        self.cases.add(tuple(row[c] for c in columns))

    # --- applications -------------------------------------------------------------------------

    def _maybe_escalate(self, row: dict[str, Any], at: datetime) -> None:
        """督办: an open case past its deadline was escalated the day after."""
        deadline = row["deadline"]
        if deadline is None or deadline >= local_date(self.now):
            return
        escalated = datetime.combine(deadline, datetime.min.time(), tzinfo=self.now.tzinfo)
        escalated = min(escalated + timedelta(days=1, hours=1), self.now - timedelta(minutes=1))
        row["escalated_at"] = escalated
        self.audit_add(
            at=escalated,
            action="cases.case.escalate",
            actor=None,
            target=("cases.case", row["id"], row["number"]),
            data={"deadline": deadline.isoformat()},
        )

    def _transition(
        self,
        row: dict[str, Any],
        verb: str,
        before: str,
        after: str,
        at: datetime,
        actor: int | None,
        *,
        note: str = "",
        department: int | None = None,
        action: str | None = None,
    ) -> None:
        """What `case_transition` leaves: the state, a timeline line, an audit event."""
        row.update(state=after, updated_at=at)
        self.event(
            case_id=row["id"],
            verb=verb,
            at=at,
            actor=actor,
            before=before,
            after=after,
            note=note,
            department=department,
        )
        self.audit_add(
            at=at,
            action=action or f"cases.case.{verb}",
            actor=actor,
            target=("cases.case", row["id"], row["number"] or row["reference"]),
            data={"from": before, "to": after, "note": note},
            staff=actor is not None and actor != row["applicant_id"],
        )

    def _notify_resident(self, row: dict[str, Any], event: str, at: datetime, what: str) -> None:
        ref = row["number"] or row["reference"]
        self.notify(
            recipients=[row["applicant_id"]],
            event=event,
            key=f"case:{row['id']}:{event}:{at.timestamp():.0f}",
            at=at,
            subject=f"您的事项 {ref} {what}",
            url=f"/cases/{ref}/",
        )

    def _reviewers(self, department: int) -> list[int]:
        return self._staff(department, ROLE_CLERK) + self.city.staff.get(
            (department, ROLE_LEAD), []
        )
