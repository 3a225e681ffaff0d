"""The feedback a case's outcome leaves: the rating request (好差评), perhaps a rating, and the
rectification (整改) a bad rating opens, with their audit events and the resident's invitation."""

from __future__ import annotations

from datetime import datetime, timedelta

from apps.feedback.models import RatingRequest

from .records import Records, local_date


class Ratings(Records):
    def rating_round(
        self,
        *,
        case_id: int,
        ref: str,
        department: int,
        applicant: int,
        outcome_at: datetime,
        clerks: list[int],
        rate: bool = True,
    ) -> tuple[datetime | None, int | None]:
        """The rating request of an outcome and what the resident did with it: returns when
        the rating came (None: not rated) and its level."""
        rng, now = self.rng, self.now
        request_id = self.requests.new_id()
        closes = outcome_at + timedelta(days=15)
        rated_at: datetime | None = outcome_at + timedelta(days=rng.expovariate(1 / 2.5))
        if not rate or rng.random() > 0.62 or rated_at is None or rated_at > closes:
            rated_at = None
        if rated_at is not None and rated_at > now:
            rated_at = None
        if rated_at is not None:
            state = RatingRequest.State.RATED
        elif closes > now and self.open_sms_codes < 10000:
            state = RatingRequest.State.OPEN
        else:
            state = RatingRequest.State.EXPIRED
        code = f"{self.open_sms_codes:04d}" if state == RatingRequest.State.OPEN else "0000"
        if state == RatingRequest.State.OPEN:
            self.open_sms_codes += 1
        elif state == RatingRequest.State.EXPIRED:
            code = f"{rng.randrange(10000):04d}"
        self.requests.add(
            (
                request_id,
                outcome_at,
                outcome_at,
                case_id,
                department,
                1,
                outcome_at,
                outcome_at,
                closes,
                state,
                code,
            )
        )
        target = ("feedback.ratingrequest", request_id, f"{ref} · 1")
        self.audit_add(
            at=outcome_at,
            action="feedback.request.open",
            actor=None,
            target=target,
            data={"case": ref, "closes_at": closes.isoformat()},
        )
        self.notify(
            recipients=[applicant],
            event="case.rating_requested",
            key=f"rating:{request_id}",
            at=outcome_at,
            subject=f"请评价 {ref} 的办理",
            url=f"/feedback/rate/{ref}/",
        )
        if state == RatingRequest.State.EXPIRED:
            self.audit_add(
                at=closes,
                action="feedback.request.expire",
                actor=None,
                target=target,
                data={"unrated": True},
            )
        if rated_at is None:
            return None, None
        level = rng.choices((5, 4, 3, 2, 1), weights=(62, 22, 8, 5, 3))[0]
        rating_id = self.ratings.new_id()
        self.ratings.add(
            (
                rating_id,
                rated_at,
                rated_at,
                request_id,
                case_id,
                department,
                level,
                rng.choice(("web", "web", "sms", "api")),
                "",
                applicant,
                level <= 2,
            )
        )
        self.audit_add(
            at=rated_at,
            action="feedback.rating.submit",
            actor=applicant,
            target=("feedback.rating", rating_id, f"{ref} · {level}"),
            data={"case": ref, "level": level},
        )
        if level <= 2:
            self._rectification(rating_id, ref, department, rated_at, clerks)
        return rated_at, level

    def _rectification(
        self, rating_id: int, ref: str, department: int, at: datetime, clerks: list[int]
    ) -> None:
        rng = self.rng
        answered = at + timedelta(days=rng.uniform(1, 9))
        done = answered < self.now
        clerk = rng.choice(clerks) if clerks else None
        row_id = self.rectifications.new_id()
        self.rectifications.add(
            (
                row_id,
                at,
                at,
                rating_id,
                department,
                local_date(at + timedelta(days=10)),
                "answered" if done else "open",
                "已联系群众并整改到位。" if done else "",
                clerk if done else None,
                answered if done else None,
                answered if done else None,
            )
        )
        target = ("feedback.rectification", row_id, ref)
        self.audit_add(
            at=at,
            action="feedback.rectification.open",
            actor=None,
            target=target,
            data={"case": ref},
        )
        if done:
            self.audit_add(
                at=answered,
                action="feedback.rectification.answer",
                actor=clerk,
                target=target,
                data={"case": ref},
                staff=True,
            )
