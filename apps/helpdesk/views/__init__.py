"""Help desk pages, one module per audience: public (claiming a printed account), resident
(family pages) and desk (the service desk, a package by topic)."""
