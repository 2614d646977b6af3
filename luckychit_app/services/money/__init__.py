"""Money and the books (DESIGN.md §5-6).

- The books: `ledger` (posting journal entries, balances as sums of postings, ledger-check).
- What is owed: `dues`, `late_fees`, `amount_due`, `advances` (money received and not yet used).
- Money received: `allocation` (applied to the oldest dues first), `offline_payments` and
  `payment_batch` (cash and bank), `upi` (UTR confirmed by the foreman), `online_checkout`,
  `online_capture`, `online_webhooks`, `online_reconcile` (the gateway), `refunds`.
- Staff collecting: `field_collections` (cash or UPI an agent, clerk or the owner takes from a
  member, idempotent per tap, receipt texted at once); `cash_custody` (cash in a staff member's
  hands, handed over with denominations and counted by the receiver).
- Paperwork: `receipt_numbers` (gap-free per branch), `receipts` (screen and PDF),
  `payment_methods` (labels), `passbook` (a member's statement, a group's cash position).
- Money paid out: `payouts` (prizes released against recorded security).

May import: the foundation modules, `groups.terms`, `messages.notifications`, gateways, metrics.
"""
