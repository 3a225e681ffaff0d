"""One case's life, from filing to where it stands today, written as rows.

Each case is given the state it ends in and when it was started (`seed.plan`); its story then
runs the same steps the services run, in order, with realistic delays squeezed into the time
it has: an application is created, answered, given its files, submitted (number, deadline,
receipt, the lead department's grants), perhaps returned for correction once, accepted
(review tasks stage by stage, each active task granted to its department), reviewed, decided
(decision letter, rating request, perhaps a rating and a rectification) and perhaps closed; a
complaint is filed, dispatched (grants to the department), signed for, replied to, rated and
closed, or merged into an earlier one."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from apps.cases.models import Case

from .people import ServiceInfo, address, person_name
from .records import local_date, working_days_later
from .steps import Steps

S = Case.State
ROLE_DISPATCHER = "dispatcher"
# How far an application gets before it stops in its final state.
APPLICATION_PATH: dict[str, int] = {
    S.DRAFT: 0,
    S.WITHDRAWN: 1,
    S.SUBMITTED: 1,
    S.NOT_ACCEPTED: 1,
    S.NEEDS_CORRECTION: 1,
    S.IN_REVIEW: 2,
    S.APPROVED: 3,
    S.REJECTED: 3,
    S.CLOSED: 3,
}
REASONS = {
    S.APPROVED: "经审查，申请材料齐全，符合法定条件，准予许可。",
    S.REJECTED: "经审查，申请不符合法定条件，不予许可。可在六十日内申请行政复议。",
    S.NOT_ACCEPTED: "申请事项不属于本机关职权范围，不予受理。",
}
COMPLAINT_TEXTS = [
    "小区门口路灯连续一周不亮，夜间出行不便。",
    "楼下餐馆油烟直排，影响居民生活。",
    "施工工地夜间施工噪声扰民。",
    "电梯经常故障，物业维修不及时。",
    "人行道井盖缺失，存在安全隐患。",
    "咨询老年人优待证办理需要哪些材料。",
]


class Stories(Steps):
    """`application(...)` and `complaint(...)` write one case each."""

    def application(self, *, case_id: int, state: str, created: datetime, applicant: int) -> None:
        rng = self.rng
        service = rng.choice(self.city.applications)
        row = self._base(case_id, service, applicant, created)
        ref = row["reference"]
        row.update(
            kind="application",
            channel=rng.choices(("web", "api", "counter"), weights=(70, 10, 20))[0],
        )
        row["answers"] = self._answers(service, applicant)
        for perm in (self.perm_view, self.perm_change):
            self.grant_user(user=applicant, perm=perm, content_type=self.case_type, obj=case_id)
        self.event(case_id=case_id, verb="created", at=created, actor=applicant)
        self.audit_add(
            at=created,
            action="cases.case.create",
            actor=applicant,
            target=("cases.case", case_id, ref),
            data={"service": service.code, "version": 1},
        )
        path = APPLICATION_PATH[state]
        final = state in (S.WITHDRAWN, S.NOT_ACCEPTED, S.APPROVED, S.REJECTED, S.CLOSED)
        corrected = state == S.NEEDS_CORRECTION or (path >= 2 and rng.random() < 0.12)
        # hours: answers, submit, intake, correction, resubmit, review steps, decision, close
        stages = service.stages or [(1, "", "", [service.lead_id], None)]
        review = [rng.uniform(4, 72) for _stage in stages]
        t = self._clock(
            created,
            [
                rng.uniform(0.05, 2),
                rng.uniform(0.1, 3),
                rng.uniform(1, 40),
                rng.uniform(2, 30),
                rng.uniform(4, 96),
                *review,
                rng.uniform(1, 30),
                rng.uniform(200, 900),
            ],
            final=final,
        )
        answered_at, submitted_at, intake_at, returned_at, resubmitted_at = t[:5]
        review_times, decided_at, closed_at = t[5 : 5 + len(stages)], t[-2], t[-1]
        keys = sorted(json_keys(row["answers"]))
        self.audit_add(
            at=answered_at,
            action="cases.case.update_answers",
            actor=applicant,
            target=("cases.case", case_id, ref),
            data={"fields": keys},
        )
        for key, kind in service.fields:
            if kind == "file":
                self.attachment(case_id=case_id, key=key, at=answered_at, by=applicant, photo=False)
                self.audit_add(
                    at=answered_at,
                    action="cases.attachment.add",
                    actor=applicant,
                    target=("cases.case", case_id, ref),
                    data={"field": key, "name": "材料.pdf"},
                )
        if path == 0:
            self._write_case(row)
            return
        if state == S.WITHDRAWN and rng.random() < 0.5:  # withdrawn before submitting
            self._transition(row, "withdraw", S.DRAFT, S.WITHDRAWN, submitted_at, applicant)
            self._write_case(row)
            return
        self._submit(row, service, submitted_at)
        number = row["number"]
        lead, clerks = service.lead_id, self._staff(service.lead_id)
        if state == S.WITHDRAWN:
            self._transition(row, "withdraw", S.SUBMITTED, S.WITHDRAWN, intake_at, applicant)
            self._write_case(row)
            return
        if state == S.SUBMITTED:
            self._maybe_escalate(row, intake_at)
            self._write_case(row)
            return
        clerk = rng.choice(clerks)
        if corrected:
            row["correction_request"] = (
                '{"fields": ["details"], "documents": [], "note": "请补充申请事由的说明。"}'
            )
            self._transition(
                row,
                "return_for_correction",
                S.SUBMITTED,
                S.NEEDS_CORRECTION,
                returned_at,
                clerk,
                note="请补充申请事由的说明。",
                department=lead,
            )
            self._notify_resident(row, "case.correction_requested", returned_at, "需要补正")
            row["clock_paused_on"] = local_date(returned_at)
            if state == S.NEEDS_CORRECTION:
                self._write_case(row)
                return
            row.update(
                correction_request="{}",
                clock_paused_on=None,
                paused_working_days=max(1, int((resubmitted_at - returned_at).days * 5 / 7)),
            )
            row["deadline"] = local_date(working_days_later(resubmitted_at, service.promised_days))
            self._transition(
                row, "resubmit", S.NEEDS_CORRECTION, S.SUBMITTED, resubmitted_at, applicant
            )
            self._notify_resident(row, "case.submitted", resubmitted_at, "已重新提交")
        start = max(intake_at, resubmitted_at) if corrected else intake_at
        if state == S.NOT_ACCEPTED:
            row.update(decision_reasons=REASONS[S.NOT_ACCEPTED], decided_at=start)
            self._transition(
                row,
                "refuse",
                S.SUBMITTED,
                S.NOT_ACCEPTED,
                start,
                clerk,
                note=REASONS[S.NOT_ACCEPTED],
                department=lead,
            )
            self._notify_resident(row, "case.refused", start, "不予受理")
            self._outcome(row, start, lead, clerks)
            self._write_case(row)
            return
        row.update(accepted_at=start, review_round=1)
        self._transition(row, "accept", S.SUBMITTED, S.IN_REVIEW, start, clerk, department=lead)
        self._notify_resident(row, "case.accepted", start, "已受理")
        rejecting = state == S.REJECTED
        finished = self._review(row, stages, start, review_times, state, rejecting)
        if state == S.IN_REVIEW or not finished:
            if state != S.IN_REVIEW:
                raise AssertionError("a decided case finished its review")
            self._maybe_escalate(row, decided_at)
            self._write_case(row)
            return
        outcome = S.REJECTED if rejecting else S.APPROVED
        row.update(decision_reasons=REASONS[outcome], decided_at=decided_at)
        if outcome == S.APPROVED:
            row["granted_until"] = local_date(decided_at + timedelta(days=5 * 365))
        self._transition(
            row,
            "approve" if outcome == S.APPROVED else "reject",
            S.IN_REVIEW,
            outcome,
            decided_at,
            clerk,
            note=REASONS[outcome],
            department=lead,
        )
        self.document(
            case_id=case_id,
            kind="decision_letter",
            title=f"{number} 决定书",
            at=decided_at,
            seal=self.city.departments[lead].code,
            by=clerk,
        )
        self.event(case_id=case_id, verb="decision_letter_issued", at=decided_at, actor=None)
        self._notify_resident(row, "case.decided", decided_at, "已办结")
        self._outcome(row, decided_at, lead, clerks)
        if state == S.CLOSED:
            self._transition(row, "close", outcome, S.CLOSED, closed_at, None)
        self._write_case(row)

    def _answers(self, service: ServiceInfo, applicant: int) -> str:
        """The form's answers: fixed per service but for the name, phone and address."""
        cache = self.__dict__.setdefault("_answer_templates", {})
        fixed = cache.get(service.id)
        if fixed is None:
            sample = {
                "id_number": "110101199003070011",
                "number": 3,
                "date": "2025-06-01",
                "textarea": "因经营需要，特此申请。",
                "choice": "personal",
                "multichoice": [],
            }
            fixed = cache[service.id] = {
                key: sample[kind] for key, kind in service.fields if kind in sample
            }
        values = dict(fixed)
        name, place = person_name(self.rng), address(self.rng)
        for key, kind in service.fields:
            if kind in ("text", "phone", "address"):
                values[key] = {"text": name, "address": place}.get(kind, f"17{applicant:09d}")
        return json.dumps(values, ensure_ascii=False)

    def _submit(self, row: dict[str, Any], service: ServiceInfo, at: datetime) -> None:
        case_id, applicant = row["id"], row["applicant_id"]
        number = self.number(prefix="SQ", at=at)
        row.update(
            number=number,
            submitted_at=at,
            lead_department_id=service.lead_id,
            deadline=local_date(working_days_later(at, service.promised_days)),
        )
        self._transition(row, "submit", S.DRAFT, S.SUBMITTED, at, applicant)
        self.document(
            case_id=case_id,
            kind="receipt",
            title=f"{number} 受理回执",
            at=at,
            seal="portal",
            by=None,
        )
        self._notify_resident(row, "case.submitted", at, "已提交")
        for perm in (self.perm_view, self.perm_process):
            self.grant_group(
                department=service.lead_id, perm=perm, content_type=self.case_type, obj=case_id
            )
        self.notify_staff(
            recipients=self._reviewers(service.lead_id),
            event="task.assigned",
            key=f"case:{case_id}:intake:0:{at.isoformat()}",
            at=at,
            subject=f"新的待受理事项 {number}",
            url=f"/staff/cases/{number}/",
        )

    def _review(
        self,
        row: dict[str, Any],
        stages: list[tuple[int, str, str, list[int], int | None]],
        start: datetime,
        times: list[datetime],
        state: str,
        rejecting: bool,
    ) -> bool:
        """The review round: stage by stage; returns whether every stage finished."""
        rng, case_id, number = self.rng, row["id"], row["number"]
        viewers = {row["lead_department_id"]}
        activated = start
        for position, (order, name_zh, name_en, departments, days) in enumerate(stages):
            last = position == len(stages) - 1
            stop_here = state == S.IN_REVIEW and (last or rng.random() < 0.5)
            decided_at = times[position]
            for department in departments:
                task_id = self.tasks.new_id()
                due = local_date(working_days_later(activated, days or 5))
                if stop_here:
                    assignee = rng.choice(self._staff(department)) if rng.random() < 0.4 else None
                    self.tasks.add(
                        (
                            task_id,
                            start,
                            activated,
                            case_id,
                            1,
                            order,
                            name_zh,
                            name_en,
                            department,
                            "active",
                            assignee,
                            days,
                            due,
                            activated,
                            "",
                            None,
                            None,
                        )
                    )
                    self.grant_group(
                        department=department,
                        perm=self.perm_task,
                        content_type=self.task_type,
                        obj=task_id,
                    )
                else:
                    verb = "task_reject" if rejecting and last else "task_approve"
                    clerk = rng.choice(self._staff(department))
                    opinion = "不同意。" if verb == "task_reject" else "同意。"
                    self.tasks.add(
                        (
                            task_id,
                            start,
                            decided_at,
                            case_id,
                            1,
                            order,
                            name_zh,
                            name_en,
                            department,
                            "rejected" if verb == "task_reject" else "approved",
                            clerk,
                            days,
                            due,
                            activated,
                            opinion,
                            clerk,
                            decided_at,
                        )
                    )
                    self.event(
                        case_id=case_id,
                        verb=verb,
                        at=decided_at,
                        actor=clerk,
                        note=opinion,
                        public=False,
                        department=department,
                    )
                    code = self.city.departments[department].code
                    self.audit_add(
                        at=decided_at,
                        action=f"cases.review_task.{verb}",
                        actor=clerk,
                        target=("cases.review_task", task_id, f"{number} · {order} · {code}"),
                        data={"case": number, "department": code, "opinion": opinion},
                        staff=True,
                    )
                if department not in viewers:
                    viewers.add(department)
                    self.grant_group(
                        department=department,
                        perm=self.perm_view,
                        content_type=self.case_type,
                        obj=case_id,
                    )
                self.notify_staff(
                    recipients=self._reviewers(department),
                    event="task.assigned",
                    key=f"task:{task_id}:assigned",
                    at=activated,
                    subject=f"新的审查任务 {number}",
                    url=f"/staff/cases/{number}/",
                )
            if stop_here:
                return False
            activated = decided_at
        return True

    def _outcome(self, row: dict[str, Any], at: datetime, lead: int, clerks: list[int]) -> None:
        deadline = row["deadline"]
        days = max(0, int((at - row["submitted_at"]).total_seconds() / 86400 * 5 / 7))
        row.update(
            working_days_to_outcome=days,
            outcome_on_time=deadline is None or local_date(at) <= deadline,
        )
        self.rating_round(
            case_id=row["id"],
            ref=row["number"],
            department=lead,
            applicant=row["applicant_id"],
            outcome_at=at,
            clerks=clerks,
        )


def json_keys(answers: str) -> list[str]:
    return list(json.loads(answers))
