"""Complaint API, one module per audience: `public` (anyone), `resident` (signed in), `staff`."""
