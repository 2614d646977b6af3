"""Use cases, each run in one database transaction by its caller (a state handler through
`state.runner.run_service`, an API route, the CLI, a background job or a test).

Every function that acts for a user takes the `Session` first and keyword-only arguments after it,
`actor` first, and checks role and ownership (through `access`) before it reads or writes anything;
every argument is cleaned (through `validation`) as if a stranger sent it, because any public Reflex
handler can be called from the browser with anything. Failures a user should read are raised as
`errors.ServiceError` with a message safe to show.

The packages, by what a newcomer looks for: `people/` (accounts, members, KYC, admin), `groups/`
(terms, setting up and starting a group, opening a month), `money/` (the books and every way money
moves), `draws/` (lucky draws and auctions, proofs), `messages/` (notifications, outbox, reminders,
queries), `reporting/` (read models for screens, exports). They stand on the foundation modules here:
`errors`, `validation`, `access`, `audit`, which import none of the packages.

May import: domain, models, db, clock, settings, crypto, i18n, metrics, verify, gateways. Never state,
pages, components or api, and nothing from Reflex or Starlette (tests/test_architecture.py).
"""
