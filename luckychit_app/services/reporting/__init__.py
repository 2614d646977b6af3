"""Read models for screens and exports: small dicts of display strings built with a few set-based
queries (never ORM rows, never a query per row). The foreman's home dashboard, pending actions,
groups list, member directory, collection grid and group settings; the member's pages (`views`) and
their page key (`page_versions`); CSV exports, imports and the statement (`reports`).
The staff desk's list of whom to collect from today (`collection_list`); a branch's day-end cash
book (`cash_book`); collections by branch and by staff member (`company_dashboard`).
`foreman_scope` and `display` are shared by the screens. For the foreman's accountant (issue 19):
`account_names` (the one rule naming an account for people), `books_scope` (whose books a download
covers), `tally_export` (the Tally import file, checked by reading it back), `fy_statements` and
`fy_documents` (the financial year's trial balance, receipts and payments, commission and GST).

May import: the foundation modules and any other service package (this is the top of the services);
nothing in another package imports reporting except `messages.reminders` (`foreman_scope`).
"""
