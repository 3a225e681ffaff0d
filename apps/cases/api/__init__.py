"""Application API, one module per audience: `resident` (signed in) and `staff` (departments)."""
