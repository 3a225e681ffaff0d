"""Every audit action the portal records, in one registry.

`audit_record` accepts only these names, so a typo or an unreviewed new action fails in the
first test that reaches it instead of writing an event no report will ever find. Names are
`app.entity.verb` and never change once released: auditors search the trail by them.
"""

from enum import StrEnum


class AuditAction(StrEnum):
    # accounts: sign-in, 2FA, profile
    USER_REGISTER = "accounts.user.register"
    USER_LOGIN = "accounts.user.login"
    USER_LOGIN_FAILED = "accounts.user.login_failed"
    USER_LOGOUT = "accounts.user.logout"
    USER_CARE_MODE = "accounts.user.care_mode"
    PROFILE_UPDATE = "accounts.profile.update"
    TOKEN_ISSUE = "accounts.token.issue"  # noqa: S105 (an action name, not a secret)
    OTP_ENROL = "accounts.otp.enrol"
    OTP_ENROL_FAILED = "accounts.otp.enrol_failed"
    OTP_VERIFY = "accounts.otp.verify"
    OTP_VERIFY_FAILED = "accounts.otp.verify_failed"
    OTP_DISABLE = "accounts.otp.disable"
    OTP_BACKUP_CODES = "accounts.otp.backup_codes"

    # catalog
    SERVICE_VERSION_DRAFT = "catalog.service_version.draft"
    SERVICE_VERSION_PUBLISH = "catalog.service_version.publish"

    # cases: the case itself; one action per workflow transition (`cases.case.<transition>`)
    CASE_CREATE = "cases.case.create"
    CASE_UPDATE_ANSWERS = "cases.case.update_answers"
    CASE_PREFILL = "cases.case.prefill"  # answers filled in from sources, with the consent named
    PREFILL_CONSENT_GIVE = "cases.prefill_consent.give"
    PREFILL_CONSENT_WITHDRAW = "cases.prefill_consent.withdraw"
    CASE_NOTE = "cases.case.note"
    CASE_STAFF_VIEW = "cases.case.staff_view"
    CASE_ESCALATE = "cases.case.escalate"
    CASE_SUBMIT = "cases.case.submit"
    CASE_RESUBMIT = "cases.case.resubmit"
    CASE_WITHDRAW = "cases.case.withdraw"
    CASE_ACCEPT = "cases.case.accept"
    CASE_REFUSE = "cases.case.refuse"
    CASE_RETURN_FOR_CORRECTION = "cases.case.return_for_correction"
    CASE_APPROVE = "cases.case.approve"
    CASE_REJECT = "cases.case.reject"
    CASE_CLOSE = "cases.case.close"
    ATTACHMENT_ADD = "cases.attachment.add"
    ATTACHMENT_REMOVE = "cases.attachment.remove"
    EXTENSION_REQUEST = "cases.extension.request"
    EXTENSION_APPROVE = "cases.extension.approve"
    EXTENSION_REFUSE = "cases.extension.refuse"
    # cases: one department's review task (`cases.review_task.<verb>`)
    TASK_ASSIGN = "cases.review_task.assign"
    TASK_CLAIM = "cases.review_task.claim"
    TASK_APPROVE = "cases.review_task.task_approve"
    TASK_DEEMED_CONSENT = "cases.review_task.task_deemed_consent"
    TASK_REJECT = "cases.review_task.task_reject"
    TASK_RETURN = "cases.review_task.task_return"
    TASK_CANCEL = "cases.review_task.task_cancel"
    # cases: a step someone was refused (审批分离): who tried which step on which case, and why
    TRANSITION_REFUSED = "cases.transition.refused"

    # complaints (12345 work orders); the `cases.` prefix is kept: released names never change
    COMPLAINT_FILE = "cases.case.file_complaint"
    COMPLAINT_DISPATCH = "cases.case.dispatch"
    COMPLAINT_SIGN = "cases.case.sign"
    COMPLAINT_RETURN = "cases.case.complaint_return"
    COMPLAINT_REPLY = "cases.case.reply"
    COMPLAINT_REOPEN = "cases.case.reopen"
    COMPLAINT_MERGE = "cases.case.merge"
    COMPLAINT_FOLLOW = "cases.complaint.follow"
    COMPLAINT_ASK = "cases.complaint.ask"
    COMPLAINT_ANSWER = "cases.complaint.answer"
    COMPLAINT_REMIND = "cases.complaint.remind"
    COMPLAINT_ESCALATE = "cases.complaint.escalate"

    # documents and signatures
    DOCUMENT_ISSUE = "documents.document.issue"
    SIGNATURE_TAKE = "signatures.signature.take"

    # notifications
    NOTIFICATION_RETRY = "notifications.notification.retry"
    LETTER_PRINT_NOTIFICATION = "notifications.letter.print"

    # certificates (电子证照)
    CERTIFICATE_ISSUE = "certificates.certificate.issue"
    CERTIFICATE_REVOKE = "certificates.certificate.revoke"
    CERTIFICATE_REPLACE = "certificates.certificate.replace"
    CERTIFICATE_REFUSED = "certificates.certificate.refused"
    CERTIFICATE_LINK = "certificates.case_link.add"
    CERTIFICATE_UNLINK = "certificates.case_link.remove"

    # events (the outbound feed for departments' systems)
    EVENT_SUBSCRIPTION_SAVE = "events.subscription.save"
    EVENT_DELIVERY_REPLAY = "events.delivery.replay"

    # systems (departments' own systems as OAuth2 clients, the service API)
    SYSTEM_REGISTER = "systems.system.register"
    SYSTEM_UPDATE = "systems.system.update"
    SYSTEM_SECRET_ROTATE = "systems.system.secret_rotate"  # noqa: S105 (an action name)
    SYSTEM_TOKEN_ISSUE = "systems.token.issue"  # noqa: S105 (an action name, not a secret)
    SYSTEM_SCOPE_REFUSED = "systems.scope.refused"

    # feedback (好差评)
    RATING_REQUEST_OPEN = "feedback.request.open"
    RATING_REQUEST_EXPIRE = "feedback.request.expire"
    RATING_REQUEST_SMS_INVITE = "feedback.request.sms_invite"
    RATING_SUBMIT = "feedback.rating.submit"
    RECTIFICATION_OPEN = "feedback.rectification.open"
    RECTIFICATION_ANSWER = "feedback.rectification.answer"
    APPEAL_FILE = "feedback.appeal.file"
    APPEAL_UPHOLD = "feedback.appeal.uphold"
    APPEAL_DISMISS = "feedback.appeal.dismiss"

    # helpdesk (counter staff)
    RESIDENT_OPEN = "helpdesk.resident.open"
    RESIDENT_VIEW = "helpdesk.resident.view"
    RESIDENT_LOOKUP = "helpdesk.resident.lookup"  # by full ID number or phone, with a reason
    IDENTITY_CHECK = "helpdesk.identity.check"
    MANDATE_CREATE = "helpdesk.mandate.create"
    MANDATE_REVOKE = "helpdesk.mandate.revoke"
    ACTING_START = "helpdesk.acting.start"
    ACTING_STOP = "helpdesk.acting.stop"
    CLAIM_ISSUE = "helpdesk.claim.issue"
    CLAIM_USE = "helpdesk.claim.use"
    FAMILY_INVITE = "helpdesk.family.invite"
    FAMILY_BIND = "helpdesk.family.bind"
    FAMILY_UNBIND = "helpdesk.family.unbind"
    LETTER_PRINT = "helpdesk.letter.print"
    PRINT_BATCH_GENERATE = "helpdesk.print_batch.generate"

    # privacy: a resident's own data (download, account closure)
    DATA_EXPORT_REQUEST = "privacy.export.request"
    DATA_EXPORT_BUILD = "privacy.export.build"
    DATA_EXPORT_DOWNLOAD = "privacy.export.download"
    ACCOUNT_CLOSE = "privacy.account.close"

    # retention: the schedule's run, legal holds, destruction lists (four eyes)
    RETENTION_CASE_ANONYMISE = "retention.case.anonymise"
    RETENTION_CASE_DESTROY = "retention.case.destroy"
    RETENTION_HOLD_SET = "retention.hold.set"
    RETENTION_HOLD_CLEAR = "retention.hold.clear"
    RETENTION_RUN_FINISH = "retention.run.finish"
    DESTRUCTION_LIST_PROPOSE = "retention.destruction_list.propose"
    DESTRUCTION_LIST_APPROVE_AS_OFFICER = "retention.destruction_list.approve_as_officer"
    DESTRUCTION_LIST_COMPLETE_AS_OFFICER = "retention.destruction_list.complete_as_officer"
    DESTRUCTION_LIST_APPROVE_AS_LEAD = "retention.destruction_list.approve_as_lead"
    DESTRUCTION_LIST_COMPLETE_AS_LEAD = "retention.destruction_list.complete_as_lead"
    DESTRUCTION_LIST_REJECT = "retention.destruction_list.reject"
    DESTRUCTION_LIST_DESTROY = "retention.destruction_list.destroy"
    DESTRUCTION_LIST_REFUSED = "retention.destruction_list.refused"
    DESTRUCTION_LIST_REPORT = "retention.destruction_list.report"

    @classmethod
    def for_case_transition(cls, transition: str) -> "AuditAction":
        """The action of one workflow transition of a case: `cases.case.<transition>`."""
        return cls(f"cases.case.{transition}")

    @classmethod
    def for_destruction_list(cls, transition: str) -> "AuditAction":
        """The action of one step of a destruction list: `retention.destruction_list.<step>`."""
        return cls(f"retention.destruction_list.{transition}")

    @classmethod
    def for_task_verb(cls, verb: str) -> "AuditAction":
        """The action of one review-task step: `cases.review_task.<verb>`."""
        return cls(f"cases.review_task.{verb}")
