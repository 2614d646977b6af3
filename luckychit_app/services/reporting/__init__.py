"""Read models for screens and exports: small dicts of display strings built with a few set-based
queries (never ORM rows, never a query per row). The foreman's home dashboard, pending actions,
groups list, member directory, collection grid and group settings; the member's pages (`views`) and
their page key (`page_versions`); CSV exports, imports and the statement (`reports`).
`foreman_scope` and `display` are shared by the screens.

May import: the foundation modules and any other service package (this is the top of the services);
nothing in another package imports reporting except `messages.reminders` (`foreman_scope`).
"""
