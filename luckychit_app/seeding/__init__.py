"""Data for people to look at and machines to measure: `demo` (the small book `make run` loads, with
the README's logins) and `bench` (a large book for benchmarks, bulk-loaded with set-based inserts).
Both build money through the same domain rules and services the app uses, so `ledger-check` and
`audit-verify` pass on what they write. May import services, domain, models and db; nothing imports
this package but the CLI and tests.
"""
