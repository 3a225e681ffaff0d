"""Application pages, one module per audience: `resident` (signed in: apply, sign, track) and
`staff` (departments: the queue, the case page, overdue work)."""
