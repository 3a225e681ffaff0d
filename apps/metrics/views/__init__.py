"""Metrics pages, one module per audience: public (the open data) and staff (the dashboard)."""
