"""Signals for the apps above certificates (events), which react without certificates knowing
them."""

from django.dispatch import Signal

# Sent inside the writing transaction when a certificate is issued, revoked or replaced.
# Arguments: `certificate`, `change` ("issued", "revoked", "replaced"), and for a successor's
# "issued" `replaces` (the certificate it replaces). Apps above (events: the
# outbound feed) write their own rows atomically with it; anything outbound waits for commit.
certificate_changed = Signal()
