"""Read models for screens and exports: small dicts of display strings built with a few set-based
queries (never ORM rows, never a query per row). The foreman's home dashboard, pending actions,
groups list, member directory, collection grid and group settings; the member's pages (`views`) and
their page key (`page_versions`); CSV exports, imports and the statement (`reports`).
The staff desk's list of whom to collect from today (`collection_list`); a branch's day-end cash
book (`cash_book`); collections by branch and by staff member (`company_dashboard`).
`foreman_scope` and `display` are shared by the screens.

May import: the foundation modules and any other service package (this is the top of the services);
nothing in another package imports reporting except `messages.reminders` (`foreman_scope`).
"""
