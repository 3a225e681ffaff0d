"""Complaint pages, one module per audience: `public` (anyone: filing, tracking), `resident`
(signed in: following), `staff` (dispatchers, departments, supervisors)."""
