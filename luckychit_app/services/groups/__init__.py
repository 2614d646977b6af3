"""Chit groups: the agreement terms as the services read them (`terms`), creating, changing, starting
and listing groups (`setup`), opening a month (`months`: dues raised in the books, the draw's
commitment published), and the group's life after its start (issue 15, Chit Funds Act s.28-s.33):
`defaults` (a defaulter's written notice), `substitution` (removal or exit with a substitute on the
same ticket number), `transfers` (a ticket passing to another person), `prize_defaults` (the demand
on a defaulting prized subscriber and the recovery notice to their guarantors), `deposit_recovery`
(their dues recovered from their security deposit after that demand), `closing` and
`cancelling`, and `locking` (which groups may still change).

`terms` and `locking` are the low part every other package may read; they import nothing from
money/ or months.
May import: the foundation modules, `money.*` (the books, dues, payouts, refunds and subscriber
refunds a change of membership or the close moves), `people.auth` and `people.companies` (a new
subscriber's account, a new group's branch), `messages.notifications` and `messages.reminders`.
"""
