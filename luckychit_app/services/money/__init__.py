"""Money and the books (DESIGN.md §5-6).

- The books: `ledger` (posting journal entries, balances as sums of postings, ledger-check).
- What is owed: `dues`, `late_fees`, `amount_due`, `advances` (money received and not yet used).
- Money received: `allocation` (applied to the oldest dues first), `offline_payments` and
  `payment_batch` (cash and bank), `upi` (UTR confirmed by the foreman), `online_checkout`,
  `online_capture`, `online_webhooks`, `online_reconcile` (the gateway), `refunds`.
- Paperwork: `receipt_numbers` (gap-free per foreman), `receipts` (screen and PDF),
  `payment_methods` (labels), `passbook` (a member's statement, a group's cash position).
- Money paid out: `payouts` (prizes released against recorded security).

May import: the foundation modules, `groups.terms`, `messages.notifications`, gateways, metrics.
"""
