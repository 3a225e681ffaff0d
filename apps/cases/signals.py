"""Signals for the apps above cases (feedback, metrics), which react without cases knowing them."""

from django.dispatch import Signal

# Sent after commit once a case has an outcome the resident is told about (a decision with its
# letter, a refusal at intake, later a complaint reply). Arguments: `case`.
case_outcome_reached = Signal()

# Sent inside the creating transaction when a case is created for `case.applicant`
# (argument: `case`), so apps above (helpdesk: family proxies) can grant their own access.
case_created = Signal()

# Sent inside the writing transaction for every line added to a case's timeline: a case's
# transition (verb = the transition), a review task's step (`task_approve`, ...), a rating
# (`rated`). Arguments: `case`, `line` (the `CaseEvent`). Apps above (events: the outbound
# feed) write their own rows atomically with the line; anything outbound waits for on_commit.
case_line_added = Signal()

# Sent inside the deciding transaction once an application is approved (arguments: `case`,
# `actor`), so an app above (certificates) issues what the approval grants atomically with it.
case_approved = Signal()
