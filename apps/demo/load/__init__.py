"""`seed_load`: a city's worth of cases written in bulk, for the load benchmark.

`writer` streams rows into tables (PostgreSQL `COPY`, or batched INSERTs elsewhere), `people`
creates the departments, staff and residents, `story` writes each case's life from filing to
rating, and `seed` drives them in chunks and closes the audit chain."""
