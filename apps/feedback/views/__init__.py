"""Feedback pages, one module per audience (resident, staff)."""
