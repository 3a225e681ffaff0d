"""The accounts API, one module per audience (public, resident, staff)."""
