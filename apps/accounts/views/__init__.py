"""Pages of the accounts app, one module per audience (public, resident, staff, desk)."""
