"""Money and the books (DESIGN.md §5-6).

- The books: `ledger` (posting journal entries, balances as sums of postings, ledger-check).
- What is owed: `dues`, `late_fees`, `amount_due`, `advances` (money received and not yet used).
- Money received: `allocation` (applied to the oldest dues first), `offline_payments` and
  `payment_batch` (cash and bank), `upi` (UTR confirmed by the foreman), `online_checkout`,
  `online_capture`, `online_webhooks`, `online_reconcile` (the gateway), `refunds`; `cash_limit`
  (the s.269ST ₹2 lakh a day cash rule every cash path applies).
- The bank: `bank_statements` (importing a statement file once per line), `bank_matching` (its
  credit lines against the payments on record; confirming a pending UPI payment from a line).
- Staff collecting: `field_collections` (cash or UPI an agent, clerk or the owner takes from a
  member, idempotent per tap, receipt texted at once); `cash_custody` (cash in a staff member's
  hands, handed over with denominations and counted by the receiver).
- Paperwork: `receipt_numbers` (gap-free per branch), `receipts` (screen and PDF),
  `payment_methods` (labels), `passbook` (a member's statement, a group's cash position),
  `paid_for` (what a payment paid for, in its passbook line's words), `statement_dates` (when
  each passbook line happened for the member).
- Money paid out: `payouts` (prizes released against recorded security, `guarantors` the sureties
  of that security, `security_deposits` a deposit as money held for the prized member),
  `subscriber_refunds` (a removed subscriber's contributions, Chit Funds Act s.30, and each
  ticket's share at a group's close).

May import: the foundation modules, `groups.terms` and `groups.locking` (a closed group takes no
money), `people.kyc` (a guarantor's PAN or Aadhaar), `messages.notifications`, gateways, metrics.
"""
