"""Running the house: backups, restores and the database's self-check (SPEC §12).

`integrity` says whether the database agrees with itself (cached balances and stock
against their ledgers, settlements against orders, packing against order lines);
`backup` and `restore` copy the whole database consistently on SQLite and PostgreSQL;
`cli` is the thin `flask showroom backup|restore|check` edge over them.
"""
