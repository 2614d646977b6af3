"""Chit groups: the agreement terms as the services read them (`terms`), creating, changing, starting
and listing groups (`setup`), and opening a month (`months`: dues raised in the books, the draw's
commitment published).

`terms` is the low part every other package may read; it imports nothing from money/ or months.
May import: the foundation modules, `money.ledger` and `money.allocation` (a month's dues and advances),
`messages.notifications`.
"""
